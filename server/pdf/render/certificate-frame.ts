// The printed frame of a certificate: a heavy outer rule, a fine inner rule and a fret motif (回纹)
// in each corner, in the dark red of official certificates. Decoration only; no text.
import { num, type ContentStream, type Rgb } from "../content-stream";

/** Frame colour. */
export const FRAME_RED: Rgb = [0.6, 0.13, 0.11];

/** Insets (points from the page edge) of the frame's rules; content stays inside `inner`. */
export const FRAME = { outer: 22, inner: 28.5 } as const;

/** Draws the frame on a page of `widthPt` × `heightPt`. */
export function drawFrame(s: ContentStream, widthPt: number, heightPt: number): void {
  const { outer, inner } = FRAME;
  s.save().strokeColor(FRAME_RED);
  s.lineWidth(2.6).rect(outer, outer, widthPt - 2 * outer, heightPt - 2 * outer).stroke();
  s.lineWidth(0.7).rect(inner, inner, widthPt - 2 * inner, heightPt - 2 * inner).stroke();
  const corners: [number, number, number, number][] = [
    [inner, inner, 1, 1], [widthPt - inner, inner, -1, 1],
    [inner, heightPt - inner, 1, -1], [widthPt - inner, heightPt - inner, -1, -1],
  ];
  s.lineWidth(1.1);
  for (const [cx, cy, dx, dy] of corners) {
    // Two nested right angles and a small square: a simple fret corner.
    for (const [off, len] of [[5, 30], [10, 20]] as const) {
      s.line(cx + dx * off, cy + dy * (off + len), cx + dx * off, cy + dy * off);
      s.raw(`${num(cx + dx * (off + len))} ${num(cy + dy * off)} l`);
    }
    s.rect(cx + dx * 15 - (dx < 0 ? 5 : 0), cy + dy * 15 - (dy < 0 ? 5 : 0), 5, 5);
  }
  s.stroke().restore();
}
