// Renders a validated template as an unsigned one-page A4 certificate: frame, title, holder table,
// optional body, issuing department and date at the bottom right with room for the seal over them
// (盖章压字, as on paper), and the verification QR code at the bottom left. Signing, the seal's
// appearance and anchoring come afterwards, as an incremental update, in server/pdf/sign/.
import { deflateSync } from "zlib";
import { PDFDocument, PDFName } from "pdf-lib";
import type { CertificateFonts } from "../fonts";
import { drawQrOperators, qrMatrix, verificationUrl } from "../qr";
import type { CertificateTemplate } from "../template";
import { BadRequestError } from "../../errors";
import { FRAME, FRAME_RED, drawFrame } from "./certificate-frame";
import { attachCertificateData, type CertificateDataPayload } from "./certificate-data";
import { checkRenderable } from "./check-renderable";
import { drawTable, layoutTable, type TableLayout, type TableRow } from "./holder-table";
import { FONT_RESOURCE, createPageWriter, drawText, measure, type PageWriter } from "./page-writer";
import { TemplateError } from "../template-error";
import { wrapText } from "./wrap-text";

/** Where the seal goes: page index (0-based) and the square's bottom-left corner and side, in points, origin bottom-left. */
export interface SealRect {
  readonly page: number;
  readonly x: number;
  readonly y: number;
  readonly size: number;
}

/** A rectangle on page 1 in points, origin bottom-left. */
export interface PageRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** What renderCertificate needs besides the template. */
export interface RenderCertificateOptions {
  /** Fonts loaded once per process with loadCertificateFonts(). */
  fonts: CertificateFonts;
  /** Base of the public verification page, e.g. `http://127.0.0.1:8080`; the QR code carries `${base}/v/${id}`. */
  publicBaseUrl: string;
  /** Overrides the seal square (default: 119 pt, over the department name and date). */
  sealRect?: { x: number; y: number; size: number };
  /** The data to embed as zerosign-certificate.json (certificateDataOf); omitted: no attachment. */
  certificateData?: CertificateDataPayload;
  /** The record key's salt the QR URL carries (`?k=`); omitted: the URL names the identifier only. */
  recordSaltHex?: string;
}

/** The unsigned PDF and where its seal and QR code are. */
export interface RenderedCertificate {
  readonly pdfBytes: Uint8Array;
  /** Leave this square for the signature widget carrying the seal appearance. */
  readonly sealRect: SealRect;
  /** The QR code's square (without its quiet zone). */
  readonly qrRect: PageRect;
}

/** A4 portrait in points. */
export const PAGE_SIZE = { width: 595.28, height: 841.89 } as const;

const MARGIN_X = 60;
const TABLE_TOP = 676;
/** Nothing of the table or body may come lower: below is the seal and QR zone. */
const CONTENT_BOTTOM = 252;
const TEXT_SIZES = [13, 12.5, 12, 11.5, 11, 10.5, 10, 9.5, 9, 8.5] as const;
const SEAL_SIZE = 119; // 42 mm, the diameter of a department's official seal
const SEAL_CENTRE_Y = 184;
const QR = { x: MARGIN_X, y: 100, size: 92 } as const;
const GRAY = [0.42, 0.42, 0.42] as const;

const KIND_HEADING: Record<CertificateTemplate["kind"], [string, string]> = {
  certificate: ["电子证照", "ELECTRONIC CERTIFICATE"],
  "commitment-letter": ["告知承诺书", "LETTER OF COMMITMENT"],
  "sealed-document": ["电子文件", "SEALED DOCUMENT"],
};

/**
 * Renders an unsigned, one-page A4 certificate PDF (classic xref table, no object streams, so an
 * incremental signature can be appended). Output depends only on the template, the base URL and
 * the fonts: CreationDate and ModDate are the issue date at 00:00 Beijing time, and the Info
 * dictionary holds only Title, Creator and Producer.
 * @throws TemplateError TEMPLATE_UNSUPPORTED_CHARACTER (a character the font lacks) or
 *   TEMPLATE_CONTENT_OVERFLOW (does not fit the page even at the smallest text size)
 * @throws BadRequestError SEAL_RECT_OUTSIDE_PAGE when an overriding sealRect leaves the frame
 */
export async function renderCertificate(template: CertificateTemplate, opts: RenderCertificateOptions): Promise<RenderedCertificate> {
  const { fonts } = opts;
  checkRenderable(template, fonts);
  const w = createPageWriter(fonts);
  const s = w.stream;
  s.save();
  drawFrame(s, PAGE_SIZE.width, PAGE_SIZE.height);
  drawHeader(w, template);
  drawContent(w, template);
  const sealRect = drawIssuer(w, template, opts.sealRect);
  const url = verificationUrl(opts.publicBaseUrl, template.certificateIdentifier, opts.recordSaltHex);
  s.raw(drawQrOperators(qrMatrix(url), { x: QR.x, y: QR.y, sizePt: QR.size }));
  drawQrCaption(w, template.certificateIdentifier);
  drawText(w, "本证照经电子印章和数字签名保护，任何部门和个人均可扫描二维码自行核验，无需联系发证机关。", {
    x: PAGE_SIZE.width / 2, y: FRAME.inner + 11, sizePt: 7.5, align: "center", color: GRAY,
  });
  s.restore();

  const doc = await PDFDocument.create({ updateMetadata: false });
  const issued = issueInstant(template.issueDate);
  doc.setTitle(template.title);
  doc.setCreator("ZeroSign");
  doc.setProducer("ZeroSign");
  doc.setCreationDate(issued);
  doc.setModificationDate(issued);
  doc.setLanguage("zh-CN");
  const page = doc.addPage([PAGE_SIZE.width, PAGE_SIZE.height]);
  const ctx = doc.context;
  page.node.setFontDictionary(PDFName.of(FONT_RESOURCE.regular), w.subsets.regular.embed(ctx));
  page.node.setFontDictionary(PDFName.of(FONT_RESOURCE.bold), w.subsets.bold.embed(ctx));
  const content = deflateSync(Buffer.from(s.toString(), "latin1"));
  page.node.set(PDFName.of("Contents"), ctx.register(ctx.stream(content, { Filter: "FlateDecode" })));
  if (opts.certificateData !== undefined) await attachCertificateData(doc, opts.certificateData);
  // objectsPerTick: Infinity, or pdf-lib yields to a timer every 50 objects while writing.
  const pdfBytes = await doc.save({ useObjectStreams: false, addDefaultPage: false, objectsPerTick: Infinity });
  return { pdfBytes, sealRect, qrRect: { x: QR.x, y: QR.y, width: QR.size, height: QR.size } };
}

function drawHeader(w: PageWriter, t: CertificateTemplate): void {
  const cx = PAGE_SIZE.width / 2;
  const [zh, en] = KIND_HEADING[t.kind];
  drawText(w, zh, { x: cx, y: 786, sizePt: 11, align: "center", color: FRAME_RED, spacingPt: 4 });
  drawText(w, en, { x: cx, y: 772, sizePt: 7, align: "center", color: GRAY, spacingPt: 1.5 });
  const chars = [...t.title].length;
  const size = Math.min(32, 430 / (chars * 1.25));
  const spacing = chars <= 8 ? size * 0.3 : size * 0.08;
  drawText(w, t.title, { x: cx, y: 722, sizePt: size, weight: "bold", align: "center", spacingPt: spacing });
  const ruleHalf = Math.min(230, measure(w.fonts.bold, t.title, size, spacing) / 2 + 40);
  w.stream.save().strokeColor(FRAME_RED).lineWidth(1.2).line(cx - ruleHalf, 706, cx + ruleHalf, 706).stroke()
    .lineWidth(0.5).line(cx - ruleHalf, 703, cx + ruleHalf, 703).stroke().restore();
  drawText(w, `编号：${t.documentNumber}`, { x: PAGE_SIZE.width - MARGIN_X, y: 686, sizePt: 10, align: "right" });
}

function drawContent(w: PageWriter, t: CertificateTemplate): void {
  const rows: TableRow[] = [...t.holder];
  if (t.validUntil !== undefined) rows.push({ label: "有效期至", value: chineseDate(t.validUntil) });
  const widthPt = PAGE_SIZE.width - 2 * MARGIN_X;
  for (const size of TEXT_SIZES) {
    const table = layoutTable(w.fonts, rows, size, widthPt);
    const body = t.body === undefined ? [] : layoutBody(w, t.body, size, widthPt);
    const bodyLineHeight = size * 1.7;
    const bodyTop = TABLE_TOP - table.heightPt - size * 1.6;
    if (bodyTop - body.length * bodyLineHeight < CONTENT_BOTTOM) continue;
    drawTable(w, table, MARGIN_X, TABLE_TOP);
    drawBody(w, body, size, bodyTop, bodyLineHeight);
    return;
  }
  throw new TemplateError("TEMPLATE_CONTENT_OVERFLOW", "", "the holder fields and body do not fit on one page");
}

function layoutBody(w: PageWriter, body: string, size: number, widthPt: number): { text: string; indent: number }[] {
  const lines: { text: string; indent: number }[] = [];
  for (const paragraph of body.split("\n").map((p) => p.trim()).filter((p) => p !== "")) {
    // Chinese paragraphs open with a two-character indent (首行缩进两字).
    wrapText(w.fonts.regular, paragraph, size, widthPt, 2 * size)
      .forEach((text, i) => lines.push({ text, indent: i === 0 ? 2 * size : 0 }));
  }
  return lines;
}

function drawBody(w: PageWriter, lines: readonly { text: string; indent: number }[], size: number, top: number, lineHeight: number): void {
  lines.forEach((line, i) => drawText(w, line.text, {
    x: MARGIN_X + line.indent, y: top - size * 0.88 - i * lineHeight, sizePt: size,
  }));
}

// Department and date at the bottom right. As on paper, the seal goes over the department's name
// (盖章压字), its ring reaching down to the date, with the star just above the name so the name and
// date stay legible through the seal.
function drawIssuer(w: PageWriter, t: CertificateTemplate, override: RenderCertificateOptions["sealRect"]): SealRect {
  const right = PAGE_SIZE.width - MARGIN_X;
  const size = 12;
  const name = t.department.name;
  const date = chineseDate(t.issueDate);
  const blockWidth = Math.max(measure(w.fonts.regular, `发证机关：${name}`, size), measure(w.fonts.regular, `发证日期：${date}`, size));
  const left = right - blockWidth;
  drawText(w, `发证机关：${name}`, { x: left, y: 156, sizePt: size });
  drawText(w, `发证日期：${date}`, { x: left, y: 132, sizePt: size });
  if (override !== undefined) return checkedSealRect(override);
  const labelWidth = measure(w.fonts.regular, "发证机关：", size);
  const centreX = Math.min(left + labelWidth + measure(w.fonts.regular, name, size) / 2, right - SEAL_SIZE / 2 + 8);
  return { page: 0, x: round2(centreX - SEAL_SIZE / 2), y: round2(SEAL_CENTRE_Y - SEAL_SIZE / 2), size: SEAL_SIZE };
}

function checkedSealRect(r: { x: number; y: number; size: number }): SealRect {
  const inside = r.size > 0 && r.x >= FRAME.inner && r.y >= FRAME.inner &&
    r.x + r.size <= PAGE_SIZE.width - FRAME.inner && r.y + r.size <= PAGE_SIZE.height - FRAME.inner;
  if (!inside) throw new BadRequestError("SEAL_RECT_OUTSIDE_PAGE", "the seal square must lie inside the certificate's frame");
  return { page: 0, ...r };
}

function drawQrCaption(w: PageWriter, identifier: string): void {
  const cx = QR.x + QR.size / 2;
  drawText(w, "扫码核验", { x: cx, y: QR.y - 14, sizePt: 9, align: "center", spacingPt: 1 });
  drawText(w, "Scan to verify", { x: cx, y: QR.y - 24, sizePt: 7, align: "center", color: GRAY });
  drawText(w, identifier, { x: QR.x, y: QR.y - 36, sizePt: 6.5, color: GRAY });
}

/** 2026-11-23 → 2026年11月23日 */
function chineseDate(isoDate: string): string {
  const [y, m, d] = isoDate.split("-").map(Number);
  return `${y}年${m}月${d}日`;
}

// The issue day's midnight in Beijing (UTC+8), so the metadata dates repeat for the same template.
function issueInstant(isoDate: string): Date {
  return new Date(`${isoDate}T00:00:00+08:00`);
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
