// The signature-integrity check, one result per signature: the format is one we verify, the value
// is a real CMS SignedData (not empty, zero or garbage: universal signature forgery), the digest of
// the /ByteRange bytes equals the signed message-digest, the signed attributes fit the included
// certificate, and the signature verifies with that certificate's key. Whose key it is, is the
// signer-key check's question.
import { constants, createHash, createVerify, type KeyObject } from "node:crypto";
import type { ParsedPdf, PdfSignature } from "../../pdf/read/types";
import { digestHashName, resolveSignatureScheme, type SignatureScheme } from "../algorithms";
import { perSignature, type SignatureJudgement } from "../check-result";
import type { Check, VerifyContext } from "../context";
import { checkSignedAttributes } from "../signed-attributes";
import type { ReasonCode } from "../reasons";
import { signedDataOf } from "../signed-data";

/** The /SubFilter values verified: CMS detached signatures (ISO 32000-1 12.8.3.3, ETSI EN 319 142). */
export const SUPPORTED_SUBFILTERS: readonly string[] = ["ETSI.CAdES.detached", "adbe.pkcs7.detached"];

/** The signature-integrity check. */
export const signatureIntegrityCheck: Check = {
  id: "signature-integrity",
  needsChain: false,
  run: (ctx) => perSignature(ctx, "signature-integrity", (signature) => judgeIntegrity(ctx, signature)),
};

async function judgeIntegrity(ctx: VerifyContext, signature: PdfSignature): Promise<SignatureJudgement> {
  if (signature.contents.every((b) => b === 0)) return { status: "invalid", code: "SIGNATURE_EMPTY" };
  if (!signature.subFilter || !SUPPORTED_SUBFILTERS.includes(signature.subFilter)) {
    return { status: "unknown", code: "UNSUPPORTED_SUBFILTER", data: { subFilter: signature.subFilter ?? null } };
  }
  const parsed = await signedDataOf(ctx, signature);
  if (!parsed.ok) return { status: "invalid", code: parsed.code, data: { detail: parsed.detail } };
  const { signedData, signerInfo, signerCertificate } = parsed.value;
  if (signedData.encapContentInfo.eContent !== undefined) {
    // A detached signature must not carry content of its own: it would be what was signed.
    return { status: "invalid", code: "CMS_MALFORMED", data: { detail: "the CMS encapsulates content" } };
  }
  if (!signerCertificate) return { status: "unknown", code: "SIGNER_CERT_MISSING" };
  const publicKey = signerCertificate.publicKey;
  const scheme = resolveSignatureScheme(signerInfo, publicKey);
  const digestHash = digestHashName(signerInfo.digestAlgorithm.algorithmId);
  if (!scheme.ok || !digestHash) {
    return { status: "unknown", code: "UNSUPPORTED_ALGORITHM", data: { detail: scheme.ok ? "digest algorithm" : scheme.detail } };
  }
  const ranges = signedRanges(ctx.pdf, signature);
  if (!Array.isArray(ranges)) return { status: "error", code: ranges };
  const data = { algorithm: scheme.scheme.label };

  const attrs = signerInfo.signedAttrs;
  const signatureValue = new Uint8Array(signerInfo.signature.valueBlock.valueHexView);
  if (!attrs) {
    // PAdES (ETSI.CAdES.detached) requires signed attributes; plain PKCS#7 may sign the content itself.
    if (signature.subFilter === "ETSI.CAdES.detached") {
      return { status: "invalid", code: "SIGNED_ATTRS_INCONSISTENT", data: { ...data, detail: "no signed attributes" } };
    }
    const ok = verifySignature(scheme.scheme, publicKey, ranges, signatureValue);
    return ok ? { status: "valid", data } : { status: "invalid", code: "CMS_SIGNATURE_INVALID", data };
  }
  const checked = checkSignedAttributes(attrs, signerCertificate.der);
  if (!checked.ok) return { status: "invalid", code: "SIGNED_ATTRS_INCONSISTENT", data: { ...data, detail: checked.detail } };
  const digest = createHash(digestHash);
  for (const r of ranges) digest.update(r);
  if (!digest.digest().equals(Buffer.from(checked.messageDigest))) return { status: "invalid", code: "DIGEST_MISMATCH", data };
  // The signature covers the attributes' original encoding as a SET (tag 0x31), RFC 5652 §5.4.
  const signedBytes = new Uint8Array(attrs.encodedValue.slice(0));
  signedBytes[0] = 0x31;
  if (!verifySignature(scheme.scheme, publicKey, [signedBytes], signatureValue)) {
    return { status: "invalid", code: "CMS_SIGNATURE_INVALID", data };
  }
  return { status: "valid", data };
}

/**
 * The two signed ranges, or why there are none: without usable ranges no digest can be taken,
 * which is the byte-range check's finding (this check reports error with the same code).
 */
function signedRanges(pdf: ParsedPdf, signature: PdfSignature): Uint8Array[] | ReasonCode {
  const br = signature.byteRange;
  if (br.length === 0) return "BYTE_RANGE_MISSING";
  if (br.length !== 4 || !br.every((n) => Number.isSafeInteger(n) && n >= 0)) return "BYTE_RANGE_MALFORMED";
  const [a, b, c, d] = br;
  if (a + b > pdf.bytes.length || c + d > pdf.bytes.length) return "BYTE_RANGE_OUT_OF_FILE";
  return [pdf.bytes.subarray(a, a + b), pdf.bytes.subarray(c, c + d)];
}

function verifySignature(scheme: SignatureScheme, key: KeyObject, data: Uint8Array[], signatureValue: Uint8Array): boolean {
  const verifier = createVerify(scheme.hash);
  for (const part of data) verifier.update(part);
  const keyInput =
    scheme.kind === "rsa-pss"
      ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: scheme.saltLength }
      : scheme.kind === "ecdsa"
        ? { key, dsaEncoding: "der" as const }
        : { key };
  try {
    return verifier.verify(keyInput, signatureValue);
  } catch {
    // OpenSSL throws on some malformed signature encodings: that is a signature that does not verify.
    return false;
  }
}
