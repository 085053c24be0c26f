import { expect } from "chai";
import { execFileSync } from "child_process";
import { PDFDocument, PDFName } from "pdf-lib";
import { demoTemplate } from "../../../server/pdf/demo-template";
import { loadCertificateFonts, type CertificateFonts } from "../../../server/pdf/fonts";
import { qrMatrix, verificationUrl } from "../../../server/pdf/qr";
import { PAGE_SIZE, renderCertificate } from "../../../server/pdf/render/render-certificate";
import { drawSealOnPage } from "../../../server/pdf/seal-appearance";
import { parseTemplate, type CertificateTemplate } from "../../../server/pdf/template";
import { TemplateError } from "../../../server/pdf/template-error";
import { outputPath, pdffonts, pdftotext, qpdfCheck, renderGray, writeOutput } from "./pdf-tools";

const BASE_URL = "http://127.0.0.1:8080";
const fixedBytes = (n: number) => new Uint8Array(n).fill(7);

describe("renderCertificate", () => {
  let fonts: CertificateFonts;
  let template: CertificateTemplate;
  let pdfBytes: Uint8Array;
  let file: string;

  before(async () => {
    fonts = loadCertificateFonts();
    template = demoTemplate({ issueDate: "2026-11-23", randomBytes: fixedBytes });
    pdfBytes = (await renderCertificate(template, { fonts, publicBaseUrl: BASE_URL })).pdfBytes;
    file = writeOutput("certificate.pdf", pdfBytes);
  });

  it("writes a PDF that qpdf --check accepts, with a classic xref table", () => {
    const { status, output } = qpdfCheck(file);
    expect(status, output).to.equal(0);
    expect(output).to.include("No syntax or stream encoding errors found");
    const text = Buffer.from(pdfBytes).toString("latin1");
    expect(text).to.match(/\nxref\n0 \d+\n/);
    expect(text).to.not.include("/ObjStm");
  });

  it("gives back the Chinese title, every holder value and the department name through pdftotext", () => {
    const text = pdftotext(file);
    const lines = text.split("\n").map((l) => l.trim());
    // A value wrapped over two table lines comes back as two consecutive lines.
    const joined = lines.join("");
    expect(lines).to.include("食品经营许可证");
    for (const { label, value } of template.holder) {
      expect(lines, label).to.include(label);
      expect(joined, label).to.include(value);
    }
    expect(lines).to.include(template.holder[0].value);
    expect(lines).to.include(`发证机关：${template.department.name}`);
    expect(lines).to.include("发证日期：2026年11月23日");
    expect(lines).to.include(`编号：${template.documentNumber}`);
    expect(lines).to.include("扫码核验");
    expect(lines).to.include("Scan to verify");
  });

  it("embeds both fonts as subset CID TrueType with a ToUnicode map", () => {
    const rows = pdffonts(file);
    expect(rows).to.have.length(2);
    for (const row of rows) {
      expect(row.type).to.equal("CID TrueType");
      expect(row.encoding).to.equal("Identity-H");
      expect(row).to.include({ emb: "yes", sub: "yes", uni: "yes" });
      expect(row.name).to.match(/^[A-Z]{6}\+NotoSansSC-(Regular|Bold)$/);
    }
  });

  it("stays under 200 KB", () => {
    console.log(`      certificate PDF: ${pdfBytes.length} bytes (${(pdfBytes.length / 1024).toFixed(1)} KB)`);
    expect(pdfBytes.length).to.be.below(200 * 1024);
  });

  it("renders byte-for-byte the same PDF for the same template", async () => {
    const again = await renderCertificate(template, { fonts, publicBaseUrl: BASE_URL });
    expect(Buffer.from(again.pdfBytes).equals(Buffer.from(pdfBytes))).to.equal(true);
  });

  it("puts only the title, producer and issue date in the metadata", async () => {
    const doc = await PDFDocument.load(pdfBytes, { updateMetadata: false });
    expect(doc.getTitle()).to.equal("食品经营许可证");
    expect(doc.getProducer()).to.equal("ZeroSign");
    expect(doc.getAuthor()).to.equal(undefined);
    expect(doc.getSubject()).to.equal(undefined);
    expect(doc.getKeywords()).to.equal(undefined);
    expect(doc.getCreationDate()?.toISOString()).to.equal("2026-11-22T16:00:00.000Z");
    const info = doc.context.lookup(doc.context.trailerInfo.Info);
    const keys = info && "keys" in info ? (info as unknown as { keys(): PDFName[] }).keys().map((k) => k.asString()) : [];
    expect(keys.sort()).to.deep.equal(["/CreationDate", "/Creator", "/ModDate", "/Producer", "/Title"]);
    expect(doc.getPageCount()).to.equal(1);
    const { width, height } = doc.getPage(0).getSize();
    expect([width, height]).to.deep.equal([PAGE_SIZE.width, PAGE_SIZE.height]);
  });

  it("draws a QR code whose dark modules are exactly those of the verification URL", async () => {
    const { qrRect } = await renderCertificate(template, { fonts, publicBaseUrl: BASE_URL });
    const url = verificationUrl(BASE_URL, template.certificateIdentifier);
    expect(url).to.equal(`${BASE_URL}/v/SAMR-20261123-0W3GE1R70W3GE1R7`);
    const matrix = qrMatrix(url);
    const dpi = 288;
    const k = dpi / 72;
    const x0 = Math.floor(qrRect.x * k);
    const y0 = Math.floor((PAGE_SIZE.height - qrRect.y - qrRect.height) * k);
    const size = Math.ceil(qrRect.width * k) + 2;
    const img = renderGray(file, dpi, { x: x0, y: y0, w: size, h: size });
    const modulePx = (qrRect.width * k) / matrix.size;
    let mismatches = 0;
    let dark = 0;
    for (let row = 0; row < matrix.size; row++) {
      for (let col = 0; col < matrix.size; col++) {
        const px = Math.round(qrRect.x * k - x0 + (col + 0.5) * modulePx);
        const py = Math.round((PAGE_SIZE.height - qrRect.y - qrRect.height) * k - y0 + (row + 0.5) * modulePx);
        const isDark = img.pixels[py * img.width + px] < 128;
        const want = matrix.data[row * matrix.size + col] === 1;
        if (isDark !== want) mismatches++;
        if (want) dark++;
      }
    }
    expect(dark).to.be.greaterThan(100);
    expect(mismatches).to.equal(0);
  });

  it("fits the longest template the schema allows on one page", async () => {
    const longest = parseTemplate({
      ...template,
      holder: Array.from({ length: 10 }, (_, i) => ({ label: `字段名称字段名称${i}`, value: "经营范围".repeat(10) + "甲乙丙丁戊己庚辛壬癸".repeat(2) })),
      body: undefined,
    });
    const r = await renderCertificate(longest, { fonts, publicBaseUrl: BASE_URL });
    const longFile = writeOutput("certificate-longest.pdf", r.pdfBytes);
    expect(qpdfCheck(longFile).status).to.equal(0);
    const text = pdftotext(longFile).replace(/\s/g, "");
    expect(text).to.include("字段名称字段名称9");
  });

  it("rejects a character the font lacks with TEMPLATE_UNSUPPORTED_CHARACTER naming the field", async () => {
    const t = parseTemplate({ ...template, holder: [...template.holder, { label: "备注", value: "开业大吉😀" }] });
    let err: unknown;
    try {
      await renderCertificate(t, { fonts, publicBaseUrl: BASE_URL });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(TemplateError);
    expect(err).to.include({ code: "TEMPLATE_UNSUPPORTED_CHARACTER", field: `holder.${template.holder.length}.value` });
  });

  it("returns a seal square inside the page, clear of the QR code, and a seal preview drawn there adds no text", async () => {
    const { sealRect, qrRect } = await renderCertificate(template, { fonts, publicBaseUrl: BASE_URL });
    expect(sealRect.page).to.equal(0);
    expect(sealRect.size).to.equal(119);
    expect(sealRect.x + sealRect.size).to.be.at.most(PAGE_SIZE.width - 28.5);
    expect(sealRect.x).to.be.greaterThan(qrRect.x + qrRect.width + 100);
    const doc = await PDFDocument.load(pdfBytes);
    drawSealOnPage(doc.getPage(sealRect.page), {
      name: template.department.name, diameterPt: sealRect.size, font: fonts.bold, label: "电子印章", x: sealRect.x, y: sealRect.y,
    });
    const sealed = writeOutput("certificate-with-seal-preview.pdf", await doc.save({ useObjectStreams: false }));
    expect(qpdfCheck(sealed).status).to.equal(0);
    expect(pdftotext(sealed)).to.equal(pdftotext(file));
    execFileSync("pdftoppm", ["-r", "100", "-png", "-f", "1", "-l", "1", "-singlefile", sealed, outputPath("certificate-with-seal-preview")]);
    execFileSync("pdftoppm", ["-r", "100", "-png", "-f", "1", "-l", "1", "-singlefile", file, outputPath("certificate")]);
  });
});
