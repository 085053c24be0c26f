// Parsed X.509 certificates by their DER bytes, read natively (node:crypto, OpenSSL) once and
// shared across verifications: a service sees the same department certificates over and over, and
// what a certificate says depends on its bytes alone. Only certificates are cached here, never
// anything about a document (its CMS, checks or verdict). Bounded in entries and in bytes, and
// certificates over a sane size are refused unread, so hostile uploads cannot grow it or stall it.
import { createHash, X509Certificate, type KeyObject } from "node:crypto";
import { keyIdFromSpki } from "../chain/key-id";

/** What the verifier reads from one certificate, computed once per distinct DER. */
export interface ReadCertificate {
  /** The DER bytes this entry was read from. */
  der: Uint8Array;
  publicKey: KeyObject;
  /** DER SubjectPublicKeyInfo. */
  spkiDer: Uint8Array;
  /** Registry key id: keccak256 of `spkiDer` (server/chain/key-id.ts), 0x-hex. */
  keyIdHex: string;
  /** Subject and issuer as "O=…, CN=…". */
  subject: string;
  issuer: string;
  /** Lowercase hex of the serial number. */
  serialNumberHex: string;
  /** Validity as ISO 8601 times. */
  validFrom: string;
  validTo: string;
}

/** Reads certificates, answering repeated DER from memory. */
export interface CertificateCache {
  /**
   * The certificate `der` encodes, or undefined when OpenSSL cannot read it as one or when it is
   * longer than {@link MAX_CERTIFICATE_BYTES} (refused unread).
   */
  read(der: Uint8Array): ReadCertificate | undefined;
  /** Certificates kept. */
  readonly size: number;
  /** Bytes kept: each kept certificate's DER, SPKI and names ({@link keptBytes}). */
  readonly bytes: number;
}

/** Entries kept by default: far more than the departments' certificates and their issuers. */
export const DEFAULT_CERTIFICATE_CACHE_ENTRIES = 1_000;
/** Bytes kept by default: 16 MiB, at least 256 certificates of the largest size read. */
export const DEFAULT_CERTIFICATE_CACHE_BYTES = 16 * 1024 * 1024;
/**
 * The longest DER read as a certificate. Real ones are 1–2 KiB, a few with long name lists or
 * post-quantum keys up to ~10 KiB; one signed with SLH-DSA-256f carries a 49 856-byte signature.
 * 64 KiB admits all of those, and keeps what a hostile CMS can make OpenSSL parse small.
 */
export const MAX_CERTIFICATE_BYTES = 64 * 1024;

/**
 * A cache of certificates read by DER, least recently used evicted beyond `maxEntries` entries or
 * `maxBytes` bytes kept. Keyed by the SHA-256 of the DER, so a lookup holds no copy of it. Only
 * certificates OpenSSL reads are kept: a failure is cheap to repeat (the size cap bounds it), while
 * remembering failures would let every upload of fresh garbage grow the cache. Build one per
 * verifier (main.ts, a test) and pass it in VerifyOptions; verifyPdf without one reads afresh.
 */
export function createCertificateCache(opts: { maxEntries?: number; maxBytes?: number } = {}): CertificateCache {
  const maxEntries = opts.maxEntries ?? DEFAULT_CERTIFICATE_CACHE_ENTRIES;
  const maxBytes = opts.maxBytes ?? DEFAULT_CERTIFICATE_CACHE_BYTES;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw new RangeError("maxEntries must be a positive integer");
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) throw new RangeError("maxBytes must be a positive integer");
  // Map order is insertion order: re-inserting marks an entry most recently used.
  const entries = new Map<string, { certificate: ReadCertificate; bytes: number }>();
  let bytes = 0;
  return {
    read(der) {
      if (der.byteLength > MAX_CERTIFICATE_BYTES) return undefined;
      const key = createHash("sha256").update(der).digest("base64");
      const hit = entries.get(key);
      if (hit) {
        entries.delete(key);
        entries.set(key, hit);
        return hit.certificate;
      }
      const certificate = readCertificate(der);
      if (!certificate) return undefined;
      const size = keptBytes(certificate);
      if (size > maxBytes) return certificate;
      entries.set(key, { certificate, bytes: size });
      bytes += size;
      for (const [oldest, entry] of entries) {
        if (entries.size <= maxEntries && bytes <= maxBytes) break;
        entries.delete(oldest);
        bytes -= entry.bytes;
      }
      return certificate;
    },
    get size() {
      return entries.size;
    },
    get bytes() {
      return bytes;
    },
  };
}

/** What one entry counts against the byte bound: the buffers and text it holds. */
export function keptBytes(certificate: ReadCertificate): number {
  const text = [certificate.keyIdHex, certificate.subject, certificate.issuer, certificate.serialNumberHex, certificate.validFrom, certificate.validTo];
  return certificate.der.byteLength + certificate.spkiDer.byteLength + text.reduce((n, t) => n + t.length, 0);
}

function readCertificate(der: Uint8Array): ReadCertificate | undefined {
  try {
    const certificate = new X509Certificate(der);
    const publicKey = certificate.publicKey;
    const spkiDer = new Uint8Array(publicKey.export({ type: "spki", format: "der" }));
    return {
      der: new Uint8Array(der),
      publicKey,
      spkiDer,
      keyIdHex: keyIdFromSpki(spkiDer),
      subject: distinguishedName(certificate.subject),
      issuer: distinguishedName(certificate.issuer),
      serialNumberHex: certificate.serialNumber.toLowerCase(),
      validFrom: new Date(certificate.validFrom).toISOString(),
      validTo: new Date(certificate.validTo).toISOString(),
    };
  } catch {
    // OpenSSL cannot read it as a certificate (or its key, or its dates): the caller reports the
    // CMS as unusable rather than half-read facts.
    return undefined;
  }
}

/** Node prints one RDN a line; reports show them on one line. */
function distinguishedName(text: string): string {
  return text.split("\n").filter(Boolean).join(", ");
}
