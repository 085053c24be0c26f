// The reader's per-file work budget: each kind of work is counted across the whole file, and the
// first limit passed ends the read with PDF_WORK_LIMIT naming that limit. Limits are set low here
// so small honest files pass them; the defaults and their cost live in bench:hostile.
import { expect } from "chai";
import { deflateSync } from "node:zlib";
import { PDFName } from "pdf-lib";
import { PdfReadError, readPdfForVerification } from "../../../../server/pdf/read/read-pdf";
import type { WorkLimits } from "../../../../server/pdf/read/work-budget";
import { verifyPdf } from "../../../../server/verify";
import { withObjectStreams } from "../fixtures";
import { tempDir } from "../signature-tools";
import { makeSignedSamples, type SignedSamples } from "../../verify/fixtures/forgery-fixtures";
import { assemblePdf } from "../../verify/fixtures/malformed-fixtures";

async function readFailure(bytes: Uint8Array, work: Partial<WorkLimits> = {}): Promise<PdfReadError> {
  try {
    await readPdfForVerification(bytes, { work });
  } catch (err) {
    if (err instanceof PdfReadError) return err;
    throw err;
  }
  throw new Error("the read succeeded");
}

/** A file whose only cross-reference section is an xref stream with the given dictionary and rows. */
function xrefStreamPdf(dictEntries: string, rows: Uint8Array): Uint8Array {
  const head = "%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n";
  const at = head.length;
  const body = `3 0 obj\n<< /Type /XRef /Size 4 /Root 1 0 R ${dictEntries} /Length ${rows.length} >>\nstream\n`;
  const tail = `\nendstream\nendobj\nstartxref\n${at}\n%%EOF\n`;
  return Buffer.concat([Buffer.from(head + body, "latin1"), rows, Buffer.from(tail, "latin1")]);
}

describe("the reader's work budget", function () {
  let s: SignedSamples;
  let dir: string;

  before(async function () {
    dir = tempDir("work-budget");
    s = await makeSignedSamples(dir);
  });

  it("reads a signed file within the default budget", async function () {
    const pdf = await readPdfForVerification(s.twice);
    expect(pdf.signatures).to.have.length(2);
    expect(pdf.file.work.spent().tokens).to.be.greaterThan(0);
  });

  for (const [kind, what] of [
    ["tokens", "tokens of PDF syntax"],
    ["objects", "objects parsed"],
    ["xrefRows", "cross-reference entries"],
    ["names", "distinct names"],
  ] as const) {
    it(`stops a file past its ${kind} limit with PDF_WORK_LIMIT naming that limit`, async function () {
      const spent = (await readPdfForVerification(s.twice)).file.work.spent()[kind];
      const err = await readFailure(s.twice, { [kind]: spent - 1 });
      expect(err.reasonCode).to.equal("PDF_WORK_LIMIT");
      expect(err.message).to.contain(what);
      expect(err.httpStatus).to.equal(400);
    });
  }

  it("counts decompressed bytes across all object streams of a file, not per stream", async function () {
    const packed = withObjectStreams(s.ecdsa, dir);
    const spent = (await readPdfForVerification(packed)).file.work.spent().decodedBytes;
    expect(spent).to.be.greaterThan(0);
    const err = await readFailure(packed, { decodedBytes: spent - 1 });
    expect(err.reasonCode).to.equal("PDF_WORK_LIMIT");
    expect(err.message).to.contain("decompressed");
  });

  it("charges comparisons between revisions when changes after a signature are analysed", async function () {
    const report = await verifyPdf(s.twice, { limits: { work: { comparisons: 3 } } });
    expect([report.verdict, report.code]).to.deep.equal(["error", "PDF_WORK_LIMIT"]);
    expect(report.reason).to.contain("comparisons");
  });

  it("refuses an xref stream whose /W gives rows no width, whatever its /Index claims", async function () {
    const err = await readFailure(xrefStreamPdf("/W [0 0 0] /Index [0 100000000 0 100000000]", new Uint8Array(0)));
    expect([err.reasonCode, err.message]).to.deep.equal(["PDF_MALFORMED", "The PDF's cross-reference data is broken: the xref stream's /W gives its rows no width."]);
  });

  it("refuses an /Index counting more rows than the stream's data holds, before reading any", async function () {
    const rows = deflateSync(Buffer.alloc(7 * 4));
    const err = await readFailure(xrefStreamPdf(`/W [1 4 2] /Filter /FlateDecode /Index [0 4 10 90000000]`, rows));
    expect([err.reasonCode, err.message]).to.deep.equal(["PDF_MALFORMED", "The PDF's cross-reference data is broken: the xref stream is shorter than its /Index."]);
  });

  it("reads a 40 000-digit token ending in a letter as one malformed keyword, not a number", async function () {
    const bytes = assemblePdf(["<< /Type /Catalog /Pages 2 0 R >>", `<< /Type /Pages /Kids [] /Count 0 /X ${"7".repeat(40_000)}q >>`]);
    const err = await readFailure(bytes);
    expect(err.reasonCode).to.equal("PDF_MALFORMED");
  });

  for (const [what, token] of [
    ["number", "1".repeat(5000)],
    ["name", `/${"N".repeat(5000)}`],
    ["keyword", "k".repeat(5000)],
  ] as const) {
    it(`refuses a ${what} token longer than 4 096 bytes as PDF_MALFORMED before parsing it`, async function () {
      const bytes = assemblePdf(["<< /Type /Catalog /Pages 2 0 R >>", `<< /Type /Pages /Kids [] /Count 0 /X [${token}] >>`]);
      const err = await readFailure(bytes);
      expect(err.reasonCode).to.equal("PDF_MALFORMED");
      expect(err.message).to.contain("too long");
    });
  }

  it("reads numbers as pdf-lib does: signs, one period, more than 2^53", async function () {
    const bytes = assemblePdf(["<< /Type /Catalog /Pages 2 0 R /N [-3 +4 .5 6. -.25 123456789012345678901] >>", "<< /Type /Pages /Kids [] /Count 0 >>"]);
    const pdf = await readPdfForVerification(bytes);
    const root = pdf.file.lookup.resolve(pdf.file.chain.sections[0].trailer.get(PDFName.of("Root")), 0);
    expect(String(root)).to.contain("/N [ -3 4 0.5 6 -0.25 123456789012345680000 ]");
  });
});
