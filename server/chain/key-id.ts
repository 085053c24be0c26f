// The one definition of a signing key's id, shared by the TrustRegistry's callers and the verifier:
// keccak256 over the DER-encoded SubjectPublicKeyInfo. Hashing the SPKI (not the raw point) binds
// the algorithm too, so an RSA and an EC key can never share an id.
import { keccak256 } from "ethers";

/** Returns the registry key id (0x-hex bytes32) of a DER-encoded SubjectPublicKeyInfo. */
export function keyIdFromSpki(spkiDer: Uint8Array): string {
  return keccak256(spkiDer);
}
