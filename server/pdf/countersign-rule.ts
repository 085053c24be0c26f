// Who may add a further signature (签两次) to a document, when, and where its visible block goes:
// the one rule the API (POST /api/documents/{id}/countersignatures) and the CLI (zerosign
// countersign) both apply. A seal is the issuer's act, not a countersignature; a revoked document
// is not signed again; the block never covers the seal or an earlier signature.
import { BadRequestError, ConflictError } from "../errors";
import type { PageLayout, PageRect } from "./sign/page-layout";

/** Roles that countersign: 派驻工作人员 staff and 首席代表 chief representative (never the seal). */
export const COUNTERSIGN_ROLES = ["staff", "chief"] as const;

/** A role that may countersign. */
export type CountersignRole = (typeof COUNTERSIGN_ROLES)[number];

/** Narrows `role` to a {@link CountersignRole}, or undefined when it may not countersign. */
export function countersignRoleOf(role: string): CountersignRole | undefined {
  return COUNTERSIGN_ROLES.find((r) => r === role);
}

/**
 * Refuses to countersign a revoked document.
 * @param subject - names the document in the message (its id, or the file)
 * @param revoked - whether its issuer revoked it
 * @throws ConflictError DOCUMENT_REVOKED (409 over HTTP)
 */
export function assertCountersignable(subject: string, revoked: boolean): void {
  if (revoked) throw new ConflictError("DOCUMENT_REVOKED", `Document ${subject} is revoked; it cannot be countersigned`);
}

/** Where a countersignature block goes: its lower-left corner and the scale it is drawn at. */
export interface CountersignPlacement {
  x: number;
  y: number;
  scale: number;
}

/** Space kept between the block and the page edge or another mark, in points. */
const GAP_PT = 6;
/** The seal's default margin from the page's bottom-right corner (sign-pdf.ts), for a page with no mark. */
const CORNER_MARGIN_PT = 56;
/** Scales tried in turn when the block does not fit at full size (a receipt-size page). */
const SCALES = [1, 0.8, 0.6] as const;
/**
 * Marks a block may be placed next to, newest first. Each candidate is checked against every mark,
 * so without a bound a page with 100 000 annotations would cost 10^10 comparisons.
 */
const MAX_ANCHORS = 32;
/** Rounding slack when a candidate is exactly GAP_PT from a mark. */
const EPSILON_PT = 0.001;

/**
 * Places a countersignature block of `block` size (at scale 1) on a page so that it covers no mark
 * already there — the seal, the earlier signature blocks, any annotation — and stays inside the
 * page. Next to the newest mark first: below it (right edges aligned), then to its left (bottom
 * edges aligned), above, to its right; then the next older mark; a page with no mark gets the
 * seal's default corner (bottom right, 56 pt in). Only the newest MAX_ANCHORS marks are tried as
 * neighbours; every mark is avoided. Smaller scales are tried only when no place fits
 * at a larger one. The page's drawn content is not known here: only annotations are avoided.
 * @throws BadRequestError COUNTERSIGN_NO_ROOM when no place fits at the smallest scale
 */
export function placeCountersignBlock(layout: PageLayout, block: { width: number; height: number }): CountersignPlacement {
  const page = layout.mediaBox;
  const marks = layout.occupied.slice(-MAX_ANCHORS).reverse();
  for (const scale of SCALES) {
    const w = block.width * scale;
    const h = block.height * scale;
    const inset = (extent: number, side: number) => Math.min(CORNER_MARGIN_PT, Math.max(GAP_PT, (extent - side) / 2));
    const candidates =
      marks.length === 0
        ? [{ x: page.x1 - w - inset(page.x1 - page.x0, w), y: page.y0 + inset(page.y1 - page.y0, h) }]
        : marks.flatMap((m) => [
            { x: m.x1 - w, y: m.y0 - GAP_PT - h },
            { x: m.x0 - GAP_PT - w, y: m.y0 },
            { x: m.x1 - w, y: m.y1 + GAP_PT },
            { x: m.x1 + GAP_PT, y: m.y0 },
          ]);
    const fits = candidates.find(({ x, y }) => {
      const box: PageRect = { x0: x, y0: y, x1: x + w, y1: y + h };
      const edge = GAP_PT - EPSILON_PT;
      const inside = box.x0 >= page.x0 + edge && box.y0 >= page.y0 + edge && box.x1 <= page.x1 - edge && box.y1 <= page.y1 - edge;
      return inside && layout.occupied.every((m) => !overlaps(box, m));
    });
    if (fits) return { ...fits, scale };
  }
  throw new BadRequestError("COUNTERSIGN_NO_ROOM", "The page has no free place for the countersignature block beside its seal and signatures");
}

/** True when the rectangles come closer than GAP_PT: a mark needs clear space around it. */
function overlaps(a: PageRect, b: PageRect): boolean {
  const gap = GAP_PT - EPSILON_PT;
  return a.x0 < b.x1 + gap && b.x0 < a.x1 + gap && a.y0 < b.y1 + gap && b.y0 < a.y1 + gap;
}
