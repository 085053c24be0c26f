// Parses a signature's /Contents as CMS ContentInfo(SignedData) and finds the signer's certificate
// among the included ones. pkijs parses the SignedData without its certificates; those are read
// natively (node:crypto, through the verifier's CertificateCache) from their bytes as included,
// because pkijs's schema walk over them cost more than all the rest. Only parsing and lookup:
// whether the signature holds is signature-integrity's question. Memoized per signature.
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import type { PdfSignature } from "../pdf/read/types";
import type { CertificateCache, ReadCertificate } from "./certificate-cache";
import type { VerifyContext } from "./context";

const OID_SIGNED_DATA = "1.2.840.113549.1.7.2";
const OID_SUBJECT_KEY_IDENTIFIER = "2.5.29.14";

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

/**
 * Parses DER `contents` (trailing zero padding allowed, as PDF writers reserve room) as CMS
 * ContentInfo(SignedData), reading the included certificates through `certificates`. Never
 * throws: a value that cannot be used is reported as a failure.
 */
export function parseSignedData(contents: Uint8Array, certificates: CertificateCache): SignedDataResult {
  if (contents.length === 0 || contents.every((b) => b === 0)) {
    return { ok: false, code: "SIGNATURE_EMPTY", detail: "the signature value is empty or zero padding" };
  }
  const asn = asn1js.fromBER(toArrayBuffer(contents));
  if (asn.offset === -1 || !(asn.result instanceof asn1js.Sequence)) {
    return { ok: false, code: "SIGNATURE_EMPTY", detail: "the signature value is not an ASN.1 structure" };
  }
  if (!contents.subarray(asn.offset).every((b) => b === 0)) {
    return { ok: false, code: "CMS_MALFORMED", detail: "bytes other than zero padding follow the CMS" };
  }
  const notSignedData = { ok: false, code: "CMS_MALFORMED", detail: "the value is not a CMS SignedData" } as const;
  let signedData: pkijs.SignedData;
  let entries: asn1js.AsnType[];
  try {
    const contentInfo = new pkijs.ContentInfo({ schema: asn.result });
    if (contentInfo.contentType !== OID_SIGNED_DATA) {
      return { ok: false, code: "CMS_MALFORMED", detail: "the CMS content type is not SignedData" };
    }
    const content: unknown = contentInfo.content;
    if (!(content instanceof asn1js.Sequence)) return notSignedData;
    entries = takeCertificateSet(content);
    signedData = new pkijs.SignedData({ schema: content });
    // The other CertificateChoices (attribute certificates and the like) are not used, but must
    // still be well formed, as they were when pkijs parsed the whole set.
    const others = entries.filter((e) => !isUniversalSequence(e));
    if (others.length > 0) new pkijs.CertificateSet({ schema: new asn1js.Set({ value: others }) });
  } catch {
    // pkijs throws on any schema mismatch; the detail of its message is not public-safe.
    return notSignedData;
  }
  if (signedData.signerInfos.length !== 1) {
    return { ok: false, code: "CMS_MALFORMED", detail: "a PDF signature must have exactly one SignerInfo" };
  }
  const signerInfo = signedData.signerInfos[0];
  const included: { asn: asn1js.Sequence; certificate: ReadCertificate }[] = [];
  for (const entry of entries) {
    if (!isUniversalSequence(entry)) continue;
    const certificate = certificates.read(new Uint8Array(entry.valueBeforeDecodeView));
    if (!certificate) return { ok: false, code: "CMS_MALFORMED", detail: "an included certificate cannot be read" };
    included.push({ asn: entry, certificate });
  }
  const signer = included.find((c) => isSignerCertificate(signerInfo, c.asn));
  const ordered = signer ? [signer, ...included.filter((c) => c !== signer)] : included;
  return {
    ok: true,
    value: {
      signedData,
      signerInfo,
      signerCertificate: signer?.certificate,
      signerCertificateDer: signer?.certificate.der,
      certificatesDer: ordered.map((c) => c.certificate.der),
    },
  };
}

/** {@link parseSignedData} of `signature`'s contents, computed once per verification. */
export function signedDataOf(ctx: VerifyContext, signature: PdfSignature): Promise<SignedDataResult> {
  return ctx.memo(`signed-data:${signature.index}`, async () => parseSignedData(signature.contents, ctx.certificates));
}

/**
 * True when the certificate `certificate` (as parsed from the CMS) is the one the SignerInfo's sid
 * names: issuer and serial number, compared as pkijs compares them, or subject key identifier.
 */
function isSignerCertificate(signerInfo: pkijs.SignerInfo, certificate: asn1js.Sequence): boolean {
  const sid: unknown = signerInfo.sid;
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    const names = issuerAndSerial(certificate);
    if (!names || !sid.serialNumber.isEqual(names.serialNumber)) return false;
    // Equal DER is equal names; otherwise pkijs's comparison (string attributes after stringprep).
    if (sid.issuer.isEqual(names.issuer.valueBeforeDecodeView.slice().buffer)) return true;
    try {
      return sid.issuer.isEqual(new pkijs.RelativeDistinguishedNames({ schema: names.issuer }));
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
      const ext = new pkijs.Certificate({ schema: certificate }).extensions?.find((e) => e.extnID === OID_SUBJECT_KEY_IDENTIFIER);
      parsed = ext?.parsedValue;
    } catch {
      return false;
    }
    if (!(parsed instanceof asn1js.OctetString)) return false;
    return wanted.length > 0 && wanted.equals(Buffer.from(parsed.valueBlock.valueHexView));
  }
  return false;
}

/**
 * Removes SignedData's `certificates [0] IMPLICIT CertificateSet` from the parsed `signedData`
 * and returns its entries (empty when absent), so pkijs does not parse them.
 */
function takeCertificateSet(signedData: asn1js.Sequence): asn1js.AsnType[] {
  const fields = signedData.valueBlock.value;
  const at = fields.findIndex((v) => v.idBlock.tagClass === 3 && v.idBlock.tagNumber === 0);
  if (at === -1) return [];
  const set = fields[at];
  if (!(set instanceof asn1js.Constructed)) return [];
  fields.splice(at, 1);
  return set.valueBlock.value;
}

/**
 * The issuer Name and serialNumber of a Certificate as parsed: TBSCertificate ::= SEQUENCE {
 * version [0] EXPLICIT DEFAULT v1, serialNumber, signature, issuer, … } (RFC 5280 §4.1).
 */
function issuerAndSerial(certificate: asn1js.Sequence): { issuer: asn1js.Sequence; serialNumber: asn1js.Integer } | undefined {
  const tbs: unknown = certificate.valueBlock.value[0];
  if (!(tbs instanceof asn1js.Sequence)) return undefined;
  const fields = tbs.valueBlock.value;
  const first = fields[0]?.idBlock.tagClass === 3 && fields[0].idBlock.tagNumber === 0 ? 1 : 0;
  const serialNumber: unknown = fields[first];
  const issuer: unknown = fields[first + 2];
  if (!(serialNumber instanceof asn1js.Integer) || !(issuer instanceof asn1js.Sequence)) return undefined;
  return { issuer, serialNumber };
}

/** An X.509 Certificate entry of a CertificateSet (the other choices are context-tagged). */
function isUniversalSequence(value: asn1js.AsnType): value is asn1js.Sequence {
  return value instanceof asn1js.Sequence && value.idBlock.tagClass === 1;
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
