import { expect } from "chai";
import { execFileSync } from "child_process";
import { PDFDocument } from "pdf-lib";
import { loadCertificateFonts, type CertificateFonts } from "../../../server/pdf/fonts";
import { drawSealOnPage, drawSealOperators } from "../../../server/pdf/seal-appearance";
import { outputPath, pdftotext, qpdfCheck, renderGray, writeOutput } from "./pdf-tools";

describe("seal appearance", () => {
  let fonts: CertificateFonts;
  before(() => {
    fonts = loadCertificateFonts();
  });

  it("draws with path operators only: no text, no font or other resource", () => {
    const ops = drawSealOperators({ name: "市场监督管理局", diameterPt: 119, font: fonts.bold, label: "电子印章" });
    expect(ops.startsWith("q\n")).to.equal(true);
    expect(ops.endsWith("\nQ")).to.equal(true);
    expect(ops).to.not.match(/\b(BT|ET|Tf|Tj|TJ|Do|gs)\b/);
    expect(ops).to.not.include("/");
    const tokens = ops.split(/\s+/);
    expect(tokens.filter((t) => t === "q").length).to.equal(tokens.filter((t) => t === "Q").length);
    // ring stroke, star fill, 7 name glyphs and 4 label glyphs each filled once
    expect(tokens.filter((t) => t === "S")).to.have.length(1);
    expect(tokens.filter((t) => t === "f")).to.have.length(1 + 7 + 4);
    expect(tokens.filter((t) => t === "c").length).to.be.greaterThan(50);
  });

  it("produces the same operators for the same seal", () => {
    const opts = { name: "民政局", diameterPt: 100, font: fonts.bold };
    expect(drawSealOperators(opts)).to.equal(drawSealOperators(opts));
  });

  it("rejects a name with a character the font cannot draw", () => {
    expect(() => drawSealOperators({ name: "市场😀局", diameterPt: 119, font: fonts.bold })).to.throw(/no glyph/);
  });

  it("fills a d × d box with origin bottom-left: ring at the edges, star in the centre, corners empty", async () => {
    const d = 200;
    const doc = await PDFDocument.create();
    const page = doc.addPage([d, d]);
    drawSealOnPage(page, { name: "北京市海淀区市场监督管理局", diameterPt: d, font: fonts.bold, label: "专用章", x: 0, y: 0 });
    const file = writeOutput("seal.pdf", await doc.save({ useObjectStreams: false }));
    expect(qpdfCheck(file).status).to.equal(0);
    expect(pdftotext(file).trim()).to.equal("");
    execFileSync("pdftoppm", ["-r", "144", "-png", "-singlefile", file, outputPath("seal")]);
    const k = 2; // 144 dpi
    const img = renderGray(file, 144, { x: 0, y: 0, w: d * k, h: d * k });
    const at = (xPt: number, yPtFromBottom: number) => img.pixels[Math.round((d - yPtFromBottom) * k) * img.width + Math.round(xPt * k)];
    const ring = d / 2 - d * 0.034 / 2 - d * 0.008;
    expect(at(d / 2, d / 2 + ring), "ring top").to.be.below(128);
    expect(at(d / 2, d / 2 - ring), "ring bottom").to.be.below(128);
    expect(at(d / 2 - ring, d / 2), "ring left").to.be.below(128);
    expect(at(d / 2, d / 2), "star centre").to.be.below(128);
    for (const [x, y] of [[3, 3], [d - 3, 3], [3, d - 3], [d - 3, d - 3]]) expect(at(x, y), `corner ${x},${y}`).to.equal(255);
  });
});
