// The certificate cache on real certificates (Ed25519, made here with @peculiar/x509 and read by
// OpenSSL): kept by the SHA-256 of their DER, evicted least recently used by bytes and by entries,
// failures never kept, certificates over MAX_CERTIFICATE_BYTES refused unread. And the attack it
// stops: uploads each carrying a fresh bogus 8 MB "certificate" keep nothing of it.
import { X509Certificate } from "node:crypto";
import { expect } from "chai";
import { x509, webcrypto } from "../../../server/pki/x509-setup";
import { readChildren, readTlv, type Tlv } from "../../../server/verify/ber-tlv";
import {
  createCertificateCache,
  DEFAULT_CERTIFICATE_CACHE_BYTES,
  keptBytes,
  MAX_CERTIFICATE_BYTES,
  type ReadCertificate,
} from "../../../server/verify/certificate-cache";
import { verifyPdf } from "../../../server/verify/verifier";
import { tempDir } from "../pdf/signature-tools";
import { makeSignedSamples, signatureSpans } from "./fixtures/forgery-fixtures";
import { minimalPdf } from "./fixtures/malformed-fixtures";
import { resultFor } from "./fixtures/report-tools";

const ED25519 = { name: "Ed25519" };
/** A private extension OID (an unregistered arc) to make certificates of a chosen size. */
const PADDING_EXTENSION = "1.3.6.1.4.1.99999.1";

let keys: webcrypto.CryptoKeyPair;

/** A self-signed certificate whose padding extension holds `padding` bytes. */
async function certificate(cn: string, padding = 0): Promise<Uint8Array> {
  const made = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01",
    name: `CN=${cn}`,
    notBefore: new Date("2025-01-01T00:00:00Z"),
    notAfter: new Date("2026-01-01T00:00:00Z"),
    keys,
    signingAlgorithm: ED25519,
    extensions: padding > 0 ? [new x509.Extension(PADDING_EXTENSION, false, new Uint8Array(padding).fill(0x5a))] : [],
  });
  return new Uint8Array(made.rawData);
}

/** A certificate of exactly `size` DER bytes (Ed25519 signatures have a fixed length). */
async function certificateOfSize(cn: string, size: number): Promise<Uint8Array> {
  const probe = await certificate(cn, 60_000);
  const der = await certificate(cn, 60_000 + size - probe.length);
  if (der.length !== size) throw new Error(`made ${der.length} bytes, not ${size}`);
  return der;
}

function mustRead(cache: ReturnType<typeof createCertificateCache>, der: Uint8Array): ReadCertificate {
  const read = cache.read(der);
  if (!read) throw new Error("the certificate was not read");
  return read;
}

function mustTlv(bytes: Uint8Array, at: number): Tlv {
  const tlv = readTlv(bytes, at);
  if (!tlv) throw new Error("not BER");
  return tlv;
}

function children(bytes: Uint8Array, tlv: Tlv): Tlv[] {
  const out = readChildren(bytes, tlv);
  if (!out) throw new Error("not BER");
  return out;
}

/** A definite-length DER element (lengths up to 2^32 − 1). */
function der(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(contents);
  const n = body.length;
  const length = n < 0x80 ? [n] : [0x84, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  return new Uint8Array(Buffer.concat([Uint8Array.from([tag, ...length]), body]));
}

describe("certificate cache", function () {
  before(async function () {
    const generated = await webcrypto.subtle.generateKey(ED25519, true, ["sign", "verify"]);
    if (!("privateKey" in generated)) throw new Error("not a key pair");
    keys = generated;
  });

  it("reads a certificate once and answers the same DER, in any buffer, from memory", async function () {
    const a = await certificate("a");
    const cache = createCertificateCache();
    const first = mustRead(cache, a);
    expect(first.subject).to.equal("CN=a");
    expect(mustRead(cache, new Uint8Array(a))).to.equal(first);
    expect(cache.size).to.equal(1);
    expect(cache.bytes).to.equal(keptBytes(first));
    expect(cache.bytes).to.be.greaterThan(a.length);
  });

  it("keys by the DER's hash: two certificates differing in one byte are two entries", async function () {
    const a = await certificate("a");
    const b = await certificate("b");
    expect(a.length).to.equal(b.length);
    const cache = createCertificateCache();
    const readA = mustRead(cache, a);
    const readB = mustRead(cache, b);
    expect(readB).to.not.equal(readA);
    expect(readB.subject).to.equal("CN=b");
    expect(cache.size).to.equal(2);
    expect(cache.bytes).to.equal(keptBytes(readA) + keptBytes(readB));
  });

  it("evicts the least recently used certificate once the bytes kept pass maxBytes", async function () {
    const [a, b, c] = await Promise.all(["a", "b", "c"].map((cn) => certificate(cn, 4_000)));
    const probe = createCertificateCache();
    const entryBytes = keptBytes(mustRead(probe, a));
    const cache = createCertificateCache({ maxBytes: Math.floor(entryBytes * 2.5) });
    const readA = mustRead(cache, a);
    const readB = mustRead(cache, b);
    expect(mustRead(cache, a)).to.equal(readA); // a is now the most recently used
    const readC = mustRead(cache, c);
    expect(cache.size).to.equal(2);
    expect(cache.bytes).to.equal(keptBytes(readA) + keptBytes(readC));
    expect(mustRead(cache, a)).to.equal(readA);
    expect(mustRead(cache, c)).to.equal(readC);
    // b was evicted: reading it again parses it afresh (and evicts a, now the oldest).
    expect(mustRead(cache, b)).to.not.equal(readB);
    expect(mustRead(cache, c)).to.equal(readC);
    expect(cache.size).to.equal(2);
  });

  it("still evicts by entries under maxEntries", async function () {
    const [a, b] = await Promise.all(["a", "b"].map((cn) => certificate(cn)));
    const cache = createCertificateCache({ maxEntries: 1 });
    const readA = mustRead(cache, a);
    const readB = mustRead(cache, b);
    expect(cache.size).to.equal(1);
    expect(cache.bytes).to.equal(keptBytes(readB));
    expect(mustRead(cache, a)).to.not.equal(readA);
  });

  it("returns but does not keep a certificate larger than maxBytes itself", async function () {
    const a = await certificate("a", 4_000);
    const cache = createCertificateCache({ maxBytes: 1_000 });
    expect(mustRead(cache, a).subject).to.equal("CN=a");
    expect(cache.size).to.equal(0);
    expect(cache.bytes).to.equal(0);
  });

  it("keeps nothing for DER OpenSSL refuses: the same bogus bytes twice are refused twice, nothing kept", async function () {
    const cache = createCertificateCache();
    const bogus = der(0x30, new Uint8Array(100).fill(7));
    expect(cache.read(bogus)).to.equal(undefined);
    expect(cache.read(bogus)).to.equal(undefined);
    expect(cache.size).to.equal(0);
    expect(cache.bytes).to.equal(0);
    // A good certificate after them is kept as usual.
    mustRead(cache, await certificate("a"));
    expect(cache.size).to.equal(1);
  });

  it("reads a certificate of MAX_CERTIFICATE_BYTES and refuses one a byte longer unread", async function () {
    const atLimit = await certificateOfSize("at-limit", MAX_CERTIFICATE_BYTES);
    const over = await certificateOfSize("over", MAX_CERTIFICATE_BYTES + 1);
    // Both are real certificates OpenSSL reads: only the size cap refuses the second.
    expect(new X509Certificate(over).subject).to.equal("CN=over");
    const cache = createCertificateCache();
    expect(mustRead(cache, atLimit).subject).to.equal("CN=at-limit");
    expect(cache.read(over)).to.equal(undefined);
    expect(cache.size).to.equal(1);
  });

  describe("uploads carrying bogus 8 MB certificates", function () {
    const UPLOADS = 20;
    const BOGUS_BYTES = 8 * 1024 * 1024;
    /** Our CMS's content type, its SignedData fields, and the certificates it includes. */
    let contentType: Uint8Array;
    let fields: Uint8Array[];
    let included: Uint8Array[];

    before(async function () {
      const samples = await makeSignedSamples(tempDir("certificate-cache"));
      const sp = signatureSpans(samples.ecdsa);
      const cms = Uint8Array.from(Buffer.from(Buffer.from(samples.ecdsa.subarray(sp.contentsStart + 1, sp.contentsEnd - 1)).toString("latin1"), "hex"));
      const [type, content] = children(cms, mustTlv(cms, 0));
      contentType = cms.subarray(type.start, type.end);
      const signedData = children(cms, content)[0];
      fields = children(cms, signedData).map((f) => cms.subarray(f.start, f.end));
      // version, digestAlgorithms, encapContentInfo, certificates [0], signerInfos
      expect(fields[3][0]).to.equal(0xa0);
      included = children(fields[3], mustTlv(fields[3], 0)).map((c) => fields[3].subarray(c.start, c.end));
      expect(included.length).to.be.greaterThan(0);
    });

    /**
     * A PDF whose one signature's CMS includes our real certificates and then a bogus 8 MB
     * "certificate" (a SEQUENCE OpenSSL would never read) made distinct by `seed`.
     */
    function uploadWithBogusCertificate(seed: number): Uint8Array {
      const bogusBody = new Uint8Array(BOGUS_BYTES);
      new DataView(bogusBody.buffer).setUint32(0, seed);
      const certificates = der(0xa0, ...included, der(0x30, bogusBody));
      const hostile = der(0x30, contentType, der(0xa0, der(0x30, ...fields.slice(0, 3), certificates, ...fields.slice(4))));
      return signedPdf(Buffer.from(hostile).toString("hex"));
    }

    it("leaves the shared cache within its bound and keeps none of them", async function () {
      const cache = createCertificateCache();
      for (let i = 0; i < UPLOADS; i++) {
        const report = await verifyPdf(uploadWithBogusCertificate(i), { certificates: cache });
        const integrity = resultFor(report, "signature-integrity", 0);
        expect(integrity.status, `upload ${i}`).to.equal("invalid");
        expect(integrity.code, `upload ${i}`).to.equal("CMS_MALFORMED");
        expect(cache.bytes).to.be.at.most(DEFAULT_CERTIFICATE_CACHE_BYTES);
      }
      // Only the real certificates each upload also carried are kept, once.
      expect(cache.size).to.equal(included.length);
      const kept = included.map((c) => keptBytes(mustRead(cache, c)));
      expect(cache.bytes).to.equal(kept.reduce((a, b) => a + b, 0));
      expect(cache.bytes).to.be.below(64 * 1024);
    });
  });
});

/**
 * A one-page PDF whose object 4 is a signature dictionary with `contentsHex` as /Contents and a
 * /ByteRange that leaves out exactly the hex string (the digest will not match: only the CMS
 * matters here).
 */
function signedPdf(contentsHex: string): Uint8Array {
  const placeholder = "[0 0000000000 0000000000 0000000000]";
  const pdf = minimalPdf([`<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange ${placeholder} /Contents <${contentsHex}> >>`]);
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const brAt = text.indexOf(placeholder, 0, "latin1");
  const gapStart = text.indexOf("/Contents <", brAt, "latin1") + "/Contents ".length;
  const gapEnd = gapStart + contentsHex.length + 2;
  const pad = (n: number) => String(n).padStart(10, "0");
  text.write(`[0 ${pad(gapStart)} ${pad(gapEnd)} ${pad(pdf.length - gapEnd)}]`, brAt, "latin1");
  return pdf;
}
