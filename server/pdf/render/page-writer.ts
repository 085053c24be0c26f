// Text placement on one page with the two certificate fonts: each run is encoded into that
// document's font subset as it is drawn, so the subset holds exactly the glyphs used.
import { ContentStream, type Rgb } from "../content-stream";
import type { CertificateFonts, LoadedFont } from "../fonts";
import { widthOfText } from "../fonts";
import { createFontSubset, type FontSubset } from "../font-subset";

/** Which certificate font a run uses. */
export type Weight = "regular" | "bold";

/** Where a run's x coordinate is: its left edge, centre or right edge. */
export type Align = "left" | "center" | "right";

/** A page's content stream plus the per-document font subsets. */
export interface PageWriter {
  readonly stream: ContentStream;
  readonly subsets: Readonly<Record<Weight, FontSubset>>;
  readonly fonts: CertificateFonts;
}

/** Resource names of the fonts on the page. */
export const FONT_RESOURCE: Readonly<Record<Weight, string>> = { regular: "F1", bold: "F2" };

/** Starts a page with empty subsets of both fonts. */
export function createPageWriter(fonts: CertificateFonts): PageWriter {
  return {
    stream: new ContentStream(),
    subsets: { regular: createFontSubset(fonts.regular), bold: createFontSubset(fonts.bold) },
    fonts,
  };
}

/** Width in points of `text`, with `spacingPt` between characters (none after the last). */
export function measure(font: LoadedFont, text: string, sizePt: number, spacingPt = 0): number {
  return widthOfText(font, text, sizePt) + spacingPt * Math.max(0, [...text].length - 1);
}

/** Draws one line of text with its baseline at y. */
export function drawText(w: PageWriter, text: string, opts: {
  x: number; y: number; sizePt: number; weight?: Weight; align?: Align; color?: Rgb; spacingPt?: number;
}): void {
  const weight = opts.weight ?? "regular";
  const spacing = opts.spacingPt ?? 0;
  const width = measure(w.fonts[weight], text, opts.sizePt, spacing);
  const x = opts.align === "center" ? opts.x - width / 2 : opts.align === "right" ? opts.x - width : opts.x;
  w.stream.fillColor(opts.color ?? [0.1, 0.1, 0.1]);
  w.stream.text(FONT_RESOURCE[weight], opts.sizePt, x, opts.y, w.subsets[weight].encode(text), spacing);
}
