// The record key a certificate's QR code leads to. A certificate cannot carry its own file hash,
// so its verification URL carries the identifier and a random salt; their hash is anchored as an
// extra leaf right after the certificate's, in the same queue, so any node finds the certificate
// on chain from the URL alone. Salted: the ledger never shows a guessable hash of an identifier.
import { createHash, randomBytes } from "node:crypto";

/** A record salt: 16 random bytes as 32 lowercase hex digits, as the URL carries it (`?k=`). */
export const RECORD_SALT = /^[0-9a-f]{32}$/;

/** A fresh salt for one certificate. */
export function newRecordSalt(): string {
  return randomBytes(16).toString("hex");
}

/**
 * The record-key leaf's document hash: sha256("zerosign.record-key/1" ‖ 0x00 ‖ identifier ‖ 0x00 ‖ salt),
 * lowercase 0x-hex. The prefix keeps it apart from any PDF's hash; the separators from ambiguity.
 */
export function recordKeyHash(certificateIdentifier: string, saltHex: string): string {
  if (!RECORD_SALT.test(saltHex)) throw new RangeError("a record salt is 32 lowercase hex digits");
  const hash = createHash("sha256")
    .update("zerosign.record-key/1\0")
    .update(certificateIdentifier, "utf8")
    .update("\0")
    .update(saltHex)
    .digest("hex");
  return `0x${hash}`;
}
