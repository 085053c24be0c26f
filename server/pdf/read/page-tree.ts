// The page tree's leaves in document order, walked iteratively: a node seen twice (a loop), a
// tree deeper than the limit or a missing node is refused, so neither the verifier counting pages
// nor the signer finding the page to stamp can be sent into a loop or a stack overflow.
import { PDFArray, PDFDict, PDFName, PDFRef, type PDFObject } from "./pdf-objects";
import type { ObjectLookup } from "./object-lookup";
import { PdfReadError } from "./pdf-read-error";
import type { PdfReadLimits } from "./types";

/** One page: its dictionary and, when it is an indirect object, its reference. */
export interface PageLeaf {
  ref?: PDFRef;
  node: PDFDict;
  /** The page tree nodes above it, nearest first (for inherited /MediaBox, /Resources …). */
  ancestors: PDFDict[];
}

/**
 * The leaves of `catalog`'s page tree as revision `revision` sees it. Throws PdfReadError
 * PDF_MALFORMED (a loop, a missing node) or PDF_TOO_COMPLEX (deeper than `limits.maxDepth`).
 */
export function pageLeaves(catalog: PDFDict, lookup: ObjectLookup, revision: number, limits: PdfReadLimits): PageLeaf[] {
  const rootRef = catalog.get(PDFName.of("Pages"));
  interface Pending {
    node: PDFObject | undefined;
    ref?: PDFRef;
    ancestors: PDFDict[];
  }
  const stack: Pending[] = [{ node: lookup.resolve(rootRef, revision), ref: rootRef instanceof PDFRef ? rootRef : undefined, ancestors: [] }];
  const seen = new Set<string>();
  const leaves: PageLeaf[] = [];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { node, ref, ancestors } = item;
    if (ref) {
      if (seen.has(ref.tag)) throw new PdfReadError("PDF_MALFORMED", "The PDF's structure is broken: the page tree loops.");
      seen.add(ref.tag);
    }
    if (ancestors.length > limits.maxDepth || seen.size > limits.maxObjects) {
      throw new PdfReadError("PDF_TOO_COMPLEX", "The PDF's page tree is deeper than the verifier accepts.");
    }
    if (!(node instanceof PDFDict)) throw new PdfReadError("PDF_MALFORMED", "The PDF's structure is broken: a page tree node is missing.");
    const kids = lookup.resolve(node.get(PDFName.of("Kids")), revision);
    if (node.get(PDFName.of("Type")) === PDFName.of("Page") || !(kids instanceof PDFArray)) {
      leaves.push({ ref, node, ancestors });
      continue;
    }
    const below = [node, ...ancestors];
    // Pushed last to first, so the first kid is taken next: document order.
    for (const kid of kids.asArray().slice().reverse()) {
      stack.push({ node: lookup.resolve(kid, revision), ref: kid instanceof PDFRef ? kid : undefined, ancestors: below });
    }
  }
  return leaves;
}
