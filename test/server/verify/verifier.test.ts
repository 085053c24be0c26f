// verifyPdf end to end on PDFs from elsewhere and on broken input: signatures by poppler's pdfsig
// and by @signpdf (RSA, adbe.pkcs7.detached) and by our code (ECDSA and RSA, ETSI.CAdES.detached)
// are intact, offline verdict unknown; unsigned, encrypted and malformed files get their codes;
// a failing chain or check becomes a result and never an exception or a leaked error.
import { expect } from "chai";
import { ChainUnavailableError, ZeroSignError } from "../../../server/errors";
import { countersignPdf } from "../../../server/pdf/countersign-pdf";
import { countersignMark } from "../pdf/countersign-mark";
import { verifyPdf, type ChainReader, type Report } from "../../../server/verify";
import { makeSignedSamples, type SignedSamples } from "./fixtures/forgery-fixtures";
import { deeplyNestedPdf, hugeXrefClaimPdf, withBrokenXref, minimalPdf } from "./fixtures/malformed-fixtures";
import { brief, resultFor, resultsOf } from "./fixtures/report-tools";
import { makeThirdPartyPki, signWithPdfsig, signWithSignpdf, type ThirdPartyPki } from "./fixtures/third-party-fixtures";
import { tempDir } from "../pdf/signature-tools";

function expectIntact(report: Report, count: number): void {
  for (let i = 0; i < count; i++) {
    for (const id of ["byte-range", "signature-integrity"] as const) {
      expect(resultFor(report, id, i).status, brief(report)).to.equal("valid");
    }
  }
  expect(resultsOf(report, "structure")[0].status, brief(report)).to.equal("valid");
}

describe("verifyPdf", function () {
  let s: SignedSamples;
  let tp: ThirdPartyPki;

  before(async function () {
    const dir = tempDir("verifier");
    s = await makeSignedSamples(dir);
    tp = makeThirdPartyPki(dir);
  });

  describe("PDFs from elsewhere", function () {
    it("finds a pdfsig -add-signature signature (RSA, adbe.pkcs7.detached) intact; offline verdict unknown", async function () {
      const report = await verifyPdf(signWithPdfsig(s.unsigned, tp, "pdfsig"));
      expectIntact(report, 1);
      expect(report.signatures[0]).to.deep.include({
        subFilter: "adbe.pkcs7.detached",
        signerSubject: "O=Elsewhere, CN=Third Party Signer",
        coversWholeFile: true,
        revision: 1,
      });
      expect(report.signatures[0].algorithm).to.match(/^RSA-2048 PKCS#1 v1\.5 with SHA-256$/);
      expect(report.verdict).to.equal("unknown");
      expect(resultsOf(report, "signer-key")[0]).to.deep.include({ status: "skipped", code: "OFFLINE" });
    });

    it("finds pdfsig's signature after ours intact, and both of ours too", async function () {
      const report = await verifyPdf(signWithPdfsig(s.twice, tp, "pdfsig-third"));
      expectIntact(report, 3);
      expect(report.signatures.map((x) => x.subFilter)).to.deep.equal(["ETSI.CAdES.detached", "ETSI.CAdES.detached", "adbe.pkcs7.detached"]);
    });

    it("finds an @signpdf/signpdf signature (RSA, adbe.pkcs7.detached) intact", async function () {
      const report = await verifyPdf(await signWithSignpdf(tp));
      expectIntact(report, 1);
      expect(report.signatures[0]).to.deep.include({ subFilter: "adbe.pkcs7.detached", signerSubject: "O=Elsewhere, CN=Third Party Signer", revision: 0 });
    });

    it("finds our ECDSA and RSA signatures intact, with key ids matching the dev PKI", async function () {
      for (const pdf of [s.ecdsa, s.rsa]) expectIntact(await verifyPdf(pdf), 1);
      const report = await verifyPdf(s.twice);
      expectIntact(report, 2);
      const staff = s.pki.keys.find((k) => k.role === "staff" && k.algorithm === "ecdsa-p256");
      const chief = s.pki.keys.find((k) => k.role === "chief" && k.algorithm === "rsa-2048");
      expect(report.signatures.map((x) => x.keyIdHex)).to.deep.equal([staff?.keyId, chief?.keyId]);
      expect(report.document).to.deep.include({ bytes: s.twice.length, revisions: 3, pages: 1 });
    });

    it("reports an unsigned file as unknown with NO_SIGNATURES", async function () {
      const report = await verifyPdf(s.unsigned);
      expect(report).to.deep.include({ verdict: "unknown", code: "NO_SIGNATURES" });
      expect(report.signatures).to.deep.equal([]);
    });
  });

  describe("broken input", function () {
    const cases: { name: string; bytes: () => Uint8Array; code: string; limits?: object }[] = [
      { name: "not a PDF", bytes: () => new Uint8Array(Buffer.from("<html>not a pdf</html>")), code: "PDF_NOT_PDF" },
      { name: "a truncated PDF", bytes: () => s.ecdsa.subarray(0, 5000), code: "PDF_TRUNCATED" },
      { name: "a broken xref", bytes: () => withBrokenXref(minimalPdf(), 7), code: "PDF_MALFORMED" },
      { name: "deep nesting", bytes: () => deeplyNestedPdf(100_000), code: "PDF_TOO_COMPLEX" },
      { name: "a huge object count", bytes: () => hugeXrefClaimPdf(10_000_000), code: "PDF_TOO_COMPLEX" },
      { name: "a file over the size limit", bytes: () => s.ecdsa, code: "PDF_TOO_LARGE", limits: { maxBytes: 1024 } },
    ];
    for (const c of cases) {
      it(`returns verdict error ${c.code} for ${c.name}`, async function () {
        const report = await verifyPdf(c.bytes(), { limits: c.limits });
        expect(report).to.deep.include({ verdict: "error", code: c.code });
        expect(report.checks).to.have.length(1);
      });
    }
  });

  describe("a signed file whose %PDF- header was overwritten", function () {
    const headerless = () => {
      const bytes = new Uint8Array(s.ecdsa);
      Buffer.from("%XYZ-").copy(bytes, bytes.indexOf(0x25));
      return bytes;
    };

    it("is read on and judged: invalid DIGEST_MISMATCH from signature-integrity, as pdfsig reports it", async function () {
      const report = await verifyPdf(headerless());
      expect(report.verdict, brief(report)).to.equal("invalid");
      expect(resultFor(report, "signature-integrity", 0)).to.deep.include({ status: "invalid", code: "DIGEST_MISMATCH" });
      expect(resultFor(report, "byte-range", 0).status).to.equal("valid");
    });

    it("is refused for sealing with PDF_NOT_PDF (415): nothing is signed onto a damaged header", async function () {
      const signing = countersignPdf(headerless(), { ...countersignMark(), signer: s.pki.signerFor("SAMR", "chief"), role: "chief", signingTime: new Date("2025-03-01T08:00:00Z") });
      const err: unknown = await signing.then(() => undefined, (e: unknown) => e);
      expect(err).to.be.instanceOf(ZeroSignError);
      expect(err).to.include({ code: "PDF_NOT_PDF", httpStatus: 415 });
    });
  });

  describe("failures while checking", function () {
    function chainThrowing(make: () => Error): ChainReader {
      const fail = async (): Promise<never> => {
        throw make();
      };
      return { findAnchors: fail, keyAt: fail, revocation: fail, departmentName: fail };
    }

    it("turns an unreachable chain into unknown CHAIN_UNREACHABLE, never invalid", async function () {
      const report = await verifyPdf(s.ecdsa, { chain: chainThrowing(() => new ChainUnavailableError("CHAIN_UNREACHABLE", "down")) });
      for (const id of ["anchor", "signer-key", "revocation"] as const) {
        expect(resultsOf(report, id).map((r) => [r.status, r.code]), brief(report)).to.deep.equal([["unknown", "CHAIN_UNREACHABLE"]]);
      }
      expect(report.verdict).to.equal("unknown");
    });

    it("turns any other thrown error into error CHECK_FAILED without leaking it", async function () {
      const report = await verifyPdf(s.ecdsa, { chain: chainThrowing(() => new Error("secret http://10.0.0.1:8545 stack")) });
      expect(resultsOf(report, "anchor").map((r) => [r.status, r.code]), brief(report)).to.deep.equal([["error", "CHECK_FAILED"]]);
      expect(JSON.stringify(report)).to.not.match(/secret|10\.0\.0\.1|at .*\.ts/);
      expect(report.verdict).to.equal("unknown");
    });
  });
});
