// A realistic sample certificate (食品经营许可证 from the demo 市场监督管理局) for `issue --demo`,
// tests and benchmarks. The holder is fictitious; the identifier is freshly generated each call.
import { DEMO_DEPARTMENTS } from "../demo/departments";
import { generateCertificateIdentifier } from "./certificate-identifier";
import { parseTemplate, type CertificateTemplate } from "./template";

/**
 * Builds a sample 食品经营许可证 issued by the demo market regulation department.
 * @param opts.issueDate - YYYY-MM-DD; the certificate is valid for five years from it
 * @param opts.randomBytes - randomness for the identifier and number; injected by tests for repeatable output
 */
export function demoTemplate(opts: { issueDate: string; randomBytes?: (size: number) => Uint8Array }): CertificateTemplate {
  const samr = DEMO_DEPARTMENTS.find((d) => d.code === "SAMR") ?? DEMO_DEPARTMENTS[0];
  const certificateIdentifier = generateCertificateIdentifier({
    departmentCode: samr.code,
    issueDate: opts.issueDate,
    randomBytes: opts.randomBytes,
  });
  const serial = certificateIdentifier.slice(-7).replace(/[^0-9]/g, "7").padStart(7, "0");
  const [y, m, d] = opts.issueDate.split("-").map(Number);
  const lastDay = new Date(Date.UTC(y + 5, m - 1, d - 1)).toISOString().slice(0, 10);
  return parseTemplate({
    kind: "certificate",
    title: "食品经营许可证",
    holder: [
      { label: "经营者名称", value: "北京市海淀区青禾餐饮管理有限公司" },
      { label: "统一社会信用代码", value: "91110108MA01R2KX5Q" },
      { label: "法定代表人", value: "李明" },
      { label: "住所", value: "北京市海淀区中关村南大街12号院3号楼1层101" },
      { label: "经营场所", value: "北京市海淀区中关村南大街12号院3号楼1层101" },
      { label: "主体业态", value: "餐饮服务经营者（中型餐馆）" },
      { label: "经营项目", value: "预包装食品销售（含冷藏冷冻食品）；热食类食品制售；冷食类食品制售；自制饮品制售（不含自酿酒）" },
      { label: "日常监督管理机构", value: "中关村市场监督管理所" },
    ],
    department: { code: samr.code, name: samr.nameZh },
    issueDate: opts.issueDate,
    validUntil: lastDay,
    documentNumber: `JY21101080${serial}`,
    certificateIdentifier,
  });
}
