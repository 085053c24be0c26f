// The public page's words for every verification reason code and for the API's common error
// codes, in Chinese and English. The English verification texts are verify/reasons.ts's own; the
// Chinese table is typed by ReasonCode, so a code added there without its Chinese text fails the build.
import { REASONS, type ReasonCode } from "../verify/reasons";

/** 中文 for every verification reason code. */
const REASONS_ZH: Record<ReasonCode, string> = {
  PDF_NOT_PDF: "该文件不是 PDF 文件。",
  PDF_TRUNCATED: "该 PDF 文件不完整（被截断）。",
  PDF_MALFORMED: "该 PDF 文件结构已损坏。",
  PDF_ENCRYPTED: "该 PDF 文件已加密；本系统只核验未加密的 PDF。",
  PDF_TOO_LARGE: "该 PDF 文件超过核验允许的大小。",
  PDF_TOO_COMPLEX: "该 PDF 的对象、版本、签名或嵌套数量超过核验允许的范围。",
  PDF_WORK_LIMIT: "读取该 PDF 所需的工作量超过单个文件的限额。",
  NO_SIGNATURES: "该 PDF 没有任何签名或签章。",
  SIGNATURE_DICT_MALFORMED: "签名字典格式错误。",
  BYTE_RANGE_MISSING: "签名缺少签名范围（/ByteRange）。",
  BYTE_RANGE_MALFORMED: "签名范围（/ByteRange）不是四个有序的非负整数。",
  BYTE_RANGE_NOT_AT_START: "签名范围没有从文件开头开始。",
  BYTE_RANGE_GAP_NOT_CONTENTS: "签名范围中未签名的部分不只是签名值本身。",
  BYTE_RANGE_NOT_REVISION_END: "签名范围没有结束在文件某一版本的末尾。",
  BYTE_RANGE_OUT_OF_FILE: "签名范围超出了文件末尾。",
  SIGNATURE_EMPTY: "签名值为空。",
  CMS_MALFORMED: "签名不是格式正确的 CMS 签名数据。",
  UNSUPPORTED_SUBFILTER: "不支持该签名格式（/SubFilter）。",
  UNSUPPORTED_ALGORITHM: "签名使用了本系统不支持的算法。",
  SIGNER_CERT_MISSING: "签名中没有签名人的证书。",
  DIGEST_MISMATCH: "签名后，文件中已签名的内容被修改过。",
  SIGNED_ATTRS_INCONSISTENT: "签名属性与签名或其证书不一致。",
  CMS_SIGNATURE_INVALID: "用签名人证书无法验证该签名。",
  UNSIGNED_CHANGES_AFTER_SIGNATURE: "最后一个签名之后追加了不允许的修改。",
  PAGE_CONTENT_CHANGED: "签名后，页面显示的内容被修改过。",
  FORM_VALUE_CHANGED: "签名后，表单内容被修改，超出签名人允许的范围。",
  ANNOTATION_CHANGED: "签名后，批注被添加或修改，超出允许的范围。",
  CATALOG_CHANGED: "签名后，文档目录被修改，超出允许的范围。",
  SIGNED_OBJECT_OVERRIDDEN: "签名人签过的对象在后续版本中被替换。",
  DOCMDP_VIOLATION: "进行了认证签名所禁止的修改。",
  NOT_ANCHORED: "该文件的任何版本都没有在区块链账本上存证。",
  ANCHOR_PROOF_INVALID: "存证的默克尔证明与账本上的根值不符。",
  ANCHOR_DEPARTMENT_MISMATCH: "存证该文件的部门与签章的部门不是同一个部门。",
  SIGNER_UNKNOWN_KEY: "签名密钥不在信任登记册中。",
  KEY_NOT_YET_VALID: "存证时，签名密钥尚未生效。",
  KEY_EXPIRED: "存证时，签名密钥已过期。",
  KEY_REVOKED: "存证时，签名密钥已被撤销。",
  DEPARTMENT_INACTIVE: "存证时，签章部门已被停用。",
  NO_TRUSTED_TIME: "该签名是在最后一次存证之后添加的，没有可信时间来判断其密钥。",
  DOCUMENT_REVOKED: "签发部门已撤销（吊销或注销）该文件。",
  CHAIN_UNREACHABLE: "暂时无法连接区块链；这不是对文件真伪的结论。",
  CHAIN_QUERY_REFUSED: "区块链节点拒绝了核验查询；这不是对文件真伪的结论。",
  OFFLINE: "已跳过区块链核验（离线）。",
  CHECK_FAILED: "该项检查未能完成。",
  VERIFY_LIMIT_EXCEEDED: "核验该 PDF 所需的时间或内存超过单个文件的限额。",
};

/** The API's non-verification error codes a page visitor can meet, in both languages. */
const API_ERRORS: Record<string, { zh: string; en: string }> = {
  PDF_MISSING: { zh: "请选择一个 PDF 文件。", en: "Choose a PDF file." },
  MULTIPART_INVALID: { zh: "上传的内容格式有误。", en: "The upload is malformed." },
  UNSUPPORTED_MEDIA_TYPE: { zh: "只接受 PDF 文件。", en: "Only PDF files are accepted." },
  RATE_LIMITED: { zh: "请求过于频繁，请稍后再试。", en: "Too many requests; try again in a minute." },
  SERVICE_BUSY: { zh: "服务繁忙，请稍后再试。", en: "The service is busy; try again shortly." },
  ROUTE_NOT_FOUND: { zh: "未找到。", en: "Not found." },
  DOCUMENT_NOT_FOUND: { zh: "未找到该文件的记录。", en: "No record of this document was found." },
  RECORD_NOT_FOUND: { zh: "账本上没有找到该证照的存证记录。", en: "The ledger holds no record of this certificate." },
  TOKEN_MISSING: { zh: "请先用部门操作令牌登录。", en: "Sign in with the department's operator token first." },
  TOKEN_INVALID: { zh: "操作令牌无效。", en: "The operator token is not valid." },
  TOKEN_EXPIRED: { zh: "操作令牌已过期。", en: "The operator token has expired." },
  TOKEN_REVOKED: { zh: "操作令牌已被撤销。", en: "The operator token was revoked." },
  DEPARTMENT_NOT_SERVED: { zh: "本节点不为该部门服务。", en: "This node does not serve that department." },
  DOCUMENT_ALREADY_REVOKED: { zh: "该文件已被撤销，撤销不可更改。", en: "The document is already revoked; revocation is final." },
  DOCUMENT_NOT_ANCHORED: { zh: "该文件尚未存证，存证后才能撤销。", en: "The document is not anchored yet; revoke it once it is." },
  DOCUMENT_NOT_ISSUER: { zh: "只有签发部门才能操作该文件。", en: "Only the issuing department may do this." },
  TEMPLATE_FIELD_INVALID: { zh: "证照字段有误：", en: "A certificate field is not valid: " },
  TEMPLATE_FIELD_UNKNOWN: { zh: "证照模板中有未知字段：", en: "The template has an unknown field: " },
  INVALID_REQUEST: { zh: "请求内容有误。", en: "The request is not valid." },
  INTERNAL: { zh: "服务内部错误。", en: "Internal error." },
};

/** The script served as /static/reasons.js: both tables as one global the page scripts read. */
export function reasonTablesScript(): string {
  const tables = {
    zh: { ...Object.fromEntries(Object.entries(API_ERRORS).map(([code, t]) => [code, t.zh])), ...REASONS_ZH },
    en: { ...Object.fromEntries(Object.entries(API_ERRORS).map(([code, t]) => [code, t.en])), ...REASONS },
  };
  return `window.ZS_REASONS = ${JSON.stringify(tables)};\n`;
}
