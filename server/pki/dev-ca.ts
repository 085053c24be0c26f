// Generates the dev PKI material: a self-signed P-256 root CA per department and end-entity
// signing certificates issued by it. Pure generation; storing and reusing lives in dev-pki.ts.
import { x509, webcrypto } from "./x509-setup";
import { derToPem } from "./pem";
import type { SignerAlgorithm } from "./signer";

type CryptoKeyPair = webcrypto.CryptoKeyPair;
type CryptoKey = webcrypto.CryptoKey;

/** Freshly generated key and certificate, as PEM for the key store. */
export interface GeneratedCredential {
  keyPem: string;
  certificatePem: string;
}

/** Issuer material needed to sign a certificate. */
export interface IssuerKey {
  certificatePem: string;
  privateKey: CryptoKey;
}

const DAY_MS = 86_400_000;
const ECDSA_KEYGEN = { name: "ECDSA", namedCurve: "P-256" } as const;
const ECDSA_SIGN = { name: "ECDSA", hash: "SHA-256" } as const;
const RSA_KEYGEN = {
  name: "RSASSA-PKCS1-v1_5",
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: "SHA-256",
} as const;

async function generateKeyPair(algorithm: SignerAlgorithm): Promise<CryptoKeyPair> {
  const params = algorithm === "rsa-2048" ? RSA_KEYGEN : ECDSA_KEYGEN;
  return webcrypto.subtle.generateKey(params, true, ["sign", "verify"]);
}

async function pkcs8Pem(key: CryptoKey): Promise<string> {
  return derToPem(new Uint8Array(await webcrypto.subtle.exportKey("pkcs8", key)), "PRIVATE KEY");
}

/** Imports the CA's PKCS#8 P-256 key for issuing certificates. */
export async function importCaKey(certificatePem: string, keyPem: string): Promise<IssuerKey> {
  const der = Buffer.from(keyPem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64");
  const privateKey = await webcrypto.subtle.importKey("pkcs8", der, ECDSA_KEYGEN, false, ["sign"]);
  return { certificatePem, privateKey };
}

/**
 * Creates a department's self-signed root CA (P-256): backdated one day so a skewed clock on a
 * verifier does not see it as "not yet valid", valid `years` from `now`.
 */
export async function createRootCa(orgName: string, now: Date, years: number): Promise<GeneratedCredential> {
  const keys = await generateKeyPair("ecdsa-p256");
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: [{ O: [orgName] }, { CN: [`${orgName} ZeroSign Dev Root CA`] }],
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter: addYears(now, years),
    keys,
    signingAlgorithm: ECDSA_SIGN,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { keyPem: await pkcs8Pem(keys.privateKey), certificatePem: cert.toString("pem") };
}

/** Issues an end-entity signing certificate (digitalSignature + nonRepudiation) under `issuer`. */
export async function issueSigningCertificate(params: {
  issuer: IssuerKey;
  orgName: string;
  commonName: string;
  algorithm: SignerAlgorithm;
  now: Date;
  years: number;
}): Promise<GeneratedCredential> {
  const keys = await generateKeyPair(params.algorithm);
  const issuerCert = new x509.X509Certificate(params.issuer.certificatePem);
  const cert = await x509.X509CertificateGenerator.create({
    subject: [{ O: [params.orgName] }, { CN: [params.commonName] }],
    issuer: issuerCert.subjectName,
    notBefore: new Date(params.now.getTime() - DAY_MS),
    notAfter: addYears(params.now, params.years),
    publicKey: keys.publicKey,
    signingKey: params.issuer.privateKey,
    signingAlgorithm: ECDSA_SIGN,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuerCert),
    ],
  });
  return { keyPem: await pkcs8Pem(keys.privateKey), certificatePem: cert.toString("pem") };
}

function addYears(date: Date, years: number): Date {
  const out = new Date(date.getTime());
  out.setUTCFullYear(out.getUTCFullYear() + years);
  return out;
}
