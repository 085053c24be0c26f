// The countersignature's visible block (签两次): placed beside the seal without covering it or an
// earlier block, inside the page (a receipt-size one too), drawn where pdftoppm renders it, and
// signed so that pdfsig validates every signature and the verifier's modification check accepts
// it, while a change after it is still caught.
import { expect } from "chai";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { PDFDict, PDFDocument, PDFName, PDFRef, PDFString } from "pdf-lib";
import { DEMO_DEPARTMENTS } from "../../../server/demo/departments";
import { countersignPdf } from "../../../server/pdf/countersign-pdf";
import { COUNTERSIGN_BLOCK } from "../../../server/pdf/countersign-block";
import { placeCountersignBlock } from "../../../server/pdf/countersign-rule";
import { demoTemplate } from "../../../server/pdf/demo-template";
import { loadCertificateFonts, type CertificateFonts } from "../../../server/pdf/fonts";
import { issueCertificate } from "../../../server/pdf/issue-certificate";
import { sealPdf } from "../../../server/pdf/seal-pdf";
import { ensureDevPki, type DevPki } from "../../../server/pki/dev-pki";
import { derToPem } from "../../../server/pki/pem";
import { verifyPdf } from "../../../server/verify";
import { appendUpdate, streamBody } from "../verify/fixtures/modification-attacks";
import { brief, resultFor } from "../verify/fixtures/report-tools";
import { makePdfLibPdf } from "./fixtures";
import { renderGray } from "./pdf-tools";
import { createTrustedNssDb, pdfsig, qpdfCheck, tempDir } from "./signature-tools";
import { apart, inside, widgetRects, type Rect } from "./widget-rects";

const NOW = new Date("2025-03-01T08:00:00Z");
const A4 = { width: 595.28, height: 841.89 };

/** The object number of field `name`'s normal appearance stream. */
async function appearanceOf(pdfBytes: Uint8Array, name: string): Promise<number> {
  const doc = await PDFDocument.load(pdfBytes, { updateMetadata: false });
  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFDict) || obj.get(PDFName.of("T"))?.toString() !== PDFString.of(name).toString()) continue;
    const ap = obj.lookup(PDFName.of("AP"), PDFDict);
    const n = ap.get(PDFName.of("N"));
    if (n instanceof PDFRef) return n.objectNumber;
  }
  throw new Error(`no appearance for ${name}`);
}

/** Pixels darker than paper white in `rect` of page 1, rendered at 72 dpi. */
function darkPixels(file: string, rect: Rect, pageHeight: number): number {
  const crop = { x: Math.floor(rect[0]), y: Math.floor(pageHeight - rect[3]), w: Math.ceil(rect[2] - rect[0]), h: Math.ceil(rect[3] - rect[1]) };
  const { pixels } = renderGray(file, 72, crop);
  return pixels.filter((p) => p < 200).length;
}

describe("countersignature block (签两次)", function () {
  let dir: string;
  let pki: DevPki;
  let fonts: CertificateFonts;
  let nss: string;
  let certificate: Uint8Array;

  const countersign = (pdf: Uint8Array, role: "staff" | "chief" = "chief"): Promise<Uint8Array> =>
    countersignPdf(pdf, { signer: pki.signerFor("SAMR", role), role, departmentName: "市场监督管理局", font: fonts.regular, signingTime: NOW });

  function save(name: string, bytes: Uint8Array): string {
    const file = path.join(dir, name);
    writeFileSync(file, bytes);
    return file;
  }

  before(async function () {
    dir = tempDir("countersign-block");
    pki = await ensureDevPki(path.join(dir, "data"), DEMO_DEPARTMENTS.slice(0, 1), { now: NOW });
    fonts = loadCertificateFonts();
    nss = createTrustedNssDb([...pki.caCertificates.values()].map((der) => derToPem(der, "CERTIFICATE")));
    certificate = (
      await issueCertificate(demoTemplate({ issueDate: "2025-03-01" }), {
        fonts,
        publicBaseUrl: "http://127.0.0.1:8080",
        signer: pki.signerFor("SAMR", "seal"),
        signingTime: NOW,
      })
    ).pdfBytes;
  });

  it("puts the chief's block on an issued certificate beside the seal, inside the page, and pdfsig validates both signatures", async function () {
    const both = await countersign(certificate);
    const file = save("certificate-countersigned.pdf", both);
    const rects = await widgetRects(both);
    const seal = rects.get("Seal1") as Rect;
    const block = rects.get("Chief1") as Rect;
    expect(block[2] - block[0]).to.equal(COUNTERSIGN_BLOCK.width);
    expect(block[3] - block[1]).to.equal(COUNTERSIGN_BLOCK.height);
    expect(apart(block, seal), `${block} vs ${seal}`).to.equal(true);
    expect(inside(block, A4)).to.equal(true);
    const { signatures, output } = pdfsig(nss, file);
    expect(signatures.map((s) => [s.field, s.valid, s.trusted]), output).to.deep.equal([
      ["Seal1", true, true],
      ["Chief1", true, true],
    ]);
    expect(qpdfCheck(file).status).to.equal(0);
  });

  it("draws the block where its widget is: pdftoppm renders ink there that the sealed certificate lacks", async function () {
    const both = await countersign(certificate);
    const block = (await widgetRects(both)).get("Chief1") as Rect;
    const before = darkPixels(save("certificate-sealed.pdf", certificate), block, A4.height);
    const after = darkPixels(save("certificate-countersigned-render.pdf", both), block, A4.height);
    expect(before).to.equal(0);
    // Frame and four lines of lettering: hundreds of dark pixels at 72 dpi.
    expect(after).to.be.above(400);
  });

  it("is judged a permitted change: signature integrity and modifications valid for both signatures", async function () {
    const both = await countersign(certificate);
    const report = await verifyPdf(both);
    for (const signature of [0, 1]) {
      expect(resultFor(report, "signature-integrity", signature).status, brief(report)).to.equal("valid");
      expect(resultFor(report, "modifications", signature).status, brief(report)).to.equal("valid");
    }
  });

  it("is still caught when its appearance is replaced after signing (SIGNED_OBJECT_OVERRIDDEN)", async function () {
    const sealed = await sealPdf(await makePdfLibPdf(), {
      signer: pki.signerFor("SAMR", "seal"), sealName: "市场监督管理局", sealFont: fonts.bold, page: 1, signingTime: NOW,
    });
    const both = await countersign(sealed);
    const valid = await verifyPdf(both);
    expect(resultFor(valid, "modifications", 1).status, brief(valid)).to.equal("valid");
    const ap = await appearanceOf(both, "Chief1");
    const { bytes } = appendUpdate(both, { objects: [{ num: ap, body: streamBody("0 0 0 rg 0 0 180 64 re f", "/Type /XObject /Subtype /Form /BBox [0 0 180 64] /Resources << >>") }] });
    const report = await verifyPdf(bytes);
    const r = resultFor(report, "modifications", 1);
    expect([r.status, r.code], brief(report)).to.deep.equal(["invalid", "SIGNED_OBJECT_OVERRIDDEN"]);
    expect(report.verdict).to.equal("invalid");
  });

  it("places a staff and then a chief block so that no two marks overlap", async function () {
    const three = await countersign(await countersign(certificate, "staff"), "chief");
    const file = save("certificate-three.pdf", three);
    const rects = [...(await widgetRects(three)).entries()];
    expect(rects.map(([name]) => name)).to.have.members(["Seal1", "Staff1", "Chief1"]);
    for (const [i, [a, ra]] of rects.entries()) {
      expect(inside(ra, A4), a).to.equal(true);
      for (const [b, rb] of rects.slice(i + 1)) expect(apart(ra, rb), `${a} ${ra} vs ${b} ${rb}`).to.equal(true);
    }
    const { signatures, output } = pdfsig(nss, file);
    expect(signatures.map((s) => s.valid), output).to.deep.equal([true, true, true]);
  });

  it("fits a smaller block beside a 42 mm seal on a 300 × 144 pt receipt page", async function () {
    const doc = await PDFDocument.create();
    doc.addPage([300, 144]);
    const receipt = await doc.save({ useObjectStreams: false });
    const sealed = await sealPdf(receipt, {
      signer: pki.signerFor("SAMR", "seal"), sealName: "市场监督管理局", sealFont: fonts.bold, page: 1, signingTime: NOW,
    });
    const both = await countersign(sealed);
    const file = save("receipt-countersigned.pdf", both);
    const rects = await widgetRects(both);
    const block = rects.get("Chief1") as Rect;
    expect(inside(block, { width: 300, height: 144 }), `${block}`).to.equal(true);
    expect(apart(block, rects.get("Seal1") as Rect), `${block}`).to.equal(true);
    expect(block[2] - block[0]).to.be.below(COUNTERSIGN_BLOCK.width);
    expect(darkPixels(file, block, 144)).to.be.above(100);
    const { signatures, output } = pdfsig(nss, file);
    expect(signatures.map((s) => s.valid), output).to.deep.equal([true, true]);
  });

  it("goes to the bottom-right corner of a page with no mark", function () {
    const placed = placeCountersignBlock({ mediaBox: { x0: 0, y0: 0, x1: 595, y1: 842 }, occupied: [] }, COUNTERSIGN_BLOCK);
    expect(placed).to.deep.equal({ x: 595 - 56 - 180, y: 56, scale: 1 });
  });

  it("refuses a page with no free place with COUNTERSIGN_NO_ROOM", function () {
    const page = { x0: 0, y0: 0, x1: 200, y1: 100 };
    expect(() => placeCountersignBlock({ mediaBox: page, occupied: [{ x0: 10, y0: 10, x1: 190, y1: 90 }] }, COUNTERSIGN_BLOCK))
      .to.throw().with.property("code", "COUNTERSIGN_NO_ROOM");
  });
});
