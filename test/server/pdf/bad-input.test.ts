// Hostile and broken inputs to the signing path: each must fail with its typed error and reason
// code, and the caller's buffer must never change.
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PDFDocument, PDFName } from "pdf-lib";
import { ZeroSignError } from "../../../server/errors";
import { signPdf, type SignPdfParams } from "../../../server/pdf/sign/sign-pdf";
import { makePdfLibPdf, withObjectStreams } from "./fixtures";
import { inputTestParams } from "./sign-params";


async function expectCode(promise: Promise<unknown>, code: string, httpStatus: number): Promise<void> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected ${code}`).to.be.instanceOf(ZeroSignError);
  expect((caught as ZeroSignError).code).to.equal(code);
  expect((caught as ZeroSignError).httpStatus).to.equal(httpStatus);
}

describe("signPdf on bad input", function () {
  let dir: string;
  let plain: Uint8Array;
  let params: SignPdfParams;

  before(async function () {
    ({ dir, params } = await inputTestParams("bad"));
    plain = await makePdfLibPdf();
  });

  it("rejects a file that is not a PDF with PDF_NOT_PDF (415)", async function () {
    await expectCode(signPdf(Buffer.from("hello, this is not a PDF at all\n"), params), "PDF_NOT_PDF", 415);
  });

  it("rejects an empty file with PDF_NOT_PDF", async function () {
    await expectCode(signPdf(new Uint8Array(0), params), "PDF_NOT_PDF", 415);
  });

  it("rejects a PDF cut in half with PDF_TRUNCATED", async function () {
    await expectCode(signPdf(plain.subarray(0, Math.floor(plain.length / 2)), params), "PDF_TRUNCATED", 400);
  });

  it("rejects a startxref that points into the middle of the file with PDF_MALFORMED", async function () {
    const text = Buffer.from(plain).toString("latin1").replace(/startxref\s+\d+/, "startxref\n17");
    await expectCode(signPdf(Buffer.from(text, "latin1"), params), "PDF_MALFORMED", 400);
  });

  it("rejects an xref table whose entry points at the wrong place with PDF_MALFORMED", async function () {
    const text = Buffer.from(plain).toString("latin1");
    const entry = /\n(\d{10}) 00000 n( ?\r?\n)/.exec(text.slice(text.lastIndexOf("\nxref")));
    if (!entry) throw new Error("fixture has no xref entry");
    const moved = String(Number(entry[1]) + 3).padStart(10, "0");
    const broken = text.slice(0, text.lastIndexOf("\nxref")) + text.slice(text.lastIndexOf("\nxref")).replace(entry[0], `\n${moved} 00000 n${entry[2]}`);
    await expectCode(signPdf(Buffer.from(broken, "latin1"), params), "PDF_MALFORMED", 400);
  });

  it("rejects an xref stream PDF whose startxref is off by a few bytes with PDF_MALFORMED", async function () {
    const objstm = Buffer.from(withObjectStreams(plain, dir)).toString("latin1");
    const broken = objstm.replace(/startxref\s+(\d+)/, (_m, n: string) => `startxref\n${Number(n) + 4}`);
    await expectCode(signPdf(Buffer.from(broken, "latin1"), params), "PDF_MALFORMED", 400);
  });

  it("rejects an encrypted PDF with PDF_ENCRYPTED (415)", async function () {
    const input = path.join(dir, "plain.pdf");
    const output = path.join(dir, "encrypted.pdf");
    writeFileSync(input, plain);
    execFileSync("qpdf", ["--encrypt", "user", "owner", "256", "--", input, output]);
    await expectCode(signPdf(readFileSync(output), params), "PDF_ENCRYPTED", 415);
  });

  it("rejects a PDF over the size limit with PDF_TOO_LARGE (413) before parsing it", async function () {
    await expectCode(signPdf(plain, { ...params, maxPdfBytes: plain.length - 1 }), "PDF_TOO_LARGE", 413);
  });

  it("rejects page 3 of a 2-page PDF, and page 0, with PAGE_OUT_OF_RANGE", async function () {
    await expectCode(signPdf(plain, { ...params, page: 3 }), "PAGE_OUT_OF_RANGE", 400);
    await expectCode(signPdf(plain, { ...params, page: 0 }), "PAGE_OUT_OF_RANGE", 400);
  });

  it("rejects a seal box that leaves the page with SEAL_OUTSIDE_PAGE", async function () {
    await expectCode(
      signPdf(plain, { ...params, appearance: { x: 550, y: 100, width: 119, height: 119, operators: "" } }),
      "SEAL_OUTSIDE_PAGE",
      400,
    );
    await expectCode(
      signPdf(plain, { ...params, appearance: { x: 100, y: 100, width: Number.NaN, height: Number.NaN, operators: "" } }),
      "SEAL_OUTSIDE_PAGE",
      400,
    );
  });

  it("refuses to sign a PDF certified with DocMDP P 1 (no changes) with PDF_CERTIFIED_NO_CHANGES (409)", async function () {
    const doc = await PDFDocument.load(plain);
    const sig = doc.context.register(
      doc.context.obj({
        Type: "Sig",
        Reference: [{ Type: "SigRef", TransformMethod: "DocMDP", TransformParams: { Type: "TransformParams", P: 1, V: "1.2" } }],
      }),
    );
    doc.catalog.set(PDFName.of("Perms"), doc.context.obj({ DocMDP: sig }));
    const locked = await doc.save({ useObjectStreams: false });
    await expectCode(signPdf(locked, params), "PDF_CERTIFIED_NO_CHANGES", 409);
  });

  it("fails with SIGNATURE_TOO_LARGE when the CMS does not fit the reserved /Contents", async function () {
    await expectCode(signPdf(plain, { ...params, contentsBytes: 256 }), "SIGNATURE_TOO_LARGE", 500);
  });

  it("never modifies the caller's bytes", async function () {
    const before = Buffer.from(plain);
    await signPdf(plain, params);
    expect(Buffer.compare(before, Buffer.from(plain))).to.equal(0);
  });
});
