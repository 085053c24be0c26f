// The signer reads its input with the verifier's reader: hostile files that inflate huge, page
// tree loops and broken xrefs are refused with the reader's codes and statuses, and a file the
// verifier cannot read is refused by the signer with the same code.
import { expect } from "chai";
import { ZeroSignError } from "../../../server/errors";
import { PdfReadError, readPdfForVerification } from "../../../server/pdf/read/read-pdf";
import { signPdf, type SignPdfParams } from "../../../server/pdf/sign/sign-pdf";
import { appendUpdate } from "../verify/fixtures/forgery-fixtures";
import { assemblePdf, deeplyNestedPdf, hugeXrefClaimPdf, minimalPdf, withBrokenXref } from "../verify/fixtures/malformed-fixtures";
import { xrefStreamPdf, type NumberedObject } from "./fixtures";
import { inputTestParams } from "./sign-params";

const MB = 1024 * 1024;

/** The code and HTTP status signPdf fails with. */
async function signError(promise: Promise<unknown>): Promise<[string, number]> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ZeroSignError) return [err.code, err.httpStatus];
    throw err;
  }
  throw new Error("signing succeeded");
}

/** The code the verifier's reader fails with. */
async function readError(bytes: Uint8Array): Promise<string> {
  try {
    await readPdfForVerification(bytes);
  } catch (err) {
    if (err instanceof PdfReadError) return err.reasonCode;
    throw err;
  }
  throw new Error("the read succeeded");
}

/** Catalog 1, page tree 2 and page 3 (A4) with `pageExtra` in the page. */
function pageObjects(pageExtra: string, catalogExtra = ""): NumberedObject[] {
  return [
    { num: 1, body: `<< /Type /Catalog /Pages 2 0 R ${catalogExtra}>>` },
    { num: 2, body: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>" },
    { num: 3, body: `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] ${pageExtra}>>` },
  ];
}

describe("signPdf reading its input with the verifier's reader", function () {
  let params: SignPdfParams;

  before(async function () {
    ({ params } = await inputTestParams("sign-input"));
  });

  it("refuses a page whose /Annots sits in an object stream inflating to 100 MB with PDF_TOO_COMPLEX (400)", async function () {
    // ~100 KB on the wire; pdf-lib's own parser inflated such streams whole, without a cap.
    const bomb = xrefStreamPdf(pageObjects("/Annots 4 0 R"), [{ num: 5, members: [{ num: 4, body: "[]" }], paddingBytes: 100 * MB }]);
    expect(bomb.length).to.be.lessThan(200 * 1024);
    expect(await signError(signPdf(bomb, params))).to.deep.equal(["PDF_TOO_COMPLEX", 400]);
  });

  it("refuses an AcroForm and its /Fields in two object streams of 40 MB each with PDF_WORK_LIMIT (400)", async function () {
    // Each stream is under the per-stream cap; together they pass the file's decoded-bytes budget.
    const twoStreams = xrefStreamPdf(pageObjects("", "/AcroForm 4 0 R"), [
      { num: 6, members: [{ num: 4, body: "<< /Fields 5 0 R >>" }], paddingBytes: 40 * MB },
      { num: 7, members: [{ num: 5, body: "[]" }], paddingBytes: 40 * MB },
    ]);
    expect(await signError(signPdf(twoStreams, params))).to.deep.equal(["PDF_WORK_LIMIT", 400]);
  });

  it("refuses a page tree that loops with PDF_MALFORMED (400)", async function () {
    const looped = assemblePdf(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]);
    expect(await signError(signPdf(looped, params))).to.deep.equal(["PDF_MALFORMED", 400]);
  });

  it("refuses a page with no /MediaBox anywhere above it with PDF_MALFORMED, and signs it invisibly", async function () {
    const bare = assemblePdf(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", "<< /Type /Page /Parent 2 0 R >>"]);
    expect(await signError(signPdf(bare, params))).to.deep.equal(["PDF_MALFORMED", 400]);
    const signed = await signPdf(bare, { ...params, appearance: undefined });
    expect((await readPdfForVerification(signed)).signatures).to.have.length(1);
  });

  it("takes new object numbers above every number a section lists, even when /Size says less", async function () {
    const text = Buffer.from(minimalPdf()).toString("latin1").replace("/Size 4", "/Size 2");
    const signed = await signPdf(Buffer.from(text, "latin1"), params);
    const read = await readPdfForVerification(signed);
    expect(read.signatures).to.have.length(1);
    expect(read.signatures[0].objectNumber).to.be.at.least(4);
    expect(read.pageCount).to.equal(1);
  });

  it("refuses a file with the code the verifier's reader gives it, for every way of being unreadable", async function () {
    // Object 4's entry in revision 0 points elsewhere; revision 1 replaces it. The old signer only
    // checked the newest section and sealed this file, which the verifier then could not read.
    const base = minimalPdf(["<< /Extra 1 >>"]);
    const baseText = Buffer.from(base).toString("latin1");
    const row = [...baseText.matchAll(/(\d{10}) 00000 n /g)][3];
    const brokenRow = `${String(Number(row[1]) + 3).padStart(10, "0")} 00000 n `;
    const brokenOld = appendUpdate(Buffer.from(baseText.replace(row[0], brokenRow), "latin1"), [{ objectNumber: 4, body: "<< /Extra 2 >>" }]);
    const prevLoop = (() => {
      const pdf = Buffer.from(minimalPdf()).toString("latin1");
      const xrefAt = /startxref\n(\d+)/.exec(pdf)?.[1];
      return Buffer.from(pdf.replace("/Root 1 0 R ", `/Root 1 0 R /Prev ${xrefAt} `), "latin1");
    })();
    const cases: [string, Uint8Array][] = [
      ["xref offsets moved", withBrokenXref(minimalPdf(), 3)],
      ["an older revision's entry broken", brokenOld],
      ["a /Prev loop", prevLoop],
      ["a page tree loop", assemblePdf(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [2 0 R] /Count 1 >>"])],
      ["nesting past the limit", deeplyNestedPdf(200_000)],
      ["an xref claiming millions of objects", hugeXrefClaimPdf(5_000_000)],
      ["a cut-off file", minimalPdf().subarray(0, 200)],
    ];
    const seen = new Set<string>();
    for (const [what, bytes] of cases) {
      const code = await readError(bytes);
      seen.add(code);
      expect(await signError(signPdf(bytes, params)), what).to.deep.equal([code, 400]);
    }
    expect([...seen].sort()).to.deep.equal(["PDF_MALFORMED", "PDF_TOO_COMPLEX", "PDF_TRUNCATED"]);
  });
});
