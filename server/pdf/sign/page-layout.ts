// What a new signature widget has to fit around on its page: the page's /MediaBox and the
// rectangles of the annotations already on it (the seal, earlier signature blocks, links), read
// as the newest revision sees them. It knows nothing of what the page's content stream draws.
import { PDFArray, PDFDict, PDFName, PDFNumber } from "pdf-lib";
import type { PageLeaf } from "../read/page-tree";
import { PdfReadError } from "../read/pdf-read-error";
import type { PdfForUpdate } from "./pdf-input";

/** A rectangle in PDF points, normalized so that x0 ≤ x1 and y0 ≤ y1. */
export interface PageRect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** A page's box and the annotation rectangles a new widget should not cover. */
export interface PageLayout {
  mediaBox: PageRect;
  /** Rectangles of non-zero area of the page's annotations, in /Annots order. */
  occupied: PageRect[];
}

/**
 * Reads the layout of `leaf` (page `pageNumber`, 1-based, for messages). Throws PdfReadError
 * PDF_MALFORMED when the page has no usable /MediaBox; an annotation without a usable /Rect is
 * left out (it cannot be avoided and shows nowhere a reader can tell).
 */
export function readPageLayout(pdf: PdfForUpdate, leaf: PageLeaf, pageNumber: number): PageLayout {
  const media = rectOf(pdf, inheritedMediaBox(leaf));
  if (!media) throw malformed(`page ${pageNumber} has no /MediaBox of four numbers`);
  const annots = pdf.resolve(leaf.node.get(PDFName.of("Annots")));
  const occupied: PageRect[] = [];
  for (const item of annots instanceof PDFArray ? annots.asArray() : []) {
    const annot = pdf.resolve(item);
    const rect = annot instanceof PDFDict ? rectOf(pdf, annot.get(PDFName.of("Rect"))) : undefined;
    if (rect && rect.x1 > rect.x0 && rect.y1 > rect.y0) occupied.push(rect);
  }
  return { mediaBox: media, occupied };
}

/** The page's /MediaBox entry, inherited from the nearest page tree node that has one (§7.7.3.4). */
function inheritedMediaBox(leaf: PageLeaf) {
  for (const node of [leaf.node, ...leaf.ancestors]) {
    const raw = node.get(PDFName.of("MediaBox"));
    if (raw !== undefined) return raw;
  }
  return undefined;
}

function rectOf(pdf: PdfForUpdate, raw: Parameters<PdfForUpdate["resolve"]>[0]): PageRect | undefined {
  const box = pdf.resolve(raw);
  const values = box instanceof PDFArray ? box.asArray().map((n) => pdf.resolve(n)) : [];
  const n = values.map((v) => (v instanceof PDFNumber ? v.asNumber() : NaN));
  if (n.length !== 4 || !n.every(Number.isFinite)) return undefined;
  return { x0: Math.min(n[0], n[2]), y0: Math.min(n[1], n[3]), x1: Math.max(n[0], n[2]), y1: Math.max(n[1], n[3]) };
}

function malformed(detail: string): PdfReadError {
  return new PdfReadError("PDF_MALFORMED", `The PDF's structure is broken: ${detail}.`);
}
