// The crafted files of issue 10, one test per class, each built in code (test/helpers/hostile-pdfs.ts)
// at the size: verifyPdf (offline) must give the exact verdict and code the bounded reader
// owes them, and sealPdf must refuse the inflation bomb with a typed code. What each costs is
// measured by `npm run bench:hostile`, not here: these tests assert answers, never timings.
import { expect } from "chai";
import path from "node:path";
import { DEMO_DEPARTMENTS } from "../../../server/demo/departments";
import { ZeroSignError } from "../../../server/errors";
import { countersignPdf } from "../../../server/pdf/countersign-pdf";
import { countersignMark } from "../pdf/countersign-mark";
import { loadCertificateFonts } from "../../../server/pdf/fonts";
import { sealPdf } from "../../../server/pdf/seal-pdf";
import { ensureDevPki, type DevPki } from "../../../server/pki/dev-pki";
import { createCertificateCache } from "../../../server/verify/certificate-cache";
import type { Report } from "../../../server/verify/types";
import { verifyPdf } from "../../../server/verify/verifier";
import {
  bogusCertificatePdf,
  distinctNamesPdf,
  inflatingObjectStreamsPdf,
  longNumberTokenPdf,
  manyObjectsUpdatePdf,
  sealBombPdf,
  sharedArrayMemberPdf,
  startxrefFloodPdf,
  zeroWidthXrefPdf,
} from "../../helpers/hostile-pdfs";
import { tempDir } from "../pdf/signature-tools";
import { makeUnsignedPdf } from "./fixtures/forgery-fixtures";

const SIGNING_TIME = new Date("2025-03-01T08:00:00Z");
const DEPARTMENT = DEMO_DEPARTMENTS[0];

/** [check, status, code] of every result, for one readable assertion per report. */
function outcome(report: Report): [string, string, string | undefined][] {
  return report.checks.map((c) => [c.id, c.status, c.code]);
}

/** The report of a file the reader refuses: verdict error, `code` on the structure check alone. */
function expectReadError(report: Report, code: string): void {
  expect(report.verdict, report.reason).to.equal("error");
  expect(report.code).to.equal(code);
  expect(outcome(report)).to.deep.equal([["structure", "error", code]]);
}

/** A readable PDF without signatures, offline: unknown NO_SIGNATURES, nothing else decided. */
function expectNoSignatures(report: Report): void {
  expect(report.verdict, report.reason).to.equal("unknown");
  expect(report.code).to.equal("NO_SIGNATURES");
  expect(report.checks[0]).to.include({ id: "structure", status: "unknown", code: "NO_SIGNATURES" });
}

describe("hostile PDFs (issue 10)", function () {
  this.timeout(120_000);
  let pki: DevPki;
  let unsigned: Uint8Array;
  let signed: Uint8Array;

  before(async function () {
    pki = await ensureDevPki(path.join(tempDir("hostile"), "data"), [DEPARTMENT], { algorithms: ["ecdsa-p256"], now: SIGNING_TIME });
    unsigned = await makeUnsignedPdf();
    signed = await countersignPdf(unsigned, { ...countersignMark(), signer: pki.signerFor(DEPARTMENT.code, "staff"), role: "staff", signingTime: SIGNING_TIME });
  });

  describe("(a) an xref stream with a long /Index", function () {
    it("refuses rows of zero width as PDF_MALFORMED, whatever /Index claims", async function () {
      const pdf = zeroWidthXrefPdf();
      expect(pdf.length).to.be.below(2100);
      expectReadError(await verifyPdf(pdf), "PDF_MALFORMED");
    });

    it("refuses an /Index whose rows the stream data cannot hold as PDF_MALFORMED", async function () {
      expectReadError(await verifyPdf(zeroWidthXrefPdf({ w: [1, 0, 0] })), "PDF_MALFORMED");
    });
  });

  describe("(b) one number-like token of 80 000 digits ending in a letter", function () {
    it("lexes it once and refuses the object as PDF_MALFORMED", async function () {
      const pdf = longNumberTokenPdf();
      expect(pdf.length).to.be.above(80_000);
      expectReadError(await verifyPdf(pdf), "PDF_MALFORMED");
    });
  });

  describe("(c) object streams each inflating to just under the per-stream cap", function () {
    it("stops at the file's decoded-bytes budget with PDF_WORK_LIMIT, the reason naming that limit", async function () {
      const pdf = inflatingObjectStreamsPdf();
      expect(pdf.length).to.be.within(900_000, 1_200_000);
      const report = await verifyPdf(pdf);
      expectReadError(report, "PDF_WORK_LIMIT");
      expect(report.reason).to.match(/decompressed/);
    });

    it("reads one such stream, within the budget, to the honest answer", async function () {
      expectNoSignatures(await verifyPdf(inflatingObjectStreamsPdf({ streams: 1 })));
    });
  });

  describe("(d) a large array in an object stream named by a hundred xref entries", function () {
    it("parses the member once: an array within the token budget reads to the honest answer", async function () {
      expectNoSignatures(await verifyPdf(sharedArrayMemberPdf()));
    });

    it("stops a larger array at the token budget with PDF_WORK_LIMIT", async function () {
      const report = await verifyPdf(sharedArrayMemberPdf({ elements: 2_000_000 }));
      expectReadError(report, "PDF_WORK_LIMIT");
      expect(report.reason).to.match(/tokens/);
    });
  });

  describe("(e) a signed file, then an update of 160 000 tiny objects", function () {
    it("compares the revisions and finds only permitted additions: the signature stays intact", async function () {
      const pdf = manyObjectsUpdatePdf(signed);
      expect(pdf.length).to.be.above(7_000_000);
      const report = await verifyPdf(pdf);
      expect(outcome(report)).to.deep.equal([
        ["structure", "valid", undefined],
        ["byte-range", "valid", undefined],
        ["signature-integrity", "valid", undefined],
        ["modifications", "valid", undefined],
        ["anchor", "skipped", "OFFLINE"],
        ["signer-key", "skipped", "OFFLINE"],
        ["revocation", "skipped", "OFFLINE"],
      ]);
      expect(report.document?.revisions).to.equal(3);
      expect(report.checks.find((c) => c.id === "byte-range")?.data).to.include({ coversWholeFile: false });
    });
  });

  describe("(f) a CMS carrying one bogus 8 MB certificate", function () {
    it("reports CMS_MALFORMED and keeps nothing of it in the shared certificate cache", async function () {
      const cache = createCertificateCache();
      const honest = await verifyPdf(signed, { certificates: cache });
      expect(honest.checks.find((c) => c.id === "signature-integrity")?.status).to.equal("valid");
      const kept = { size: cache.size, bytes: cache.bytes };
      expect(kept.size).to.be.above(0);

      const signer = pki.signerFor(DEPARTMENT.code, "staff");
      for (let upload = 0; upload < 2; upload++) {
        const pdf = await bogusCertificatePdf(unsigned, signer, { signingTime: new Date(SIGNING_TIME.getTime() + upload * 1000) });
        expect(pdf.length).to.be.above(16_000_000);
        const report = await verifyPdf(pdf, { certificates: cache });
        expect(report.verdict).to.equal("invalid");
        expect(report.code).to.equal("CMS_MALFORMED");
        expect(report.checks.find((c) => c.id === "signature-integrity")).to.deep.include({
          status: "invalid",
          code: "CMS_MALFORMED",
          data: { detail: "an included certificate cannot be read" },
        });
      }
      expect({ size: cache.size, bytes: cache.bytes }).to.deep.equal(kept);
    });
  });

  describe("(g) sealing a 510 KB file whose object stream inflates to 500 MB", function () {
    it("the verifier refuses it as PDF_TOO_COMPLEX", async function () {
      const pdf = sealBombPdf();
      expect(pdf.length).to.be.within(450_000, 600_000);
      expectReadError(await verifyPdf(pdf), "PDF_TOO_COMPLEX");
    });

    it("sealPdf refuses it with the same typed code, reading it with the verifier's reader and limits", async function () {
      const attempt = sealPdf(sealBombPdf(), {
        signer: pki.signerFor(DEPARTMENT.code, "seal"),
        sealName: "市场监督管理局",
        sealFont: loadCertificateFonts().bold,
        page: 1,
        signingTime: SIGNING_TIME,
      });
      const err: unknown = await attempt.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, "sealPdf sealed the bomb").to.be.instanceOf(ZeroSignError);
      expect(err).to.include({ code: "PDF_TOO_COMPLEX", httpStatus: 400 });
    });
  });

  describe("(h) 64 xref sections and 10 000 decoy startxref strings", function () {
    it("reads the chain to the honest answer", async function () {
      expectNoSignatures(await verifyPdf(startxrefFloodPdf()));
    });
  });

  describe("(i) a catalog of 100 000 distinct names (pdf-lib pools every name for the process's life)", function () {
    it("stops at the distinct-names budget with PDF_WORK_LIMIT, the reason naming it", async function () {
      const report = await verifyPdf(distinctNamesPdf());
      expectReadError(report, "PDF_WORK_LIMIT");
      expect(report.reason).to.match(/distinct names/);
    });

    it("reads a catalog of 10 000 distinct names, within the budget, to the honest answer", async function () {
      expectNoSignatures(await verifyPdf(distinctNamesPdf({ names: 10_000 })));
    });
  });
});
