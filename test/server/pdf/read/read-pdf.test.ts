// The verification reader: revisions from the xref chain (not from %%EOF text), signature
// dictionaries located in raw bytes, xref streams, and every kind of bad input refused with its
// PdfReadError code, never a crash or a hang.
import { expect } from "chai";
import { readPdfForVerification, PdfReadError } from "../../../../server/pdf/read/read-pdf";
import { makeSignedSamples, signatureSpans, appendUpdate, type SignedSamples } from "../../verify/fixtures/forgery-fixtures";
import { assemblePdf, deeplyNestedPdf, hugeXrefClaimPdf, minimalPdf, withBrokenXref } from "../../verify/fixtures/malformed-fixtures";
import { tempDir } from "../signature-tools";
import { withObjectStreams } from "../fixtures";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DEMO_DEPARTMENTS } from "../../../../server/demo/departments";
import { signPdf } from "../../../../server/pdf/sign/sign-pdf";

async function readError(bytes: Uint8Array, limits = {}): Promise<string> {
  try {
    await readPdfForVerification(bytes, limits);
  } catch (err) {
    if (err instanceof PdfReadError) return err.reasonCode;
    throw err;
  }
  throw new Error("the read succeeded");
}

describe("readPdfForVerification", function () {
  let dir: string;
  let s: SignedSamples;

  before(async function () {
    dir = tempDir("read-pdf");
    s = await makeSignedSamples(dir);
  });

  it("reads each revision's end from the xref chain and each signature's /Contents offsets", async function () {
    const pdf = await readPdfForVerification(s.twice);
    expect(pdf.revisions).to.have.length(3);
    expect(pdf.revisions[2].endOffset).to.equal(s.twice.length);
    expect(pdf.revisions[1].endOffset).to.equal(s.ecdsa.length);
    expect(pdf.pageCount).to.equal(1);
    expect(pdf.sha256Hex).to.match(/^0x[0-9a-f]{64}$/);
    expect(pdf.signatures.map((sig) => [sig.fieldName, sig.subFilter, sig.revisionIndex])).to.deep.equal([
      ["Staff1", "ETSI.CAdES.detached", 1],
      ["Chief1", "ETSI.CAdES.detached", 2],
    ]);
    for (const i of [0, 1]) {
      const spans = signatureSpans(s.twice, i);
      expect([pdf.signatures[i].contentsStart, pdf.signatures[i].contentsEnd]).to.deep.equal([spans.contentsStart, spans.contentsEnd]);
      expect(pdf.signatures[i].byteRange).to.deep.equal(spans.byteRange);
    }
  });

  it("is not fooled by %%EOF and startxref inside a stream", async function () {
    const fake = "startxref\n0\n%%EOF\n";
    const stream = `<< /Length ${fake.length} >>\nstream\n${fake}\nendstream`;
    const pdf = await readPdfForVerification(appendUpdate(s.ecdsa, [{ objectNumber: 50, body: stream }]));
    expect(pdf.revisions.map((r) => r.index)).to.deep.equal([0, 1, 2]);
    expect(pdf.revisions[1].endOffset).to.equal(s.ecdsa.length);
  });

  it("reads xref streams and object streams (a qpdf rewrite of a signed file)", async function () {
    const pdf = await readPdfForVerification(withObjectStreams(s.ecdsa, dir));
    expect(pdf.revisions).to.have.length(1);
    expect(pdf.signatures).to.have.length(1);
    // qpdf keeps signature dictionaries out of object streams, so the /Contents is still located.
    expect(pdf.signatures[0].contentsStart).to.be.greaterThan(0);
  });

  it("reads a DocMDP certification signature's permission, and none on an approval signature", async function () {
    const certified = await signPdf(s.unsigned, {
      signer: s.pki.signerFor(DEMO_DEPARTMENTS[0].code, "seal"),
      page: 1,
      fieldNamePrefix: "Seal",
      certify: true,
      signingTime: new Date("2025-03-01T08:00:00Z"),
    });
    expect((await readPdfForVerification(certified)).signatures[0].docMdpPermission).to.equal(2);
    expect((await readPdfForVerification(s.ecdsa)).signatures[0].docMdpPermission).to.equal(undefined);
  });

  it("refuses a file that is not a PDF with PDF_NOT_PDF", async function () {
    expect(await readError(new Uint8Array(Buffer.from("hello, world")))).to.equal("PDF_NOT_PDF");
  });

  it("refuses a cut-off file with PDF_TRUNCATED", async function () {
    expect(await readError(s.ecdsa.subarray(0, s.ecdsa.length - 200))).to.equal("PDF_TRUNCATED");
  });

  it("refuses xref offsets that point elsewhere with PDF_MALFORMED", async function () {
    expect(await readError(withBrokenXref(minimalPdf(), 3))).to.equal("PDF_MALFORMED");
  });

  it("refuses an encrypted file (qpdf --encrypt) with PDF_ENCRYPTED", async function () {
    const input = path.join(dir, "plain.pdf");
    const output = path.join(dir, "encrypted.pdf");
    writeFileSync(input, s.unsigned);
    execFileSync("qpdf", ["--encrypt", "user", "owner", "256", "--", input, output]);
    expect(await readError(new Uint8Array(readFileSync(output)))).to.equal("PDF_ENCRYPTED");
  });

  it("refuses nesting deeper than the limit with PDF_TOO_COMPLEX, without overflowing the stack", async function () {
    expect(await readError(deeplyNestedPdf(200_000))).to.equal("PDF_TOO_COMPLEX");
    await readPdfForVerification(deeplyNestedPdf(20));
  });

  it("refuses an xref claiming more objects than the limit with PDF_TOO_COMPLEX", async function () {
    expect(await readError(hugeXrefClaimPdf(5_000_000))).to.equal("PDF_TOO_COMPLEX");
    expect(await readError(minimalPdf(["1", "2", "3"]), { maxObjects: 4 })).to.equal("PDF_TOO_COMPLEX");
  });

  it("refuses more revisions than the limit, and a file over the size limit", async function () {
    expect(await readError(s.twice, { maxRevisions: 2 })).to.equal("PDF_TOO_COMPLEX");
    expect(await readError(s.twice, { maxBytes: 1000 })).to.equal("PDF_TOO_LARGE");
  });

  it("refuses an update listing one object twice with different entries, and accepts an exact repeat", async function () {
    const withTable = (rows: (u: TwoBodies) => string) =>
      twoBodiesUpdate(s.ecdsa, (u) => `xref\n0 1\n0000000000 65535 f\r\n${rows(u)}trailer\n<< /Size ${u.num + 1} /Root ${u.root} 0 R /Prev ${u.prev} >>\nstartxref\n${u.xrefAt}\n%%EOF\n`);
    const row = (num: number, offset: number) => `${num} 1\n${String(offset).padStart(10, "0")} 00000 n\r\n`;
    // pdf.js keeps the first entry of a section, other readers the last: neither may be chosen here.
    expect(await readError(withTable((u) => row(u.num, u.first) + row(u.num, u.second)))).to.equal("PDF_MALFORMED");
    expect(await readError(withTable((u) => `${row(u.num, u.first)}${u.num} 1\n0000000000 00001 f\r\n`))).to.equal("PDF_MALFORMED");
    const repeated = await readPdfForVerification(withTable((u) => row(u.num, u.first) + row(u.num, u.first)));
    expect(repeated.revisions).to.have.length(3);
  });

  it("refuses an xref stream whose /Index lists one object twice with different entries", async function () {
    const withStream = (offsets: (u: TwoBodies) => number[]) =>
      twoBodiesUpdate(s.ecdsa, (u) => {
        // W [1 4 2]: type 1 rows (offset, generation 0), unfiltered; the stream itself is the last object.
        const listed = [...offsets(u), u.xrefAt];
        const data = Buffer.concat(listed.map((offset) => Buffer.from([1, offset >>> 24, (offset >>> 16) & 255, (offset >>> 8) & 255, offset & 255, 0, 0])));
        const index = [...offsets(u).map(() => `${u.num} 1`), `${u.num + 1} 1`].join(" ");
        const head = `${u.num + 1} 0 obj\n<< /Type /XRef /Size ${u.num + 2} /W [1 4 2] /Index [${index}] /Root ${u.root} 0 R /Prev ${u.prev} /Length ${data.length} >>\nstream\n`;
        const tail = `\nendstream\nendobj\nstartxref\n${u.xrefAt}\n%%EOF\n`;
        return Buffer.concat([Buffer.from(head, "latin1"), data, Buffer.from(tail, "latin1")]);
      });
    expect(await readError(withStream((u) => [u.first, u.second]))).to.equal("PDF_MALFORMED");
    const repeated = await readPdfForVerification(withStream((u) => [u.first, u.first]));
    expect(repeated.revisions).to.have.length(3);
  });

  it("refuses a /Prev chain that loops with PDF_MALFORMED", async function () {
    const pdf = Buffer.from(minimalPdf()).toString("latin1");
    const xrefAt = /startxref\n(\d+)/.exec(pdf)?.[1];
    const looped = pdf.replace("/Root 1 0 R ", `/Root 1 0 R /Prev ${xrefAt} `);
    expect(await readError(new Uint8Array(Buffer.from(looped, "latin1")))).to.equal("PDF_MALFORMED");
  });

  it("refuses a page tree that loops with PDF_MALFORMED", async function () {
    const looped = assemblePdf(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]);
    expect(await readError(looped)).to.equal("PDF_MALFORMED");
  });
});

/** Where twoBodiesUpdate wrote things: object `num` twice, at `first` and `second`; its xref section at `xrefAt`. */
interface TwoBodies {
  num: number;
  first: number;
  second: number;
  xrefAt: number;
  root: string;
  prev: string;
}

/**
 * `signed` plus an update that writes two bodies of one new object (its number is the old /Size):
 * which one counts depends on which xref entry a reader keeps. `xref` writes the update's
 * cross-reference section (and trailer), which starts right after the bodies.
 */
function twoBodiesUpdate(signed: Uint8Array, xref: (u: TwoBodies) => string | Buffer): Uint8Array {
  const pdf = Buffer.from(signed).toString("latin1");
  const prev = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(pdf)?.[1] ?? "";
  const num = Number([...pdf.matchAll(/\/Size (\d+)/g)].pop()?.[1]);
  const root = [...pdf.matchAll(/\/Root (\d+) 0 R/g)].pop()?.[1] ?? "";
  const one = `${num} 0 obj\n(shown by one reader)\nendobj\n`;
  const other = `${num} 0 obj\n(shown by another)\nendobj\n`;
  const first = pdf.length;
  const section = xref({ num, first, second: first + one.length, xrefAt: first + one.length + other.length, root, prev });
  return new Uint8Array(Buffer.concat([Buffer.from(pdf + one + other, "latin1"), Buffer.isBuffer(section) ? section : Buffer.from(section, "latin1")]));
}
