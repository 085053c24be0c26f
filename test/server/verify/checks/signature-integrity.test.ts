// The signature-integrity check: our ECDSA and RSA signatures verify; the universal-forgery values
// (empty, null, zero, garbage, missing /Contents), a changed signed byte, a changed signature
// value and a foreign CMS each come back invalid with their exact code.
import { expect } from "chai";
import * as asn1js from "asn1js";
import { verifyPdf } from "../../../../server/verify";
import { createCertificateCache } from "../../../../server/verify/certificate-cache";
import { parseSignedData } from "../../../../server/verify/signed-data";
import {
  makeSignedSamples,
  signatureSpans,
  withContents,
  withContentsBytes,
  withoutContents,
  type SignedSamples,
} from "../fixtures/forgery-fixtures";
import { brief, resultFor } from "../fixtures/report-tools";
import { tempDir } from "../../pdf/signature-tools";

describe("signature-integrity check", function () {
  let s: SignedSamples;

  before(async function () {
    s = await makeSignedSamples(tempDir("integrity"));
  });

  async function integrityOf(pdf: Uint8Array, index = 0) {
    const report = await verifyPdf(pdf);
    return { report, result: resultFor(report, "signature-integrity", index) };
  }

  /** The CMS DER of the n-th signature of `pdf`. */
  function cmsOf(pdf: Uint8Array, n = 0): Uint8Array {
    const sp = signatureSpans(pdf, n);
    const hex = Buffer.from(pdf.subarray(sp.contentsStart + 1, sp.contentsEnd - 1)).toString("latin1");
    const bytes = new Uint8Array(Buffer.from(hex, "hex"));
    const parsed = asn1js.fromBER(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    return bytes.subarray(0, parsed.offset);
  }

  it("verifies our ECDSA P-256 ETSI.CAdES.detached signature", async function () {
    const { result, report } = await integrityOf(s.ecdsa);
    expect(result.status, brief(report)).to.equal("valid");
    expect(result.data).to.deep.equal({ algorithm: "ECDSA P-256 with SHA-256" });
  });

  it("verifies our RSA-2048 signature, and both signatures of a countersigned file", async function () {
    expect((await integrityOf(s.rsa)).result.data).to.deep.equal({ algorithm: "RSA-2048 PKCS#1 v1.5 with SHA-256" });
    const report = await verifyPdf(s.twice);
    expect([0, 1].map((i) => resultFor(report, "signature-integrity", i).status)).to.deep.equal(["valid", "valid"]);
  });

  const forgeries: { name: string; build: () => Uint8Array; code: string }[] = [
    { name: "all-zero /Contents", build: () => withContents(s.ecdsa, `<${"0".repeat(signatureSpans(s.ecdsa).contentsEnd - signatureSpans(s.ecdsa).contentsStart - 2)}>`), code: "SIGNATURE_EMPTY" },
    { name: "an empty /Contents <>", build: () => withContents(s.ecdsa, "<>"), code: "SIGNATURE_EMPTY" },
    { name: "/Contents null", build: () => withContents(s.ecdsa, "null"), code: "SIGNATURE_EMPTY" },
    { name: "a missing /Contents", build: () => withoutContents(s.ecdsa), code: "SIGNATURE_EMPTY" },
    { name: "garbage that is not ASN.1", build: () => withContentsBytes(s.ecdsa, Buffer.from("not a signature at all")), code: "SIGNATURE_EMPTY" },
    { name: "ASN.1 that is not a SignedData", build: () => withContentsBytes(s.ecdsa, Buffer.from("3006020101020102", "hex")), code: "CMS_MALFORMED" },
    { name: "a valid CMS taken from another revision", build: () => withContentsBytes(s.ecdsa, cmsOf(s.twice, 1)), code: "DIGEST_MISMATCH" },
  ];

  for (const f of forgeries) {
    it(`rejects ${f.name} with ${f.code}`, async function () {
      const { result, report } = await integrityOf(f.build());
      expect(result.status, brief(report)).to.equal("invalid");
      expect(result.code, brief(report)).to.equal(f.code);
      expect(report.verdict).to.equal("invalid");
    });
  }

  it("rejects a changed byte inside the signed range with DIGEST_MISMATCH", async function () {
    const tampered = new Uint8Array(s.ecdsa);
    const at = Buffer.from(tampered).indexOf("Certificate of test");
    // pdf-lib writes the page text as a hex string; change a byte of the header comment instead when absent.
    tampered[at >= 0 ? at : 10] ^= 0x01;
    const { result } = await integrityOf(tampered);
    expect(result).to.deep.include({ status: "invalid", code: "DIGEST_MISMATCH" });
  });

  it("rejects a changed signature value with CMS_SIGNATURE_INVALID", async function () {
    const cms = cmsOf(s.ecdsa);
    const parsed = parseSignedData(cms, createCertificateCache());
    if (!parsed.ok) throw new Error("our own CMS does not parse");
    const sig = Buffer.from(parsed.value.signerInfo.signature.valueBlock.valueHexView);
    const at = Buffer.from(cms).indexOf(sig);
    const forged = new Uint8Array(cms);
    // Flip a bit of r inside the DER Ecdsa-Sig-Value (past its SEQUENCE/INTEGER headers).
    forged[at + 8] ^= 0x01;
    const { result } = await integrityOf(withContentsBytes(s.ecdsa, forged));
    expect(result).to.deep.include({ status: "invalid", code: "CMS_SIGNATURE_INVALID" });
  });

  it("rejects a changed signed attribute (signing time) with CMS_SIGNATURE_INVALID", async function () {
    const cms = cmsOf(s.ecdsa);
    const time = Buffer.from(cms).indexOf(Buffer.from("250301080000Z", "latin1"));
    expect(time).to.be.greaterThan(0);
    const forged = new Uint8Array(cms);
    forged[time + 1] = 0x36; // 2025 -> 2026
    const { result } = await integrityOf(withContentsBytes(s.ecdsa, forged));
    expect(result).to.deep.include({ status: "invalid", code: "CMS_SIGNATURE_INVALID" });
  });

  it("rejects a signing-certificate-v2 that hashes another certificate with SIGNED_ATTRS_INCONSISTENT", async function () {
    const { createHash } = await import("node:crypto");
    const cms = cmsOf(s.ecdsa);
    const parsed = parseSignedData(cms, createCertificateCache());
    if (!parsed.ok || !parsed.value.signerCertificateDer) throw new Error("our own CMS does not parse");
    const certHash = createHash("sha256").update(parsed.value.signerCertificateDer).digest();
    const at = Buffer.from(cms).indexOf(certHash);
    expect(at).to.be.greaterThan(0);
    const forged = new Uint8Array(cms);
    forged[at] ^= 0xff;
    const { result } = await integrityOf(withContentsBytes(s.ecdsa, forged));
    expect(result).to.deep.include({ status: "invalid", code: "SIGNED_ATTRS_INCONSISTENT" });
  });

  it("reports an unsupported /SubFilter as unknown, not valid", async function () {
    const from = "/SubFilter /ETSI.CAdES.detached";
    const pdf = Buffer.from(s.ecdsa).toString("latin1").replace(from, "/SubFilter /ETSI.RFC3161".padEnd(from.length, " "));
    const { result } = await integrityOf(new Uint8Array(Buffer.from(pdf, "latin1")));
    expect(result).to.deep.include({ status: "unknown", code: "UNSUPPORTED_SUBFILTER" });
  });
});
