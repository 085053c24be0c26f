// The signing-key abstraction every PDF signature goes through. File keys implement it today; an
// HSM or KMS client can implement the same interface later without touching the PDF code.
import { createPrivateKey, sign as nodeSign, type KeyObject } from "node:crypto";

/** Key algorithms ZeroSign signs with: ECDSA P-256 by default, RSA-2048 for departments' RSA CAs. */
export type SignerAlgorithm = "ecdsa-p256" | "rsa-2048";

/** A private signing key with its certificate; the key material never leaves the implementation. */
export interface Signer {
  readonly algorithm: SignerAlgorithm;
  /** The TrustRegistry key id (keccak256 of the DER SubjectPublicKeyInfo). */
  readonly keyId: string;
  /** DER X.509 certificate of this key. */
  readonly certificateDer: Uint8Array;
  /** DER certificates of the issuers, nearest first, ending with the root. */
  readonly chainDer: readonly Uint8Array[];
  /**
   * Signs `data` with SHA-256: ECDSA returns a DER-encoded Ecdsa-Sig-Value, RSA a PKCS#1 v1.5
   * signature, which is what CMS SignerInfo.signature holds for either algorithm.
   */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/** What {@link createKeyObjectSigner} needs: a PKCS#8 key, its certificate and the issuer chain. */
export interface KeyObjectSignerParams {
  algorithm: SignerAlgorithm;
  keyId: string;
  privateKeyPem: string;
  certificateDer: Uint8Array;
  chainDer: readonly Uint8Array[];
}

/**
 * Builds a {@link Signer} over a PEM private key held in memory. The key is parsed once here, so
 * signing many documents costs one signature operation each and no re-parsing.
 */
export function createKeyObjectSigner(params: KeyObjectSignerParams): Signer {
  const key: KeyObject = createPrivateKey(params.privateKeyPem);
  return {
    algorithm: params.algorithm,
    keyId: params.keyId,
    certificateDer: params.certificateDer,
    chainDer: params.chainDer,
    async sign(data: Uint8Array): Promise<Uint8Array> {
      // node:crypto's default dsaEncoding is "der", the form CMS expects for ECDSA.
      return new Uint8Array(nodeSign("sha256", data, key));
    },
  };
}
