// Reads and checks the CMS signed attributes a PDF signature relies on (RFC 5652 §11, RFC 5035):
// content-type must be id-data, exactly one message-digest, and an ESS signing-certificate(-v2),
// when present, must hash the included signer certificate, so another certificate for the same
// key cannot be passed off as the signer's. pkijs parses; this file only compares.
import { createHash } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { digestHashName } from "./algorithms";

const OID = {
  data: "1.2.840.113549.1.7.1",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingCertificate: "1.2.840.113549.1.9.16.2.12",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
  sha256: "2.16.840.1.101.3.4.2.1",
} as const;

/** The outcome of {@link checkSignedAttributes}: the message digest, or what is inconsistent. */
export type SignedAttributesResult = { ok: true; messageDigest: Uint8Array } | { ok: false; detail: string };

/** Checks `attrs` against the signer certificate's DER; returns the message digest they carry. */
export function checkSignedAttributes(attrs: pkijs.SignedAndUnsignedAttributes, signerCertificateDer: Uint8Array): SignedAttributesResult {
  const byType = (oid: string) => attrs.attributes.filter((a) => a.type === oid);
  const contentType = byType(OID.contentType);
  const ct: unknown = contentType[0]?.values[0];
  if (contentType.length !== 1 || !(ct instanceof asn1js.ObjectIdentifier) || ct.valueBlock.toString() !== OID.data) {
    return { ok: false, detail: "the content-type attribute is missing or not id-data" };
  }
  const digests = byType(OID.messageDigest);
  const md: unknown = digests[0]?.values[0];
  if (digests.length !== 1 || digests[0].values.length !== 1 || !(md instanceof asn1js.OctetString)) {
    return { ok: false, detail: "there must be exactly one message-digest attribute" };
  }
  for (const attr of [...byType(OID.signingCertificateV2), ...byType(OID.signingCertificate)]) {
    const v2 = attr.type === OID.signingCertificateV2;
    if (!essHashesCertificate(attr.values[0], signerCertificateDer, v2)) {
      return { ok: false, detail: "the signing-certificate attribute names another certificate" };
    }
  }
  return { ok: true, messageDigest: new Uint8Array(md.valueBlock.valueHexView) };
}

/** True when the first ESSCertID(v2) of a SigningCertificate(V2) value hashes `certificateDer`. */
function essHashesCertificate(value: unknown, certificateDer: Uint8Array, v2: boolean): boolean {
  if (!(value instanceof asn1js.Sequence)) return false;
  const certs: unknown = value.valueBlock.value[0];
  if (!(certs instanceof asn1js.Sequence)) return false;
  const first: unknown = certs.valueBlock.value[0];
  if (!(first instanceof asn1js.Sequence)) return false;
  let hashName = "sha1";
  let hashValue: unknown = first.valueBlock.value[0];
  if (v2) {
    // ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT sha256, certHash, issuerSerial OPTIONAL }
    if (hashValue instanceof asn1js.Sequence) {
      const alg = new pkijs.AlgorithmIdentifier({ schema: hashValue });
      const name = digestHashName(alg.algorithmId);
      if (!name) return false;
      hashName = name;
      hashValue = first.valueBlock.value[1];
    } else {
      hashName = "sha256";
    }
  }
  if (!(hashValue instanceof asn1js.OctetString)) return false;
  const expected = createHash(hashName).update(certificateDer).digest();
  return expected.equals(Buffer.from(hashValue.valueBlock.valueHexView));
}
