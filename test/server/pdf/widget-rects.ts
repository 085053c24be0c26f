// Where a signed PDF's signature widgets are, read with pdf-lib, for placement assertions: the
// seal and countersignature blocks must lie inside the page and apart from one another.
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFString } from "pdf-lib";

/** [x0 y0 x1 y1] in points, as in a /Rect. */
export type Rect = [number, number, number, number];

/** The /Rect of every signature widget, by field name, as the newest revision has them. */
export async function widgetRects(pdfBytes: Uint8Array): Promise<Map<string, Rect>> {
  const doc = await PDFDocument.load(pdfBytes, { updateMetadata: false });
  const rects = new Map<string, Rect>();
  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFDict) || obj.get(PDFName.of("FT")) !== PDFName.of("Sig")) continue;
    const name = obj.get(PDFName.of("T"));
    const rect = obj.get(PDFName.of("Rect"));
    if (!(name instanceof PDFString) || !(rect instanceof PDFArray)) continue;
    rects.set(name.decodeText(), rect.asArray().map((n) => (n as PDFNumber).asNumber()) as Rect);
  }
  return rects;
}

/** True when the rectangles share no area. */
export function apart(a: Rect, b: Rect): boolean {
  return a[2] <= b[0] || b[2] <= a[0] || a[3] <= b[1] || b[3] <= a[1];
}

/** True when `r` lies on a page of `page`'s size whose MediaBox starts at 0 0. */
export function inside(r: Rect, page: { width: number; height: number }): boolean {
  return r[0] >= 0 && r[1] >= 0 && r[2] <= page.width && r[3] <= page.height;
}
