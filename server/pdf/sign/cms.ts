// CMS SignedData for PDF signatures (SubFilter ETSI.CAdES.detached): detached content, SHA-256,
// ECDSA P-256 or RSA PKCS#1 v1.5, signer certificate and its chain included, signed attributes
// content-type, signing-time, message-digest and ESS signing-certificate-v2. Built with pkijs;
// the private key is only reached through the Signer interface.
import { createHash } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import type { Signer } from "../../pki/signer";

const OID = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingTime: "1.2.840.113549.1.9.5",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
  sha256: "2.16.840.1.101.3.4.2.1",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  sha256WithRsa: "1.2.840.113549.1.1.11",
} as const;

/** Input of {@link buildCmsSignature}. */
export interface CmsSignatureParams {
  signer: Signer;
  /** SHA-256 digest of the signed byte ranges. */
  contentDigest: Uint8Array;
  /** Goes into the signing-time attribute. */
  signingTime: Date;
}

/**
 * Builds a DER-encoded CMS ContentInfo(SignedData) over a detached content whose SHA-256 digest is
 * `contentDigest`, signed by `signer`.
 */
export async function buildCmsSignature(params: CmsSignatureParams): Promise<Uint8Array> {
  const { signer } = params;
  const { certificate, chain, essCertificate } = parsedIdentity(signer);

  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 0,
    attributes: [
      attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.data })),
      attribute(OID.signingTime, new asn1js.UTCTime({ valueDate: params.signingTime })),
      attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: toArrayBuffer(params.contentDigest) })),
      attribute(OID.signingCertificateV2, essCertificate),
    ],
  });
  // The signature covers the attributes encoded as a SET (tag 0x31), not as the [0] IMPLICIT
  // field they are stored in (RFC 5652 §5.4).
  const toSign = new Uint8Array(signedAttrs.toSchema().toBER());
  toSign[0] = 0x31;
  const signature = await signer.sign(toSign);

  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }),
    digestAlgorithm: sha256Algorithm(),
    signedAttrs,
    signatureAlgorithm:
      signer.algorithm === "rsa-2048"
        ? new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRsa, algorithmParams: new asn1js.Null() })
        : new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSha256 }),
    signature: new asn1js.OctetString({ valueHex: toArrayBuffer(signature) }),
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [sha256Algorithm()],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    certificates: [certificate, ...chain],
    signerInfos: [signerInfo],
  });
  const contentInfo = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
  return new Uint8Array(contentInfo.toSchema().toBER());
}

interface ParsedIdentity {
  certificate: pkijs.Certificate;
  chain: pkijs.Certificate[];
  essCertificate: asn1js.Sequence;
}

/** A certificate whose ASN.1 schema is built once, however many SignedData it is encoded into. */
class ReusableCertificate extends pkijs.Certificate {
  private schema?: ReturnType<pkijs.Certificate["toSchema"]>;
  override toSchema(): ReturnType<pkijs.Certificate["toSchema"]> {
    this.schema ??= super.toSchema();
    return this.schema;
  }
}

// Parsing two certificates with pkijs costs about 2 ms, more than the rest of a signature; a
// signer's certificates never change, so they are parsed once per Signer object. A WeakMap keeps
// this a pure memo: nothing observable depends on it and it goes away with the signer.
const identities = new WeakMap<Signer, ParsedIdentity>();

function parsedIdentity(signer: Signer): ParsedIdentity {
  let id = identities.get(signer);
  if (!id) {
    const certificate = ReusableCertificate.fromBER(signer.certificateDer);
    id = {
      certificate,
      chain: signer.chainDer.map((der) => ReusableCertificate.fromBER(der)),
      essCertificate: signingCertificateV2(certificate, signer.certificateDer),
    };
    identities.set(signer, id);
  }
  return id;
}

/**
 * ESS SigningCertificateV2 (RFC 5035) with one ESSCertIDv2: SHA-256 (the default algorithm, so
 * omitted) of the signer certificate plus its issuer and serial. It binds the signature to this
 * certificate, so a different certificate with the same key cannot be substituted.
 */
function signingCertificateV2(certificate: pkijs.Certificate, certificateDer: Uint8Array): asn1js.Sequence {
  const issuerSerial = new pkijs.IssuerSerial({
    issuer: new pkijs.GeneralNames({ names: [new pkijs.GeneralName({ type: 4, value: certificate.issuer })] }),
    serialNumber: certificate.serialNumber,
  });
  const essCertIdV2 = new asn1js.Sequence({
    value: [
      new asn1js.OctetString({ valueHex: toArrayBuffer(createHash("sha256").update(certificateDer).digest()) }),
      issuerSerial.toSchema(),
    ],
  });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
}

function attribute(type: string, value: asn1js.AsnType): pkijs.Attribute {
  return new pkijs.Attribute({ type, values: [value] });
}

function sha256Algorithm(): pkijs.AlgorithmIdentifier {
  return new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256, algorithmParams: new asn1js.Null() });
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
