// Parsed X.509 certificates by their DER bytes, read natively (node:crypto, OpenSSL) once and
// shared across verifications: a service sees the same department certificates over and over, and
// what a certificate says depends on its bytes alone. Only certificates are cached here, never
// anything about a document (its CMS, checks or verdict). Bounded, so hostile input cannot grow it.
import { X509Certificate, type KeyObject } from "node:crypto";
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
  /** The certificate `der` encodes, or undefined when OpenSSL cannot read it as one. */
  read(der: Uint8Array): ReadCertificate | undefined;
}

/** Entries kept by default: far more than the departments' certificates and their issuers. */
export const DEFAULT_CERTIFICATE_CACHE_ENTRIES = 1_000;

/**
 * A cache of certificates read by DER, least recently used evicted beyond `maxEntries`. Build one
 * per verifier (main.ts, a test) and pass it in VerifyOptions; verifyPdf without one reads afresh.
 */
export function createCertificateCache(opts: { maxEntries?: number } = {}): CertificateCache {
  const maxEntries = opts.maxEntries ?? DEFAULT_CERTIFICATE_CACHE_ENTRIES;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw new RangeError("maxEntries must be a positive integer");
  // null: OpenSSL refused these bytes (as deterministic as a success, so remembered too).
  const entries = new Map<string, ReadCertificate | null>();
  return {
    read(der) {
      const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString("latin1");
      const hit = entries.get(key);
      if (hit !== undefined) {
        // Map order is insertion order: re-inserting marks the entry most recently used.
        entries.delete(key);
        entries.set(key, hit);
        return hit ?? undefined;
      }
      const read = readCertificate(der);
      entries.set(key, read ?? null);
      if (entries.size > maxEntries) {
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
      return read;
    },
  };
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
