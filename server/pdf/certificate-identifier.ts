// 证照标识: the unique identifier of one certificate, carried by its verification URL and QR code.
// It must be unguessable (the URL leads to a public page), URL-safe and readable on the page, so it
// is the department code and issue day, or an operator's own reference, followed by 80 random bits
// in Crockford base32. The random part is never optional: a chosen id such as SAMR0001 would let
// anyone walk SAMR0002, SAMR0003… through the public document endpoint.
import { randomBytes as nodeRandomBytes } from "crypto";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** An operator's reference that may begin an identifier: URL-safe, starting and ending alphanumeric. */
export const IDENTIFIER_PREFIX = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,38}[A-Za-z0-9])?$/;

/**
 * Generates a certificate identifier such as `SAMR-20261123-7K3M9Q2XH4D8PB1Z`, or with a prefix
 * `SAMR0001-7K3M9Q2XH4D8PB1Z`.
 * @param opts.departmentCode - the issuing department's registry code (A–Z, 0–9, `_`, `-`)
 * @param opts.issueDate - YYYY-MM-DD
 * @param opts.prefix - the operator's own reference (matching {@link IDENTIFIER_PREFIX}, at most
 *   40 characters) in place of the department code and day; the random part follows it all the same
 * @param opts.randomBytes - source of randomness; injected by tests for repeatable output
 * @throws RangeError if `prefix` does not match {@link IDENTIFIER_PREFIX}
 */
export function generateCertificateIdentifier(opts: {
  departmentCode: string;
  issueDate: string;
  prefix?: string;
  randomBytes?: (size: number) => Uint8Array;
}): string {
  if (opts.prefix !== undefined && !IDENTIFIER_PREFIX.test(opts.prefix)) {
    throw new RangeError(`not an identifier prefix: ${JSON.stringify(opts.prefix)}`);
  }
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
  return `${opts.prefix ?? `${opts.departmentCode}-${opts.issueDate.replaceAll("-", "")}`}-${out}`;
}
