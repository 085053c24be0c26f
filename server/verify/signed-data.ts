// Parses a signature's /Contents as CMS ContentInfo(SignedData) with pkijs and finds the signer's
// certificate among the included ones. Only parsing and lookup: whether the signature holds is
// signature-integrity's question. Memoized per signature so every check parses the CMS once.
import { X509Certificate } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import type { PdfSignature } from "../pdf/read/types";
import type { VerifyContext } from "./context";

const OID_SIGNED_DATA = "1.2.840.113549.1.7.2";
const OID_SUBJECT_KEY_IDENTIFIER = "2.5.29.14";

/** A parsed CMS SignedData with its single SignerInfo and, when included, the signer's certificate. */
export interface ParsedSignedData {
  signedData: pkijs.SignedData;
  signerInfo: pkijs.SignerInfo;
  /** The certificate the SignerInfo's sid names, if the CMS includes it. */
  signerCertificate?: pkijs.Certificate;
  /** Its DER bytes (as included, so hashes over it match the ESS signing-certificate). */
  signerCertificateDer?: Uint8Array;
  /** DER of every certificate included in the CMS, signer's first when found. */
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
 * ContentInfo(SignedData). Never throws: a value that cannot be used is reported as a failure.
 */
export function parseSignedData(contents: Uint8Array): SignedDataResult {
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
  let signedData: pkijs.SignedData;
  try {
    const contentInfo = new pkijs.ContentInfo({ schema: asn.result });
    if (contentInfo.contentType !== OID_SIGNED_DATA) {
      return { ok: false, code: "CMS_MALFORMED", detail: "the CMS content type is not SignedData" };
    }
    signedData = new pkijs.SignedData({ schema: contentInfo.content });
  } catch {
    // pkijs throws on any schema mismatch; the detail of its message is not public-safe.
    return { ok: false, code: "CMS_MALFORMED", detail: "the value is not a CMS SignedData" };
  }
  if (signedData.signerInfos.length !== 1) {
    return { ok: false, code: "CMS_MALFORMED", detail: "a PDF signature must have exactly one SignerInfo" };
  }
  const signerInfo = signedData.signerInfos[0];
  const rawCertificates = certificateBytes(asn.result);
  const certificates = (signedData.certificates ?? []).flatMap((c, i) =>
    c instanceof pkijs.Certificate ? [{ certificate: c, der: rawCertificates[i] ?? certificateDer(c) }] : [],
  );
  const signer = certificates.find((c) => isSignerCertificate(signerInfo, c.certificate));
  const ordered = signer ? [signer, ...certificates.filter((c) => c !== signer)] : certificates;
  const certificatesDer = ordered.map((c) => c.der);
  const signerCertificate = signer?.certificate;
  return {
    ok: true,
    value: {
      signedData,
      signerInfo,
      signerCertificate,
      signerCertificateDer: signerCertificate ? certificatesDer[0] : undefined,
      certificatesDer,
    },
  };
}

/** {@link parseSignedData} of `signature`'s contents, computed once per verification. */
export function signedDataOf(ctx: VerifyContext, signature: PdfSignature): Promise<SignedDataResult> {
  return ctx.memo(`signed-data:${signature.index}`, async () => parseSignedData(signature.contents));
}

/**
 * The signer certificate of `signature` as node:crypto reads it (for its public key), computed
 * once per verification; undefined when the CMS or the certificate is unusable.
 */
export function signerX509Of(ctx: VerifyContext, signature: PdfSignature): Promise<X509Certificate | undefined> {
  return ctx.memo(`signer-x509:${signature.index}`, async () => {
    const parsed = await signedDataOf(ctx, signature);
    const der = parsed.ok ? parsed.value.signerCertificateDer : undefined;
    if (!der) return undefined;
    try {
      return new X509Certificate(der);
    } catch {
      // pkijs accepted what OpenSSL refuses: no usable certificate, which callers report.
      return undefined;
    }
  });
}

/** True when `certificate` is the one the SignerInfo's sid names (issuer+serial or key identifier). */
function isSignerCertificate(signerInfo: pkijs.SignerInfo, certificate: pkijs.Certificate): boolean {
  const sid: unknown = signerInfo.sid;
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    return certificate.issuer.isEqual(sid.issuer) && certificate.serialNumber.isEqual(sid.serialNumber);
  }
  if (sid instanceof asn1js.Primitive) {
    // [0] IMPLICIT SubjectKeyIdentifier: compare with the certificate's extension of that name.
    const wanted = Buffer.from(sid.valueBlock.valueHexView);
    const ext = certificate.extensions?.find((e) => e.extnID === OID_SUBJECT_KEY_IDENTIFIER);
    const parsed: unknown = ext?.parsedValue;
    if (!(parsed instanceof asn1js.OctetString)) return false;
    return wanted.length > 0 && wanted.equals(Buffer.from(parsed.valueBlock.valueHexView));
  }
  return false;
}

/**
 * The bytes of each entry of SignedData.certificates exactly as included (pkijs would re-encode
 * them, which costs more than parsing): ContentInfo [0] → SignedData → certificates [0] IMPLICIT.
 */
function certificateBytes(contentInfo: asn1js.Sequence): Uint8Array[] {
  const explicit: unknown = contentInfo.valueBlock.value[1];
  if (!(explicit instanceof asn1js.Constructed)) return [];
  const signedData: unknown = explicit.valueBlock.value[0];
  if (!(signedData instanceof asn1js.Sequence)) return [];
  const set = signedData.valueBlock.value.find((v) => v.idBlock.tagClass === 3 && v.idBlock.tagNumber === 0);
  if (!(set instanceof asn1js.Constructed)) return [];
  return set.valueBlock.value.map((v) => new Uint8Array(v.valueBeforeDecodeView));
}

/** The certificate's DER: the original TBS bytes re-wrapped, identical to the input for DER input. */
function certificateDer(certificate: pkijs.Certificate): Uint8Array {
  return new Uint8Array(certificate.toSchema(false).toBER(false));
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
