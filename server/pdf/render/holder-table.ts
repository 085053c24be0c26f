// The holder table (持证主体信息): a shaded label column and a value column that wraps, ruled like
// a printed certificate. Layout (measuring) and drawing are separate so the renderer can try
// smaller sizes until the table fits above the seal and QR zone.
import type { Rgb } from "../content-stream";
import type { CertificateFonts } from "../fonts";
import { drawText, measure, type PageWriter } from "./page-writer";
import { wrapText } from "./wrap-text";

/** One row of the table. */
export interface TableRow {
  readonly label: string;
  readonly value: string;
}

/** A table measured at one font size. */
export interface TableLayout {
  readonly sizePt: number;
  readonly widthPt: number;
  readonly labelWidthPt: number;
  readonly lineHeightPt: number;
  readonly paddingPt: number;
  readonly rows: readonly { label: string; lines: readonly string[]; heightPt: number }[];
  readonly heightPt: number;
}

const RULE: Rgb = [0.48, 0.4, 0.36];
const LABEL_FILL: Rgb = [0.965, 0.95, 0.93];
const LABEL_TEXT: Rgb = [0.3, 0.26, 0.24];

/** Measures the table at `sizePt` for a total width of `widthPt`. */
export function layoutTable(fonts: CertificateFonts, rows: readonly TableRow[], sizePt: number, widthPt: number): TableLayout {
  const paddingPt = sizePt * 0.7;
  const lineHeightPt = sizePt * 1.5;
  const widest = Math.max(...rows.map((r) => measure(fonts.regular, r.label, sizePt)));
  const labelWidthPt = Math.max(widest + 2 * paddingPt, sizePt * 7);
  const valueWidth = widthPt - labelWidthPt - 2 * paddingPt;
  const laid = rows.map((r) => {
    const lines = wrapText(fonts.regular, r.value, sizePt, valueWidth);
    return { label: r.label, lines, heightPt: 2 * paddingPt + (lines.length - 1) * lineHeightPt + sizePt };
  });
  return {
    sizePt, widthPt, labelWidthPt, lineHeightPt, paddingPt, rows: laid,
    heightPt: laid.reduce((h, r) => h + r.heightPt, 0),
  };
}

/** Draws a laid-out table with its top-left corner at (x, top). */
export function drawTable(w: PageWriter, t: TableLayout, x: number, top: number): void {
  const s = w.stream;
  s.save().fillColor(LABEL_FILL).rect(x, top - t.heightPt, t.labelWidthPt, t.heightPt).fill().restore();
  let y = top;
  for (const row of t.rows) {
    // CJK glyphs fill an em box from 0.88 em above the baseline to 0.12 em below it.
    const firstBaseline = y - t.paddingPt - t.sizePt * 0.88;
    const labelBaseline = y - row.heightPt / 2 - t.sizePt * 0.38;
    drawText(w, row.label, { x: x + t.labelWidthPt / 2, y: labelBaseline, sizePt: t.sizePt, align: "center", color: LABEL_TEXT });
    row.lines.forEach((line, i) => drawText(w, line, {
      x: x + t.labelWidthPt + t.paddingPt, y: firstBaseline - i * t.lineHeightPt, sizePt: t.sizePt,
    }));
    y -= row.heightPt;
  }
  s.save().strokeColor(RULE).lineWidth(0.5);
  let ry = top;
  for (const row of t.rows.slice(0, -1)) {
    ry -= row.heightPt;
    s.line(x, ry, x + t.widthPt, ry);
  }
  s.line(x + t.labelWidthPt, top, x + t.labelWidthPt, top - t.heightPt).stroke();
  s.lineWidth(1).rect(x, top - t.heightPt, t.widthPt, t.heightPt).stroke().restore();
}
