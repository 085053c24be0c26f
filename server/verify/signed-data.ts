// Parses a signature's /Contents as CMS ContentInfo(SignedData) and finds the signer's certificate
// among the included ones. The BER extents of ContentInfo and SignedData are located first
// (ber-tlv.ts); pkijs then parses each SignedData field it owns (digest algorithms, encapsulated
// content info, CRLs, SignerInfos) on its own, and the included certificates are read natively
// (node:crypto, through the verifier's CertificateCache) from their bytes as included: asn1js and
// pkijs's schemas over the certificates and the whole SignedData cost more than all the rest.
// Only parsing and lookup: whether the signature holds is signature-integrity's question.
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import type { PdfSignature } from "../pdf/read/types";
import { readChildren, readTlv, type Tlv } from "./ber-tlv";
import type { CertificateCache, ReadCertificate } from "./certificate-cache";
import type { VerifyContext } from "./context";

/** First identifier octets of the elements walked here (X.690 §8.1.2). */
const TAG = { integer: 0x02, oid: 0x06, sequence: 0x30, set: 0x31, context0: 0xa0, context1: 0xa1 } as const;
/** Contents octets of id-signedData, 1.2.840.113549.1.7.2. */
const SIGNED_DATA_OID = Uint8Array.from([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]);
const OID_SUBJECT_KEY_IDENTIFIER = "2.5.29.14";

/**
 * The most certificates read from one CMS. A signer's chain is a handful (signer, intermediates,
 * root, perhaps an OCSP responder's); each is read by OpenSSL on every verification unless cached,
 * so the count, with the size cap of certificate-cache.ts, bounds what bogus certificates cost.
 */
export const MAX_CMS_CERTIFICATES = 32;
/**
 * The most digest algorithm identifiers accepted: one SignerInfo needs one. pkijs builds an object
 * per identifier, so an unbounded SET of them was half a second per 7 MB of /Contents.
 */
const MAX_CMS_DIGEST_ALGORITHMS = 8;

/** A parsed CMS SignedData with its single SignerInfo and, when included, the signer's certificate. */
export interface ParsedSignedData {
  /** pkijs's SignedData without `certificates` (they are in `certificatesDer`, read natively). */
  signedData: pkijs.SignedData;
  signerInfo: pkijs.SignerInfo;
  /** The certificate the SignerInfo's sid names, if the CMS includes it. */
  signerCertificate?: ReadCertificate;
  /** Its DER bytes (as included, so hashes over it match the ESS signing-certificate). */
  signerCertificateDer?: Uint8Array;
  /** DER of every X.509 certificate included in the CMS, signer's first when found. */
  certificatesDer: Uint8Array[];
}

/** Why a /Contents value is not a usable SignedData. */
export type SignedDataFailure =
  /** Empty, all zero bytes, or not even an ASN.1 SEQUENCE: no signature value at all. */
  | "SIGNATURE_EMPTY"
  /** ASN.1, but not a ContentInfo(SignedData) with exactly one SignerInfo. */
  | "CMS_MALFORMED";

/** The outcome of {@link parseSignedData}. */
export type SignedDataResult =
  | { ok: true; value: ParsedSignedData }
  | { ok: false; code: SignedDataFailure; detail: string };

/** Where SignedData's fields lie (RFC 5652 §5.1), in order; the two optional ones may be absent. */
interface SignedDataFields {
  version: Tlv;
  digestAlgorithms: Tlv;
  encapContentInfo: Tlv;
  certificates?: Tlv;
  crls?: Tlv;
  signerInfos: Tlv;
}

/**
 * Parses BER `contents` (trailing zero padding allowed, as PDF writers reserve room) as CMS
 * ContentInfo(SignedData), reading the included certificates through `certificates`. Never
 * throws: a value that cannot be used is reported as a failure.
 */
export function parseSignedData(contents: Uint8Array, certificates: CertificateCache): SignedDataResult {
  if (contents.length === 0 || contents.every((b) => b === 0)) {
    return { ok: false, code: "SIGNATURE_EMPTY", detail: "the signature value is empty or zero padding" };
  }
  const contentInfo = readTlv(contents, 0);
  if (contentInfo?.tag !== TAG.sequence) {
    return { ok: false, code: "SIGNATURE_EMPTY", detail: "the signature value is not an ASN.1 structure" };
  }
  if (!contents.subarray(contentInfo.end).every((b) => b === 0)) {
    return { ok: false, code: "CMS_MALFORMED", detail: "bytes other than zero padding follow the CMS" };
  }
  const fields = signedDataFields(contents, contentInfo);
  if (typeof fields === "string") return { ok: false, code: "CMS_MALFORMED", detail: fields };
  const entries = fields.certificates ? readChildren(contents, fields.certificates, MAX_CMS_CERTIFICATES) : [];
  if (!entries) return { ok: false, code: "CMS_MALFORMED", detail: NOT_SIGNED_DATA };
  if (entries.length > MAX_CMS_CERTIFICATES) {
    return { ok: false, code: "CMS_MALFORMED", detail: `the CMS includes more than ${MAX_CMS_CERTIFICATES} certificates` };
  }
  // Counted before pkijs parses the SETs, so a hostile count costs a walk that stops early.
  const signerInfoCount = readChildren(contents, fields.signerInfos, 1)?.length;
  const digestAlgorithmCount = readChildren(contents, fields.digestAlgorithms, MAX_CMS_DIGEST_ALGORITHMS)?.length;
  if (signerInfoCount === undefined || digestAlgorithmCount === undefined) return { ok: false, code: "CMS_MALFORMED", detail: NOT_SIGNED_DATA };
  if (signerInfoCount !== 1) return { ok: false, code: "CMS_MALFORMED", detail: ONE_SIGNER_INFO };
  if (digestAlgorithmCount > MAX_CMS_DIGEST_ALGORITHMS) {
    return { ok: false, code: "CMS_MALFORMED", detail: `the CMS names more than ${MAX_CMS_DIGEST_ALGORITHMS} digest algorithms` };
  }
  let signedData: pkijs.SignedData;
  try {
    signedData = new pkijs.SignedData({
      version: parseBer(contents, fields.version, asn1js.Integer).valueBlock.valueDec,
      digestAlgorithms: setElements(contents, fields.digestAlgorithms).map((a) => new pkijs.AlgorithmIdentifier({ schema: a })),
      encapContentInfo: new pkijs.EncapsulatedContentInfo({ schema: parseBer(contents, fields.encapContentInfo, asn1js.Sequence) }),
      ...(fields.crls ? { crls: readCrls(contents, fields.crls) } : {}),
      signerInfos: setElements(contents, fields.signerInfos).map((s) => new pkijs.SignerInfo({ schema: s })),
    });
    // The other CertificateChoices (attribute certificates and the like) are not used, but must
    // still be well formed, as pkijs's SignedData requires.
    const others = entries.filter((e) => e.tag !== TAG.sequence).map((e) => parseBer(contents, e, asn1js.BaseBlock));
    if (others.length > 0) new pkijs.CertificateSet({ schema: new asn1js.Set({ value: others }) });
  } catch {
    // pkijs throws on any schema mismatch, parseBer on BER asn1js refuses; the detail of their
    // messages is not public-safe.
    return { ok: false, code: "CMS_MALFORMED", detail: NOT_SIGNED_DATA };
  }
  if (signedData.signerInfos.length !== 1) return { ok: false, code: "CMS_MALFORMED", detail: ONE_SIGNER_INFO };
  const signerInfo = signedData.signerInfos[0];
  const included: ReadCertificate[] = [];
  for (const entry of entries) {
    if (entry.tag !== TAG.sequence) continue;
    const certificate = certificates.read(contents.subarray(entry.start, entry.end));
    if (!certificate) return { ok: false, code: "CMS_MALFORMED", detail: "an included certificate cannot be read" };
    included.push(certificate);
  }
  const signer = included.find((c) => isSignerCertificate(signerInfo, c.der));
  const ordered = signer ? [signer, ...included.filter((c) => c !== signer)] : included;
  return {
    ok: true,
    value: {
      signedData,
      signerInfo,
      signerCertificate: signer,
      signerCertificateDer: signer?.der,
      certificatesDer: ordered.map((c) => c.der),
    },
  };
}

/** {@link parseSignedData} of `signature`'s contents, computed once per verification. */
export function signedDataOf(ctx: VerifyContext, signature: PdfSignature): Promise<SignedDataResult> {
  return ctx.memo(`signed-data:${signature.index}`, async () => parseSignedData(signature.contents, ctx.certificates));
}

const NOT_SIGNED_DATA = "the value is not a CMS SignedData";
const ONE_SIGNER_INFO = "a PDF signature must have exactly one SignerInfo";

/**
 * Locates SignedData's fields inside ContentInfo ::= SEQUENCE { contentType, content [0] EXPLICIT
 * SignedData }, or says why they are not there. Nothing may follow signerInfos: SignedData has no
 * extension point.
 */
function signedDataFields(bytes: Uint8Array, contentInfo: Tlv): SignedDataFields | string {
  const [contentType, content, ...extra] = readChildren(bytes, contentInfo) ?? [];
  if (contentType?.tag !== TAG.oid || content?.tag !== TAG.context0 || extra.length > 0) return NOT_SIGNED_DATA;
  const oid = bytes.subarray(contentType.contentStart, contentType.contentEnd);
  if (Buffer.compare(oid, SIGNED_DATA_OID) !== 0) return "the CMS content type is not SignedData";
  const inner = readChildren(bytes, content);
  if (inner?.length !== 1 || inner[0].tag !== TAG.sequence) return NOT_SIGNED_DATA;
  const [version, digestAlgorithms, encapContentInfo, ...rest] = readChildren(bytes, inner[0]) ?? [];
  if (version?.tag !== TAG.integer || digestAlgorithms?.tag !== TAG.set || encapContentInfo?.tag !== TAG.sequence) return NOT_SIGNED_DATA;
  let next = 0;
  const certificates = rest[next]?.tag === TAG.context0 ? rest[next++] : undefined;
  const crls = rest[next]?.tag === TAG.context1 ? rest[next++] : undefined;
  const signerInfos = rest[next++];
  if (signerInfos?.tag !== TAG.set || next !== rest.length) return NOT_SIGNED_DATA;
  return { version, digestAlgorithms, encapContentInfo, certificates, crls, signerInfos };
}

/** asn1js's parse of the element at `tlv`, which must be one `type` spanning exactly those bytes. */
function parseBer<T extends asn1js.BaseBlock>(bytes: Uint8Array, tlv: Tlv, type: new () => T): T {
  const asn = asn1js.fromBER(bytes.subarray(tlv.start, tlv.end));
  if (asn.offset !== tlv.end - tlv.start || !(asn.result instanceof type)) throw new Error("BER that asn1js does not read as expected");
  return asn.result;
}

/** The elements of the SET at `tlv`. */
function setElements(bytes: Uint8Array, tlv: Tlv): asn1js.AsnType[] {
  return parseBer(bytes, tlv, asn1js.Set).valueBlock.value;
}

/**
 * SignedData's crls [1] IMPLICIT RevocationInfoChoices, read as pkijs's SignedData.fromSchema reads
 * them: a CertificateRevocationList, or an [1] OtherRevocationInfoFormat.
 */
function readCrls(bytes: Uint8Array, tlv: Tlv): (pkijs.CertificateRevocationList | pkijs.OtherRevocationInfoFormat)[] {
  return parseBer(bytes, tlv, asn1js.Constructed).valueBlock.value.map((crl) => {
    if (crl.idBlock.tagClass === 1) return new pkijs.CertificateRevocationList({ schema: crl });
    if (crl.idBlock.tagClass !== 3 || crl.idBlock.tagNumber !== 1) throw new Error("not a RevocationInfoChoice");
    crl.idBlock.tagClass = 1;
    crl.idBlock.tagNumber = 16;
    return new pkijs.OtherRevocationInfoFormat({ schema: crl });
  });
}

/**
 * True when the certificate `certificateDer` is the one the SignerInfo's sid names: issuer and
 * serial number, compared as pkijs compares them, or subject key identifier.
 */
function isSignerCertificate(signerInfo: pkijs.SignerInfo, certificateDer: Uint8Array): boolean {
  const sid: unknown = signerInfo.sid;
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    const names = issuerAndSerial(certificateDer);
    if (!names || Buffer.compare(sid.serialNumber.valueBlock.valueHexView, names.serialNumber) !== 0) return false;
    // Equal DER is equal names; otherwise pkijs's comparison (string attributes after stringprep).
    if (sid.issuer.isEqual(names.issuer.slice().buffer)) return true;
    try {
      return sid.issuer.isEqual(new pkijs.RelativeDistinguishedNames({ schema: asn1js.fromBER(names.issuer).result }));
    } catch {
      // Not a Name: it names nobody.
      return false;
    }
  }
  if (sid instanceof asn1js.Primitive) {
    // [0] IMPLICIT SubjectKeyIdentifier: compare with the certificate's extension of that name,
    // which pkijs finds (rare in PDF signatures, so its cost does not matter here).
    const wanted = Buffer.from(sid.valueBlock.valueHexView);
    let parsed: unknown;
    try {
      const certificate = new pkijs.Certificate({ schema: asn1js.fromBER(certificateDer).result });
      parsed = certificate.extensions?.find((e) => e.extnID === OID_SUBJECT_KEY_IDENTIFIER)?.parsedValue;
    } catch {
      return false;
    }
    if (!(parsed instanceof asn1js.OctetString)) return false;
    return wanted.length > 0 && wanted.equals(Buffer.from(parsed.valueBlock.valueHexView));
  }
  return false;
}

/**
 * The issuer Name (as included) and the serialNumber's contents octets of a Certificate:
 * TBSCertificate ::= SEQUENCE { version [0] EXPLICIT DEFAULT v1, serialNumber, signature,
 * issuer, … } (RFC 5280 §4.1).
 */
function issuerAndSerial(certificateDer: Uint8Array): { issuer: Uint8Array; serialNumber: Uint8Array } | undefined {
  const certificate = readTlv(certificateDer, 0);
  const tbs = certificate?.tag === TAG.sequence ? readTlv(certificateDer, certificate.contentStart, certificate.contentEnd) : undefined;
  if (tbs?.tag !== TAG.sequence) return undefined;
  const fields = readChildren(certificateDer, tbs) ?? [];
  const first = fields[0]?.tag === TAG.context0 ? 1 : 0;
  const serialNumber = fields[first];
  const issuer = fields[first + 2];
  if (serialNumber?.tag !== TAG.integer || issuer?.tag !== TAG.sequence) return undefined;
  return {
    issuer: certificateDer.subarray(issuer.start, issuer.end),
    serialNumber: certificateDer.subarray(serialNumber.contentStart, serialNumber.contentEnd),
  };
}
