// The one definition of a signing key's id, shared by the TrustRegistry's callers and the verifier:
// keccak256 over the DER-encoded SubjectPublicKeyInfo. Hashing the SPKI (not the raw point) binds
// the algorithm too, so an RSA and an EC key can never share an id. Hashed with @noble/hashes, not
// ethers: the offline verifier then starts without loading ethers at all.
import { keccak_256 } from "@noble/hashes/sha3";

/** Returns the registry key id (0x-hex bytes32, lowercase) of a DER-encoded SubjectPublicKeyInfo. */
export function keyIdFromSpki(spkiDer: Uint8Array): string {
  return `0x${Buffer.from(keccak_256(spkiDer)).toString("hex")}`;
}
