// Reads a PDF for verification: size and header at the edge, revisions from the xref chain,
// every signature dictionary with its /Contents located in the raw bytes, the page count and the
// file's SHA-256. It judges nothing (server/verify/checks/ do); it only refuses files it cannot
// read safely, with a PdfReadError whose code is a verifier reason code.
import { createHash } from "node:crypto";
import { PDFDict, PDFName } from "./pdf-objects";
import { findSignatures } from "./find-signatures";
import { guardRead, openPdf } from "./open-pdf";
import { pageLeaves } from "./page-tree";
import { PdfReadError } from "./pdf-read-error";
import type { ParsedPdf, PdfReadLimits } from "./types";

export { PdfReadError, type PdfReadErrorCode } from "./pdf-read-error";

/**
 * Reads `pdfBytes` within `limits` (defaults: DEFAULT_PDF_READ_LIMITS). Throws PdfReadError with
 * code PDF_TOO_LARGE, PDF_NOT_PDF, PDF_TRUNCATED, PDF_MALFORMED, PDF_ENCRYPTED, PDF_TOO_COMPLEX or
 * PDF_WORK_LIMIT; never any other error for bad input.
 */
export async function readPdfForVerification(pdfBytes: Uint8Array, limits?: Partial<PdfReadLimits>): Promise<ParsedPdf> {
  const file = openPdf(pdfBytes, limits);
  return guardRead(() => {
    const { chain, lookup } = file;
    const signatures = findSignatures(file);
    const last = chain.revisions.length - 1;
    const root = lookup.resolve(chain.sections[chain.sections.length - 1].trailer.get(PDFName.of("Root")), last);
    if (!(root instanceof PDFDict)) throw new PdfReadError("PDF_MALFORMED", "The PDF's structure is broken: /Root is not a dictionary.");
    return {
      bytes: pdfBytes,
      sha256Hex: `0x${createHash("sha256").update(pdfBytes).digest("hex")}`,
      revisions: chain.revisions.map((r) => ({ index: r.index, endOffset: r.endOffset, eofEnd: r.eofEnd, startXref: r.startXref })),
      signatures,
      pageCount: pageLeaves(root, lookup, last, file.limits).length,
      file,
    };
  });
}
