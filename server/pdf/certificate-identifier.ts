// 证照标识: the unique identifier of one certificate, carried by its verification URL and QR code.
// It must be unguessable (the URL leads to a public page), URL-safe and readable on the page, so it
// is the department code and issue day followed by 80 random bits in Crockford base32.
import { randomBytes as nodeRandomBytes } from "crypto";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * Generates a certificate identifier such as `SAMR-20261123-7K3M9Q2XH4D8PB1Z`.
 * @param opts.departmentCode - the issuing department's registry code (A–Z, 0–9, `_`, `-`)
 * @param opts.issueDate - YYYY-MM-DD
 * @param opts.randomBytes - source of randomness; injected by tests for repeatable output
 */
export function generateCertificateIdentifier(opts: {
  departmentCode: string;
  issueDate: string;
  randomBytes?: (size: number) => Uint8Array;
}): string {
  const bytes = (opts.randomBytes ?? nodeRandomBytes)(10);
  let bits = 0;
  let acc = 0;
  let out = "";
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += CROCKFORD[(acc >> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  return `${opts.departmentCode}-${opts.issueDate.replaceAll("-", "")}-${out}`;
}
