// parseSignedData on our own CMS and on re-encodings of it: BER with indefinite lengths, a signer
// named by subject key identifier, revocation information, and hostile structures (fields out of
// place, lengths that overrun their parent, an unreadable signing time), each with its exact code.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { DEMO_DEPARTMENTS } from "../../../server/demo/departments";
import { readChildren, readTlv, type Tlv } from "../../../server/verify/ber-tlv";
import { createCertificateCache, MAX_CERTIFICATE_BYTES } from "../../../server/verify/certificate-cache";
import { MAX_CMS_CERTIFICATES, parseSignedData, type SignedDataResult } from "../../../server/verify/signed-data";
import { tempDir } from "../pdf/signature-tools";
import { makeSignedSamples, signatureSpans } from "./fixtures/forgery-fixtures";

/** A definite-length DER element. */
function der(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(contents);
  const n = body.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Uint8Array.from(Buffer.concat([Uint8Array.from([tag, ...length]), body]));
}

/** The same element with an indefinite length, as streaming signers write it. */
function indefinite(tag: number, ...contents: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat([Uint8Array.from([tag, 0x80]), ...contents, Uint8Array.from([0, 0])]));
}

function mustRead(bytes: Uint8Array, at = 0): Tlv {
  const tlv = readTlv(bytes, at);
  if (!tlv) throw new Error("not BER");
  return tlv;
}

function childrenOf(bytes: Uint8Array, tlv: Tlv): Tlv[] {
  const children = readChildren(bytes, tlv);
  if (!children) throw new Error("not BER");
  return children;
}

/** A CMS split into its content type and SignedData fields, each as its bytes. */
function splitCms(cms: Uint8Array): { contentType: Uint8Array; fields: Uint8Array[] } {
  const [contentType, content] = childrenOf(cms, mustRead(cms));
  const signedData = childrenOf(cms, content)[0];
  return {
    contentType: cms.subarray(contentType.start, contentType.end),
    fields: childrenOf(cms, signedData).map((f) => cms.subarray(f.start, f.end)),
  };
}

/** `cms` with its SignedData fields replaced by `edit`'s. */
function withFields(cms: Uint8Array, edit: (fields: Uint8Array[]) => Uint8Array[]): Uint8Array {
  const { contentType, fields } = splitCms(cms);
  return der(0x30, contentType, der(0xa0, der(0x30, ...edit(fields))));
}

const hex = (text: string) => Uint8Array.from(Buffer.from(text, "hex"));

function failure(result: SignedDataResult): string {
  return result.ok ? "ok" : result.code;
}

describe("parseSignedData", function () {
  let cms: Uint8Array;
  let dir: string;

  before(async function () {
    dir = tempDir("signed-data");
    const s = await makeSignedSamples(dir);
    const sp = signatureSpans(s.ecdsa);
    const padded = Uint8Array.from(Buffer.from(Buffer.from(s.ecdsa.subarray(sp.contentsStart + 1, sp.contentsEnd - 1)).toString("latin1"), "hex"));
    cms = padded.subarray(0, mustRead(padded).end);
  });

  function parse(value: Uint8Array): SignedDataResult {
    return parseSignedData(value, createCertificateCache());
  }

  it("reads our CMS: one SignerInfo, the signer's certificate first among the included ones", function () {
    const result = parse(Uint8Array.from(Buffer.concat([cms, new Uint8Array(64)])));
    if (!result.ok) throw new Error(result.detail);
    const certificates = splitCms(cms).fields[3];
    const included = childrenOf(certificates, mustRead(certificates)).length;
    expect(result.value.certificatesDer).to.have.length(included);
    expect(result.value.signerCertificateDer).to.equal(result.value.certificatesDer[0]);
    expect(result.value.signerCertificate?.subject).to.match(/CN=.*staff/);
    expect(result.value.signedData.encapContentInfo.eContent).to.equal(undefined);
  });

  it("reads the same CMS written with indefinite lengths to the same signer and signature", function () {
    const { contentType, fields } = splitCms(cms);
    const ber = indefinite(0x30, contentType, indefinite(0xa0, indefinite(0x30, ...fields)));
    const a = parse(cms);
    const b = parse(ber);
    if (!a.ok || !b.ok) throw new Error("a CMS does not parse");
    expect(Buffer.from(b.value.signerInfo.signature.valueBlock.valueHexView)).to.deep.equal(Buffer.from(a.value.signerInfo.signature.valueBlock.valueHexView));
    expect(b.value.signerCertificate?.keyIdHex).to.equal(a.value.signerCertificate?.keyIdHex);
  });

  it("finds a signer named by subject key identifier (openssl cms -keyid)", function () {
    const pki = path.join(dir, "data", "pki", DEMO_DEPARTMENTS[0].code);
    writeFileSync(path.join(dir, "content.txt"), "signed by key id");
    const out = path.join(dir, "keyid.der");
    execFileSync("openssl", ["cms", "-sign", "-binary", "-nodetach", "-keyid", "-in", path.join(dir, "content.txt"), "-signer", path.join(pki, "staff.cert.pem"),
      "-inkey", path.join(pki, "staff.key.pem"), "-outform", "DER", "-out", out], { stdio: "pipe" });
    const result = parse(new Uint8Array(readFileSync(out)));
    if (!result.ok) throw new Error(result.detail);
    expect(result.value.signerInfo.sid).to.not.have.property("issuer");
    expect(result.value.signerCertificate?.subject).to.match(/CN=.*staff/);
  });

  it("accepts revocation information in crls [1]: a CRL and an OtherRevocationInfoFormat", function () {
    const pki = path.join(dir, "data", "pki", DEMO_DEPARTMENTS[0].code);
    writeFileSync(path.join(dir, "index.txt"), "");
    writeFileSync(path.join(dir, "crlnumber"), "01\n");
    writeFileSync(path.join(dir, "ca.cnf"), `[ca]\ndefault_ca=d\n[d]\ndatabase=${dir}/index.txt\ncrlnumber=${dir}/crlnumber\ndefault_md=sha256\ndefault_crl_days=30\n`);
    execFileSync("openssl", ["ca", "-config", path.join(dir, "ca.cnf"), "-gencrl", "-keyfile", path.join(pki, "ca.key.pem"), "-cert", path.join(pki, "ca.cert.pem"),
      "-out", path.join(dir, "crl.pem")], { stdio: "pipe" });
    const crl = new Uint8Array(execFileSync("openssl", ["crl", "-in", path.join(dir, "crl.pem"), "-outform", "DER"]));
    const other = der(0xa1, hex("06032b0601"), hex("0500"));
    const withCrls = withFields(cms, (f) => [...f.slice(0, -1), der(0xa1, crl, other), f[f.length - 1]]);
    const result = parse(withCrls);
    if (!result.ok) throw new Error(result.detail);
    expect(result.value.signedData.crls).to.have.length(2);
    expect(result.value.signerCertificate).to.not.equal(undefined);
  });

  /** `cms` whose certificates [0] holds its own certificates repeated to `count` entries. */
  function withCertificateCount(count: number): Uint8Array {
    return withFields(cms, (f) => {
      const own = childrenOf(f[3], mustRead(f[3])).map((c) => f[3].subarray(c.start, c.end));
      const repeated = Array.from({ length: count }, (_, i) => own[i % own.length]);
      return [f[0], f[1], f[2], der(0xa0, ...repeated), f[4]];
    });
  }

  it(`reads a CMS including MAX_CMS_CERTIFICATES (${MAX_CMS_CERTIFICATES}) certificates`, function () {
    const result = parse(withCertificateCount(MAX_CMS_CERTIFICATES));
    if (!result.ok) throw new Error(result.detail);
    expect(result.value.signerCertificate?.subject).to.match(/CN=.*staff/);
  });

  it("rejects a CMS including one certificate more with CMS_MALFORMED, before reading any", function () {
    const result = parse(withCertificateCount(MAX_CMS_CERTIFICATES + 1));
    expect(failure(result)).to.equal("CMS_MALFORMED");
    if (!result.ok) expect(result.detail).to.include(`more than ${MAX_CMS_CERTIFICATES} certificates`);
  });

  it("reads eight digest algorithm identifiers and rejects nine with CMS_MALFORMED, before pkijs parses them", function () {
    const withDigestAlgorithms = (count: number) =>
      withFields(cms, (f) => {
        const [first] = childrenOf(f[1], mustRead(f[1]));
        return [f[0], der(0x31, ...Array.from({ length: count }, () => f[1].subarray(first.start, first.end))), ...f.slice(2)];
      });
    expect(failure(parse(withDigestAlgorithms(8)))).to.equal("ok");
    const nine = parse(withDigestAlgorithms(9));
    expect(failure(nine)).to.equal("CMS_MALFORMED");
    if (!nine.ok) expect(nine.detail).to.include("more than 8 digest algorithms");
  });

  it("rejects a certificate over the cache's size cap as unreadable (CMS_MALFORMED)", function () {
    const huge = der(0x30, new Uint8Array(MAX_CERTIFICATE_BYTES));
    const result = parse(withFields(cms, (f) => [f[0], f[1], f[2], der(0xa0, f[3].subarray(mustRead(f[3]).contentStart), huge), f[4]]));
    expect(failure(result)).to.equal("CMS_MALFORMED");
    if (!result.ok) expect(result.detail).to.equal("an included certificate cannot be read");
  });

  const malformed: { name: string; build: () => Uint8Array; code: string }[] = [
    { name: "a field after signerInfos", build: () => withFields(cms, (f) => [...f, hex("0500")]), code: "CMS_MALFORMED" },
    { name: "certificates after signerInfos", build: () => withFields(cms, (f) => [f[0], f[1], f[2], f[4], f[3]]), code: "CMS_MALFORMED" },
    { name: "two SignerInfos", build: () => withFields(cms, (f) => [...f.slice(0, -1), der(0x31, f[4].subarray(mustRead(f[4]).contentStart), f[4].subarray(mustRead(f[4]).contentStart))]), code: "CMS_MALFORMED" },
    { name: "a revocation choice that is neither a CRL nor [1]", build: () => withFields(cms, (f) => [...f.slice(0, -1), der(0xa1, der(0xa5, hex("06032b0601"))), f[f.length - 1]]), code: "CMS_MALFORMED" },
    { name: "a malformed other CertificateChoice", build: () => withFields(cms, (f) => [f[0], f[1], f[2], der(0xa0, f[3].subarray(mustRead(f[3]).contentStart), der(0xa1, hex("0500"))), f[4]]), code: "CMS_MALFORMED" },
    { name: "an element whose length runs past its parent's", build: () => withFields(cms, (f) => [f[0], der(0x31, hex("300f0609608648016503040201")), ...f.slice(2)]), code: "CMS_MALFORMED" },
    { name: "a content type other than SignedData", build: () => der(0x30, hex("06092a864886f70d010701"), der(0xa0, hex("0500"))), code: "CMS_MALFORMED" },
    { name: "a ContentInfo with no content", build: () => der(0x30, hex("06092a864886f70d010702")), code: "CMS_MALFORMED" },
    { name: "bytes other than zero padding after the CMS", build: () => Uint8Array.from(Buffer.concat([cms, hex("0001")])), code: "CMS_MALFORMED" },
    { name: "a CMS cut short (its length past the end)", build: () => cms.subarray(0, cms.length - 10), code: "SIGNATURE_EMPTY" },
    { name: "a value that is not a SEQUENCE", build: () => hex("0403abcdef"), code: "SIGNATURE_EMPTY" },
    {
      name: "an unreadable GeneralizedTime signing time (asn1js throws on it)",
      build: () => {
        const forged = Uint8Array.from(cms);
        const at = Buffer.from(cms).indexOf(Buffer.concat([hex("170d"), Buffer.from("250301080000Z", "latin1")]));
        if (at < 0) throw new Error("no signing time in the sample CMS");
        forged[at] = 0x18;
        forged.set(Buffer.from("zz", "latin1"), at + 10);
        return forged;
      },
      code: "CMS_MALFORMED",
    },
  ];
  for (const m of malformed) {
    it(`rejects ${m.name} with ${m.code}, without throwing`, function () {
      expect(failure(parse(m.build()))).to.equal(m.code);
    });
  }
});
