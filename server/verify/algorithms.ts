// The signature algorithms the verifier accepts in a CMS SignerInfo, mapped from their OIDs to
// what node:crypto verifies with: ECDSA on P-256/P-384/P-521 and RSA PKCS#1 v1.5 or PSS, with
// SHA-256/384/512. SHA-1 is refused on purpose: collisions make a SHA-1 signature forgeable.
import type { KeyObject } from "node:crypto";
import * as pkijs from "pkijs";

/** Hash names as node:crypto spells them. */
export type HashName = "sha256" | "sha384" | "sha512";

/** How one SignerInfo's signature is to be checked. */
export interface SignatureScheme {
  kind: "ecdsa" | "rsa-pkcs1" | "rsa-pss";
  hash: HashName;
  /** PSS salt length in bytes. */
  saltLength?: number;
  /** For people, e.g. "ECDSA P-256 with SHA-256". */
  label: string;
}

const DIGESTS: Record<string, HashName> = {
  "2.16.840.1.101.3.4.2.1": "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
};

/** Signature OIDs that name their hash; the generic key OIDs take the hash from digestAlgorithm. */
const SIGNATURES: Record<string, { kind: SignatureScheme["kind"]; hash?: HashName }> = {
  "1.2.840.10045.4.3.2": { kind: "ecdsa", hash: "sha256" },
  "1.2.840.10045.4.3.3": { kind: "ecdsa", hash: "sha384" },
  "1.2.840.10045.4.3.4": { kind: "ecdsa", hash: "sha512" },
  "1.2.840.10045.2.1": { kind: "ecdsa" },
  "1.2.840.113549.1.1.11": { kind: "rsa-pkcs1", hash: "sha256" },
  "1.2.840.113549.1.1.12": { kind: "rsa-pkcs1", hash: "sha384" },
  "1.2.840.113549.1.1.13": { kind: "rsa-pkcs1", hash: "sha512" },
  "1.2.840.113549.1.1.1": { kind: "rsa-pkcs1" },
  "1.2.840.113549.1.1.10": { kind: "rsa-pss" },
};

const OID_MGF1 = "1.2.840.113549.1.1.8";
const CURVES: Record<string, string> = { prime256v1: "P-256", secp384r1: "P-384", secp521r1: "P-521" };
const HASH_LABEL: Record<HashName, string> = { sha256: "SHA-256", sha384: "SHA-384", sha512: "SHA-512" };

/** The node:crypto hash of a digest AlgorithmIdentifier OID, or undefined if not accepted. */
export function digestHashName(oid: string): HashName | undefined {
  return DIGESTS[oid];
}

/** The outcome of {@link resolveSignatureScheme}. */
export type SchemeResult = { ok: true; scheme: SignatureScheme } | { ok: false; detail: string };

/**
 * Resolves how to verify `signerInfo` with `publicKey` (the signer certificate's key). Refuses
 * unknown OIDs, SHA-1, a key type that does not fit the algorithm, and PSS parameters node:crypto
 * cannot apply (an MGF1 hash other than the message hash).
 */
export function resolveSignatureScheme(signerInfo: pkijs.SignerInfo, publicKey: KeyObject): SchemeResult {
  const digest = digestHashName(signerInfo.digestAlgorithm.algorithmId);
  if (!digest) return { ok: false, detail: `digest algorithm ${signerInfo.digestAlgorithm.algorithmId}` };
  const sigOid = signerInfo.signatureAlgorithm.algorithmId;
  const entry = SIGNATURES[sigOid];
  if (!entry) return { ok: false, detail: `signature algorithm ${sigOid}` };

  const keyType = publicKey.asymmetricKeyType;
  const details = publicKey.asymmetricKeyDetails ?? {};
  if (entry.kind === "ecdsa") {
    const curve = CURVES[details.namedCurve ?? ""];
    if (keyType !== "ec" || !curve) return { ok: false, detail: "ECDSA needs a P-256, P-384 or P-521 key" };
    const hash = entry.hash ?? digest;
    return { ok: true, scheme: { kind: "ecdsa", hash, label: `ECDSA ${curve} with ${HASH_LABEL[hash]}` } };
  }
  if (keyType !== "rsa" && keyType !== "rsa-pss") return { ok: false, detail: "RSA signature with a non-RSA key" };
  const bits = details.modulusLength ?? 0;
  if (entry.kind === "rsa-pkcs1") {
    const hash = entry.hash ?? digest;
    return { ok: true, scheme: { kind: "rsa-pkcs1", hash, label: `RSA-${bits} PKCS#1 v1.5 with ${HASH_LABEL[hash]}` } };
  }
  const pss = pssParams(signerInfo.signatureAlgorithm);
  if (!pss) return { ok: false, detail: "RSASSA-PSS parameters not supported" };
  return { ok: true, scheme: { kind: "rsa-pss", hash: pss.hash, saltLength: pss.saltLength, label: `RSA-${bits} PSS with ${HASH_LABEL[pss.hash]}` } };
}

function pssParams(algorithm: pkijs.AlgorithmIdentifier): { hash: HashName; saltLength: number } | undefined {
  let params: pkijs.RSASSAPSSParams;
  try {
    params = new pkijs.RSASSAPSSParams({ schema: algorithm.algorithmParams });
  } catch {
    // Absent or malformed parameters: the defaults would be SHA-1, which is refused anyway.
    return undefined;
  }
  const hash = digestHashName(params.hashAlgorithm.algorithmId);
  if (!hash || params.maskGenAlgorithm.algorithmId !== OID_MGF1) return undefined;
  let mgfHash: pkijs.AlgorithmIdentifier;
  try {
    mgfHash = new pkijs.AlgorithmIdentifier({ schema: params.maskGenAlgorithm.algorithmParams });
  } catch {
    return undefined;
  }
  if (digestHashName(mgfHash.algorithmId) !== hash) return undefined;
  return { hash, saltLength: params.saltLength };
}
