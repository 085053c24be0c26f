// The visible electronic seal (电子印章): a red ring, a five-pointed star, the department's name
// along the upper arc and an optional label under the star, all as vector paths (glyph outlines, no
// font resource), so the operators can be the whole appearance stream of a signature widget.
// This file draws; binding the seal to a signature is server/pdf/sign/'s work.
import { deflateSync } from "zlib";
import { type PDFContext, type PDFPage, type PDFRef } from "pdf-lib";
import { ContentStream, num, type Rgb } from "./content-stream";
import type { LoadedFont } from "./fonts";
import { glyphPathOperators } from "./glyph-path";

/** The red of seal ink (印泥), as RGB. */
export const SEAL_RED: Rgb = [0.85, 0.09, 0.1];

/** What a seal shows and how big it is. */
export interface SealOptions {
  /** The department's name, drawn clockwise along the upper arc, e.g. 市场监督管理局. */
  name: string;
  /** Diameter in points (a 42 mm official seal is 119 pt). */
  diameterPt: number;
  /** The font whose glyph outlines letter the seal (bold reads best). */
  font: LoadedFont;
  /** Short horizontal text under the star, e.g. 电子印章 or 专用章; none when absent. */
  label?: string;
  /** Ink colour; SEAL_RED when absent. */
  color?: Rgb;
}

// Proportions of a round official seal relative to its diameter.
const RING_WIDTH = 0.034;
const STAR_RADIUS = 0.16;
const NAME_SIZE = 0.155;
const LABEL_SIZE = 0.095;
const CONDENSE = 0.82; // seal lettering is narrower than it is tall
const MAX_SPAN_DEG = 250;
const MIN_SPAN_DEG = 150;
// CJK glyphs are designed in an ideographic em box from -0.12 to 0.88 em (Noto CJK, Source Han).
const EM_BOX_CENTRE = 0.38;

/**
 * Content-stream operators drawing the seal in a `diameterPt` × `diameterPt` box whose origin is its
 * bottom-left corner, y up: exactly the coordinate system of a Form XObject with
 * `/BBox [0 0 d d]` and no `/Matrix`, so the result can be the `/AP /N` stream of a signature
 * widget whose `/Rect` is d × d. The operators need no resources and restore the graphics state.
 * @throws Error when `name` is empty or the font lacks one of its characters
 */
export function drawSealOperators(opts: SealOptions): string {
  const d = opts.diameterPt;
  const c = d / 2;
  const ringWidth = d * RING_WIDTH;
  const ringRadius = c - ringWidth / 2 - d * 0.008;
  const innerRadius = ringRadius - ringWidth / 2;
  const s = new ContentStream().save().fillColor(opts.color ?? SEAL_RED).strokeColor(opts.color ?? SEAL_RED);
  s.lineWidth(ringWidth).raw(circlePath(c, c, ringRadius)).stroke();
  s.raw(starPath(c, c, d * STAR_RADIUS)).fill();
  drawArcName(s, opts, c, innerRadius);
  if (opts.label) drawLabel(s, opts.label, opts.font, c, c - d * 0.27, d * LABEL_SIZE);
  return s.restore().toString();
}

function drawArcName(s: ContentStream, opts: SealOptions, c: number, innerRadius: number): void {
  const chars = [...opts.name];
  if (chars.length === 0) throw new Error("a seal needs a department name");
  const d = opts.diameterPt;
  let size = d * NAME_SIZE;
  let radius = innerRadius - d * 0.022 - size / 2;
  let stepRad = (size * CONDENSE * 1.12) / radius;
  // Long names shrink to fit the arc; short ones spread out, as on a carved seal.
  const maxStep = (MAX_SPAN_DEG * Math.PI) / 180 / chars.length;
  if (stepRad > maxStep) {
    size *= maxStep / stepRad;
    radius = innerRadius - d * 0.022 - size / 2;
    stepRad = maxStep;
  }
  const spanRad = Math.max(stepRad * chars.length * 1.15, Math.min((MIN_SPAN_DEG * Math.PI) / 180, maxStep * chars.length));
  const step = spanRad / chars.length;
  chars.forEach((ch, i) => {
    const theta = Math.PI / 2 + spanRad / 2 - (i + 0.5) * step;
    drawGlyph(s, opts.font, ch, c + radius * Math.cos(theta), c + radius * Math.sin(theta), size, theta - Math.PI / 2);
  });
}

function drawLabel(s: ContentStream, label: string, font: LoadedFont, cx: number, cy: number, size: number): void {
  const chars = [...label];
  const pitch = size * CONDENSE * 1.08;
  chars.forEach((ch, i) => drawGlyph(s, font, ch, cx + (i - (chars.length - 1) / 2) * pitch, cy, size, 0));
}

// Places one glyph with its em-box centre at (x, y), `size` points tall, rotated by `rotation`
// radians (counter-clockwise) and condensed horizontally.
function drawGlyph(s: ContentStream, font: LoadedFont, ch: string, x: number, y: number, size: number,
  rotation: number): void {
  const cp = ch.codePointAt(0) ?? 0;
  const glyph = font.fontkit.glyphForCodePoint(cp);
  if (glyph.id === 0) throw new Error(`the seal font has no glyph for ${JSON.stringify(ch)}`);
  const k = size / font.unitsPerEm;
  const gx = glyph.advanceWidth / 2;
  const gy = EM_BOX_CENTRE * font.unitsPerEm;
  const cos = Math.cos(rotation);
  const sin = Math.sin(rotation);
  const a = cos * k * CONDENSE;
  const b = sin * k * CONDENSE;
  const cc = -sin * k;
  const dd = cos * k;
  s.save().transform(a, b, cc, dd, x - (a * gx + cc * gy), y - (b * gx + dd * gy));
  s.raw(glyphPathOperators(font, cp)).fill().restore();
}

// A circle as four cubic Béziers (kappa = 4(√2 − 1)/3).
function circlePath(cx: number, cy: number, r: number): string {
  const k = r * 0.5522847498;
  return [
    `${num(cx + r)} ${num(cy)} m`,
    `${num(cx + r)} ${num(cy + k)} ${num(cx + k)} ${num(cy + r)} ${num(cx)} ${num(cy + r)} c`,
    `${num(cx - k)} ${num(cy + r)} ${num(cx - r)} ${num(cy + k)} ${num(cx - r)} ${num(cy)} c`,
    `${num(cx - r)} ${num(cy - k)} ${num(cx - k)} ${num(cy - r)} ${num(cx)} ${num(cy - r)} c`,
    `${num(cx + k)} ${num(cy - r)} ${num(cx + r)} ${num(cy - k)} ${num(cx + r)} ${num(cy)} c`,
    "h",
  ].join(" ");
}

// A regular five-pointed star, one point up; the inner radius ratio (sin 18° / sin 126°) makes the
// edges straight lines through opposite points.
function starPath(cx: number, cy: number, r: number): string {
  const inner = r * 0.381966;
  const pts: string[] = [];
  for (let i = 0; i < 10; i++) {
    const rr = i % 2 === 0 ? r : inner;
    const a = Math.PI / 2 + (i * Math.PI) / 5;
    pts.push(`${num(cx + rr * Math.cos(a))} ${num(cy + rr * Math.sin(a))} ${i === 0 ? "m" : "l"}`);
  }
  return `${pts.join(" ")} h`;
}

/**
 * Registers the seal operators as a Form XObject (`/BBox [0 0 d d]`, Flate-compressed) in a
 * pdf-lib context, e.g. to use as a widget's `/AP << /N ref >>`.
 */
export function embedSealXObject(context: PDFContext, operators: string, diameterPt: number): PDFRef {
  return context.register(context.stream(deflateSync(Buffer.from(operators, "latin1")), {
    Type: "XObject",
    Subtype: "Form",
    BBox: [0, 0, diameterPt, diameterPt],
    Resources: {},
    Filter: "FlateDecode",
  }));
}

/**
 * Draws the seal on a page with its bottom-left corner at (x, y) in the page's default user space
 * (points, origin bottom-left): a preview for the issuer, not a signature. The page's existing
 * content is wrapped in q…Q first so that its leftover graphics state cannot move the seal.
 */
export function drawSealOnPage(page: PDFPage, opts: SealOptions & { x: number; y: number }): void {
  const context = page.doc.context;
  const xObject = embedSealXObject(context, drawSealOperators(opts), opts.diameterPt);
  const name = page.node.newXObject("ZsSeal", xObject);
  const raw = (ops: string) => context.register(context.stream(ops));
  page.node.wrapContentStreams(raw("q"), raw("Q"));
  page.node.addContentStream(raw(`q 1 0 0 1 ${num(opts.x)} ${num(opts.y)} cm ${name.asString()} Do Q`));
}
