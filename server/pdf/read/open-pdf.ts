// Opens a PDF for reading, for the verifier and the signer alike: size and header at the edge,
// the cross-reference chain and revision-aware object access, all under one set of limits and one
// work budget. Two parsers of one format are where a signer and a verifier quietly disagree, so
// there is one: this. It judges nothing and writes nothing.
import { PDFContext } from "./pdf-objects";
import { createObjectLookup, type ObjectLookup } from "./object-lookup";
import { latin1 } from "./pdf-lexer";
import { PdfReadError } from "./pdf-read-error";
import type { ReadState } from "./read-state";
import { DEFAULT_PDF_READ_LIMITS, type PdfReadLimits } from "./types";
import { createWorkBudget } from "./work-budget";
import { readXrefChain, type XrefChain } from "./xref-chain";

/** An opened file: its read state, cross-reference chain and object access. */
export interface OpenedPdf extends ReadState {
  readonly chain: XrefChain;
  readonly lookup: ObjectLookup;
  /** Whether "%PDF-" appears in the first 1024 bytes (a file without it is read on when it can be). */
  readonly hasHeader: boolean;
}

/**
 * Opens `pdfBytes` within `limits` (defaults: {@link DEFAULT_PDF_READ_LIMITS}). Throws
 * PdfReadError with code PDF_TOO_LARGE, PDF_NOT_PDF, PDF_TRUNCATED, PDF_MALFORMED, PDF_ENCRYPTED,
 * PDF_TOO_COMPLEX or PDF_WORK_LIMIT; never any other error for bad input.
 */
export function openPdf(pdfBytes: Uint8Array, limits?: Partial<PdfReadLimits>): OpenedPdf {
  const effective: PdfReadLimits = { ...DEFAULT_PDF_READ_LIMITS, ...limits };
  if (pdfBytes.length > effective.maxBytes) {
    throw new PdfReadError("PDF_TOO_LARGE", `The PDF is ${pdfBytes.length} bytes; the verifier accepts at most ${effective.maxBytes}.`);
  }
  const hasHeader = latin1(pdfBytes, 0, Math.min(1024, pdfBytes.length)).includes("%PDF-");
  const state: ReadState = { bytes: pdfBytes, limits: effective, work: createWorkBudget(effective.work), context: PDFContext.create() };
  try {
    return guardRead(() => {
      const chain = readXrefChain(state);
      return { ...state, chain, lookup: createObjectLookup(state, chain), hasHeader };
    });
  } catch (err) {
    // A signed file whose header was overwritten still reads, and is then judged (the digest
    // fails), as pdfsig does; only a file that neither starts nor reads as a PDF is "not a PDF".
    if (!hasHeader) throw new PdfReadError("PDF_NOT_PDF", "The file is not a PDF (no %PDF- header).", { cause: err });
    throw err;
  }
}

/**
 * Runs one reading step: a PdfReadError passes through; a stack overflow despite the depth guard,
 * or a parser's own exception, is still the file's fault and becomes one, never a crash.
 */
export function guardRead<T>(step: () => T): T {
  try {
    return step();
  } catch (cause) {
    if (cause instanceof PdfReadError) throw cause;
    if (cause instanceof RangeError) throw new PdfReadError("PDF_TOO_COMPLEX", "The PDF is too complex to read.", { cause });
    throw new PdfReadError("PDF_MALFORMED", "The PDF's structure is broken.", { cause });
  }
}
