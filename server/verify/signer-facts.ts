// What each signature says about its signer: the certificate in the CMS, its public key and the
// registry key id derived from it, subject, algorithm and the claimed signing time. Shared by the
// summary and the chain checks (signer-key, anchor, revocation); whether the signature is intact
// is not decided here (signature-integrity does that).
import * as asn1js from "asn1js";
import type * as pkijs from "pkijs";
import { resolveSignatureScheme } from "./algorithms";
import type { ReadCertificate } from "./certificate-cache";
import type { VerifyContext } from "./context";
import { signedDataOf, type ParsedSignedData } from "./signed-data";

const OID_SIGNING_TIME = "1.2.840.113549.1.9.5";

/** The facts of one signature's signer, read from its CMS (claims, not yet verified). */
export interface SignerFacts
  extends Pick<ReadCertificate, "spkiDer" | "keyIdHex" | "subject" | "issuer" | "serialNumberHex" | "validFrom" | "validTo"> {
  /** PdfSignature.index of the signature these facts belong to. */
  signatureIndex: number;
  /** DER X.509 signer certificate, as included in the CMS. */
  certificateDer: Uint8Array;
  /** e.g. "ECDSA P-256 with SHA-256"; the raw OID when unsupported. */
  algorithm: string;
  /** The signing-time signed attribute as ISO 8601, when present: informative, not trusted. */
  signingTime?: string;
  /** DER of the other certificates in the CMS (issuers, usually). */
  otherCertificatesDer: Uint8Array[];
}

/**
 * One entry per signature (same order as `ctx.pdf.signatures`): the signer's facts, or undefined
 * where the CMS cannot be parsed or does not include the signer's certificate. Memoized per
 * verification.
 */
export function signerFacts(ctx: VerifyContext): Promise<(SignerFacts | undefined)[]> {
  return ctx.memo("signer-facts", async () =>
    Promise.all(
      ctx.pdf.signatures.map(async (signature) => {
        const parsed = await signedDataOf(ctx, signature);
        const certificate = parsed.ok ? parsed.value.signerCertificate : undefined;
        return parsed.ok && certificate ? factsOf(signature.index, parsed.value, certificate) : undefined;
      }),
    ),
  );
}

function factsOf(signatureIndex: number, parsed: ParsedSignedData, certificate: ReadCertificate): SignerFacts {
  const scheme = resolveSignatureScheme(parsed.signerInfo, certificate.publicKey);
  return {
    signatureIndex,
    certificateDer: certificate.der,
    spkiDer: certificate.spkiDer,
    keyIdHex: certificate.keyIdHex,
    subject: certificate.subject,
    issuer: certificate.issuer,
    serialNumberHex: certificate.serialNumberHex,
    validFrom: certificate.validFrom,
    validTo: certificate.validTo,
    algorithm: scheme.ok ? scheme.scheme.label : parsed.signerInfo.signatureAlgorithm.algorithmId,
    signingTime: signingTimeOf(parsed.signerInfo),
    otherCertificatesDer: parsed.certificatesDer.slice(1),
  };
}

/** The signing-time attribute (UTCTime or GeneralizedTime) as ISO 8601. */
function signingTimeOf(signerInfo: pkijs.SignerInfo): string | undefined {
  const attr = signerInfo.signedAttrs?.attributes.find((a) => a.type === OID_SIGNING_TIME);
  const value: unknown = attr?.values[0];
  if (value instanceof asn1js.UTCTime || value instanceof asn1js.GeneralizedTime) {
    const date = value.toDate();
    return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
  }
  return undefined;
}
