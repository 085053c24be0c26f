// Reads a PDF for verification: size and header at the edge, revisions from the xref chain,
// every signature dictionary with its /Contents located in the raw bytes, the page count and the
// file's SHA-256. It judges nothing (server/verify/checks/ do); it only refuses files it cannot
// read safely, with a PdfReadError whose code is a verifier reason code.
import { createHash } from "node:crypto";
import { PDFArray, PDFContext, PDFDict, PDFName, PDFRef, type PDFObject } from "pdf-lib";
import { findSignatures } from "./find-signatures";
import { createObjectLookup, type ObjectLookup } from "./object-lookup";
import { latin1 } from "./pdf-lexer";
import { PdfReadError } from "./pdf-read-error";
import { DEFAULT_PDF_READ_LIMITS, type ParsedPdf, type PdfReadLimits } from "./types";
import { readXrefChain } from "./xref-chain";

export { PdfReadError, type PdfReadErrorCode } from "./pdf-read-error";

/**
 * Reads `pdfBytes` within `limits` (defaults: {@link DEFAULT_PDF_READ_LIMITS}). Throws
 * PdfReadError with code PDF_TOO_LARGE, PDF_NOT_PDF, PDF_TRUNCATED, PDF_MALFORMED, PDF_ENCRYPTED
 * or PDF_TOO_COMPLEX; never any other error for bad input.
 */
export async function readPdfForVerification(pdfBytes: Uint8Array, limits?: Partial<PdfReadLimits>): Promise<ParsedPdf> {
  const effective: PdfReadLimits = { ...DEFAULT_PDF_READ_LIMITS, ...limits };
  if (pdfBytes.length > effective.maxBytes) {
    throw new PdfReadError("PDF_TOO_LARGE", `The PDF is ${pdfBytes.length} bytes; the verifier accepts at most ${effective.maxBytes}.`);
  }
  if (!latin1(pdfBytes, 0, Math.min(1024, pdfBytes.length)).includes("%PDF-")) {
    throw new PdfReadError("PDF_NOT_PDF", "The file is not a PDF (no %PDF- header).");
  }
  try {
    return readChecked(pdfBytes, effective);
  } catch (cause) {
    if (cause instanceof PdfReadError) throw cause;
    // A stack overflow despite the depth guard, or a parser bug: still the file's fault, never a crash.
    if (cause instanceof RangeError) throw new PdfReadError("PDF_TOO_COMPLEX", "The PDF is too complex to read.", { cause });
    throw new PdfReadError("PDF_MALFORMED", "The PDF's structure is broken.", { cause });
  }
}

function readChecked(bytes: Uint8Array, limits: PdfReadLimits): ParsedPdf {
  const context = PDFContext.create();
  const chain = readXrefChain(bytes, limits, context);
  const lookup = createObjectLookup(bytes, chain, limits, context);
  const signatures = findSignatures(bytes, chain, lookup, limits);
  const last = chain.revisions.length - 1;
  const root = lookup.resolve(chain.sections[chain.sections.length - 1].trailer.get(PDFName.of("Root")), last);
  if (!(root instanceof PDFDict)) throw new PdfReadError("PDF_MALFORMED", "The PDF's structure is broken: /Root is not a dictionary.");
  return {
    bytes,
    sha256Hex: `0x${createHash("sha256").update(bytes).digest("hex")}`,
    revisions: chain.revisions.map((r) => ({ index: r.index, endOffset: r.endOffset, startXref: r.startXref })),
    signatures,
    pageCount: countPages(root, lookup, last, limits),
  };
}

/** Counts the page tree's leaves (iteratively; a node seen twice or nesting too deep is refused). */
function countPages(catalog: PDFDict, lookup: ObjectLookup, revision: number, limits: PdfReadLimits): number {
  const rootRef = catalog.get(PDFName.of("Pages"));
  const stack: { node: PDFObject | undefined; ref?: PDFRef; depth: number }[] = [
    { node: lookup.resolve(rootRef, revision), ref: rootRef instanceof PDFRef ? rootRef : undefined, depth: 0 },
  ];
  const seen = new Set<string>();
  let pages = 0;
  while (stack.length > 0) {
    const { node, ref, depth } = stack.pop() as { node: PDFObject | undefined; ref?: PDFRef; depth: number };
    if (ref) {
      if (seen.has(ref.tag)) throw new PdfReadError("PDF_MALFORMED", "The PDF's structure is broken: the page tree loops.");
      seen.add(ref.tag);
    }
    if (depth > limits.maxDepth || seen.size > limits.maxObjects) {
      throw new PdfReadError("PDF_TOO_COMPLEX", "The PDF's page tree is deeper than the verifier accepts.");
    }
    if (!(node instanceof PDFDict)) throw new PdfReadError("PDF_MALFORMED", "The PDF's structure is broken: a page tree node is missing.");
    const kids = lookup.resolve(node.get(PDFName.of("Kids")), revision);
    if (node.get(PDFName.of("Type")) === PDFName.of("Page") || !(kids instanceof PDFArray)) {
      pages++;
      continue;
    }
    for (const kid of kids.asArray()) {
      stack.push({ node: lookup.resolve(kid, revision), ref: kid instanceof PDFRef ? kid : undefined, depth: depth + 1 });
    }
  }
  return pages;
}
