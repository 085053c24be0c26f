// Reads a PDF that is about to receive an incremental update with the verifier's own reader
// (server/pdf/read/), under the same limits and work budget: the signer never seals a file its
// verifier cannot read, and every object it looks at is the one the verifier would see. What the
// update chains to (the last xref section, /Size, /Root, /Info, /ID) comes from that read.
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFRef, type PDFContext, type PDFObject } from "pdf-lib";
import { guardRead } from "../read/open-pdf";
import { pageLeaves, type PageLeaf } from "../read/page-tree";
import { PdfReadError } from "../read/pdf-read-error";
import { readPdfForVerification } from "../read/read-pdf";
import { DEFAULT_PDF_READ_LIMITS } from "../read/types";
import type { XrefChain } from "../read/xref-chain";

/** Default upper bound on the size of a PDF ZeroSign signs: the verifier's. */
export const DEFAULT_MAX_PDF_BYTES = DEFAULT_PDF_READ_LIMITS.maxBytes;

/** The facts of the last xref section an incremental update chains to. */
export interface XrefTrailer {
  /** The update's cross-reference section is of the same kind (classic table or xref stream). */
  kind: "table" | "stream";
  /** Byte offset of the last xref section: the new section's /Prev. */
  startXref: number;
  /** The first object number no revision uses: the larger of /Size and the highest number + 1. */
  size: number;
  root: PDFRef;
  info?: PDFRef;
  id?: PDFArray;
}

/** A PDF read for an update: the newest revision's catalog and pages, and object access. */
export interface PdfForUpdate {
  bytes: Uint8Array;
  /** The reader's pdf-lib context: the update's new objects are made in it. It holds no objects. */
  context: PDFContext;
  trailer: XrefTrailer;
  catalog: PDFDict;
  /** The pages in document order, with their ancestors for inherited entries. */
  pages: PageLeaf[];
  /** `value`, or the object it refers to as the newest revision sees it (undefined when free). */
  resolve(value: PDFObject | undefined): PDFObject | undefined;
}

/**
 * Reads `pdfBytes` as the verifier does (readPdfForVerification: every in-use entry of every
 * xref section is loaded and checked against its "n g obj", so no update is chained to a broken
 * xref), then the catalog and the page tree. Throws PdfReadError PDF_TOO_LARGE (413), PDF_NOT_PDF
 * or PDF_ENCRYPTED (415), PDF_TRUNCATED, PDF_MALFORMED, PDF_TOO_COMPLEX or PDF_WORK_LIMIT (400).
 */
export async function readPdfForUpdate(pdfBytes: Uint8Array, maxBytes: number = DEFAULT_MAX_PDF_BYTES): Promise<PdfForUpdate> {
  const { file } = await readPdfForVerification(pdfBytes, { maxBytes });
  // The verifier reads a damaged header on, to judge the signatures; nothing is signed onto one.
  if (!file.hasHeader) throw new PdfReadError("PDF_NOT_PDF", "The file is not a PDF (no %PDF- header).");
  const { chain, lookup, context } = file;
  const revision = chain.revisions.length - 1;
  const resolve = (value: PDFObject | undefined): PDFObject | undefined => guardRead(() => lookup.resolve(value, revision));
  return guardRead(() => {
    const trailer = trailerOf(chain);
    const catalog = lookup.resolve(trailer.root, revision);
    if (!(catalog instanceof PDFDict)) throw malformed("/Root is not a dictionary");
    return { bytes: pdfBytes, context, trailer, catalog, pages: pageLeaves(catalog, lookup, revision, file.limits), resolve };
  });
}

/** The newest section (the one the final startxref names) and the trailer entries kept. */
function trailerOf(chain: XrefChain): XrefTrailer {
  const last = chain.sections[chain.sections.length - 1];
  const root = last.trailer.get(PDFName.of("Root"));
  // The catalog is replaced by number in the update, so it must have one.
  if (!(root instanceof PDFRef)) throw malformed("the trailer's /Root is not an indirect reference");
  const info = last.trailer.get(PDFName.of("Info"));
  const id = last.trailer.get(PDFName.of("ID"));
  return {
    kind: last.kind,
    startXref: last.startXref,
    size: firstUnusedNumber(chain, last.trailer),
    root,
    info: info instanceof PDFRef ? info : undefined,
    id: id instanceof PDFArray ? id : undefined,
  };
}

/**
 * The larger of the trailer's /Size and one past the highest object number any section lists,
 * in use or free: a new object must not take a number an older revision's xref still names
 * (a /Size written too small by another tool would otherwise make the update overwrite objects).
 */
function firstUnusedNumber(chain: XrefChain, trailer: PDFDict): number {
  const size = trailer.get(PDFName.of("Size"));
  let next = size instanceof PDFNumber && Number.isSafeInteger(size.asNumber()) ? Math.max(0, size.asNumber()) : 0;
  for (const section of chain.sections) {
    for (const n of section.entries.keys()) if (n >= next) next = n + 1;
    for (const n of section.freed) if (n >= next) next = n + 1;
  }
  return next;
}

function malformed(detail: string): PdfReadError {
  return new PdfReadError("PDF_MALFORMED", `The PDF's structure is broken: ${detail}.`);
}
