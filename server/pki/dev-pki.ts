// The dev key store: per department a root CA and staff / chief / seal signing keys under
// <dataDir>/pki/<DEPT_CODE>/, created on first use and reused afterwards. Production keys would sit
// behind the same Signer interface in an HSM or KMS; nothing here is meant for them.
import path from "node:path";
import { X509Certificate } from "node:crypto";
import { keyIdFromSpki } from "../chain/key-id";
import { NotFoundError } from "../errors";
import { createRootCa, importCaKey, issueSigningCertificate, type GeneratedCredential } from "./dev-ca";
import { ensurePrivateDir, readIfExists, writePrivateFile } from "./key-files";
import { createKeyObjectSigner, type Signer, type SignerAlgorithm } from "./signer";

/** The key roles a department signs with; they match the TrustRegistry's KeyRole names. */
export type SigningRole = "staff" | "chief" | "seal";

/** Roles every department gets, in registration order. */
export const SIGNING_ROLES: readonly SigningRole[] = ["staff", "chief", "seal"];

/** A department as the dev PKI needs it. */
export interface PkiDepartment {
  code: string;
  nameZh: string;
  nameEn: string;
}

/** One signing key of a department, as the chain layer registers it. */
export interface DevPkiKey {
  departmentCode: string;
  role: SigningRole;
  algorithm: SignerAlgorithm;
  /** keccak256 of the DER SubjectPublicKeyInfo (see server/chain/key-id.ts). */
  keyId: string;
  certificateDer: Uint8Array;
  validFromSec: number;
  validUntilSec: number;
}

/** The loaded dev PKI: every key's public facts, and signers over the private keys. */
export interface DevPki {
  readonly keys: readonly DevPkiKey[];
  /** Each department's root CA certificate (DER), by department code. */
  readonly caCertificates: ReadonlyMap<string, Uint8Array>;
  /** Returns the signer of a department's key; throws NotFoundError PKI_UNKNOWN_KEY if absent. */
  signerFor(departmentCode: string, role: SigningRole, algorithm?: SignerAlgorithm): Signer;
}

/** Options of {@link ensureDevPki}. */
export interface EnsureDevPkiOptions {
  /** Clock for certificate validity; defaults to the current time. */
  now?: Date;
  /** Key algorithms to provide for every role; defaults to ["ecdsa-p256"]. */
  algorithms?: readonly SignerAlgorithm[];
}

const VALIDITY_YEARS = 3;
const CA_VALIDITY_YEARS = 10;

/**
 * Loads the dev PKI of `departments` from `<dataDir>/pki/`, creating what is missing: a root CA
 * per department and, for each role and algorithm, a key with its certificate. Files are PEM, mode
 * 0600, in directories of mode 0700. An expired certificate, or one whose CA was replaced, is
 * reissued with a new key (and therefore a new key id).
 */
export async function ensureDevPki(
  dataDir: string,
  departments: readonly PkiDepartment[],
  opts: EnsureDevPkiOptions = {},
): Promise<DevPki> {
  const now = opts.now ?? new Date();
  const algorithms = opts.algorithms ?? ["ecdsa-p256"];
  const keys: DevPkiKey[] = [];
  const caCertificates = new Map<string, Uint8Array>();
  const signers = new Map<string, Signer>();
  await ensurePrivateDir(path.join(dataDir, "pki"));
  for (const dept of departments) {
    const dir = path.join(dataDir, "pki", dept.code);
    await ensurePrivateDir(dir);
    const ca = await loadOrCreate(dir, "ca", now, undefined, () => createRootCa(dept.nameZh, now, CA_VALIDITY_YEARS));
    const caDer = new Uint8Array(ca.certificate.raw);
    caCertificates.set(dept.code, caDer);
    const issuer = await importCaKey(ca.certificatePem, ca.keyPem);
    for (const role of SIGNING_ROLES) {
      for (const algorithm of algorithms) {
        const name = algorithm === "ecdsa-p256" ? role : `${role}-rsa`;
        const cred = await loadOrCreate(dir, name, now, ca.certificate, () =>
          issueSigningCertificate({
            issuer,
            orgName: dept.nameZh,
            commonName: `${dept.nameZh} ${role}`,
            algorithm,
            now,
            years: VALIDITY_YEARS,
          }),
        );
        const spki = new Uint8Array(cred.certificate.publicKey.export({ type: "spki", format: "der" }));
        const key: DevPkiKey = {
          departmentCode: dept.code,
          role,
          algorithm,
          keyId: keyIdFromSpki(spki),
          certificateDer: new Uint8Array(cred.certificate.raw),
          validFromSec: Math.floor(Date.parse(cred.certificate.validFrom) / 1000),
          validUntilSec: Math.floor(Date.parse(cred.certificate.validTo) / 1000),
        };
        keys.push(key);
        signers.set(
          signerKey(dept.code, role, algorithm),
          createKeyObjectSigner({
            algorithm,
            keyId: key.keyId,
            privateKeyPem: cred.keyPem,
            certificateDer: key.certificateDer,
            chainDer: [caDer],
          }),
        );
      }
    }
  }
  return {
    keys,
    caCertificates,
    signerFor(departmentCode, role, algorithm = "ecdsa-p256") {
      const signer = signers.get(signerKey(departmentCode, role, algorithm));
      if (!signer) {
        throw new NotFoundError(
          "PKI_UNKNOWN_KEY",
          `No ${algorithm} ${role} key for department ${departmentCode} in the dev PKI`,
        );
      }
      return signer;
    },
  };
}

interface StoredCredential {
  keyPem: string;
  certificatePem: string;
  certificate: X509Certificate;
}

/**
 * Reads `<name>.key.pem` / `<name>.cert.pem`, or generates them when either is missing, the
 * certificate has expired at `now`, or it was not issued by `issuer` (the CA was regenerated).
 */
async function loadOrCreate(
  dir: string,
  name: string,
  now: Date,
  issuer: X509Certificate | undefined,
  generate: () => Promise<GeneratedCredential>,
): Promise<StoredCredential> {
  const keyFile = path.join(dir, `${name}.key.pem`);
  const certFile = path.join(dir, `${name}.cert.pem`);
  const [keyPem, certificatePem] = await Promise.all([readIfExists(keyFile), readIfExists(certFile)]);
  if (keyPem !== undefined && certificatePem !== undefined) {
    const certificate = new X509Certificate(certificatePem);
    const fresh = Date.parse(certificate.validTo) > now.getTime();
    const chained = issuer === undefined || certificate.checkIssued(issuer);
    if (fresh && chained) return { keyPem, certificatePem, certificate };
  }
  const created = await generate();
  await writePrivateFile(keyFile, created.keyPem);
  await writePrivateFile(certFile, created.certificatePem);
  return { ...created, certificate: new X509Certificate(created.certificatePem) };
}

function signerKey(departmentCode: string, role: SigningRole, algorithm: SignerAlgorithm): string {
  return `${departmentCode}/${role}/${algorithm}`;
}
