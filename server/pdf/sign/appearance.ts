// The signature widget's appearance: a Form XObject of size×size points whose content stream is
// the seal drawing. The drawing itself is produced elsewhere (vector operators only), so the
// XObject needs no fonts or images in its resources.
import { PDFContext, PDFRawStream } from "pdf-lib";

/** Draws a seal into a size×size box: returns content-stream operators (vector only). */
export type SealDrawing = (sizePt: number) => string;

/** Wraps content-stream operators in a Flate-compressed Form XObject with BBox [0 0 w h]. */
export function buildAppearanceStream(context: PDFContext, widthPt: number, heightPt: number, operators: string): PDFRawStream {
  return context.flateStream(operators, {
    Type: "XObject",
    Subtype: "Form",
    BBox: [0, 0, widthPt, heightPt],
    Resources: {},
  });
}

/**
 * A plain red round seal with a five-pointed star, used until the department seal drawing is
 * wired in: circle by four Bézier arcs (k = 0.5523 per quarter), star as one filled path.
 */
export const placeholderSeal: SealDrawing = (sizePt) => {
  const c = sizePt / 2;
  const r = sizePt / 2 - sizePt * 0.03;
  const k = 0.5523 * r;
  const f = (n: number): string => n.toFixed(2);
  const circle =
    `${f(c + r)} ${f(c)} m ` +
    `${f(c + r)} ${f(c + k)} ${f(c + k)} ${f(c + r)} ${f(c)} ${f(c + r)} c ` +
    `${f(c - k)} ${f(c + r)} ${f(c - r)} ${f(c + k)} ${f(c - r)} ${f(c)} c ` +
    `${f(c - r)} ${f(c - k)} ${f(c - k)} ${f(c - r)} ${f(c)} ${f(c - r)} c ` +
    `${f(c + k)} ${f(c - r)} ${f(c + r)} ${f(c - k)} ${f(c + r)} ${f(c)} c S`;
  const star: string[] = [];
  for (let i = 0; i < 10; i++) {
    const rr = i % 2 === 0 ? r * 0.35 : r * 0.14;
    const a = Math.PI / 2 + (i * Math.PI) / 5;
    star.push(`${f(c + rr * Math.cos(a))} ${f(c + rr * Math.sin(a))} ${i === 0 ? "m" : "l"}`);
  }
  return `q 0.85 0.1 0.1 RG 0.85 0.1 0.1 rg ${f(sizePt * 0.04)} w ${circle} ${star.join(" ")} h f Q`;
};
