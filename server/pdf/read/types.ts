// What the verifier reads out of a PDF before judging it: the revisions (one per incremental
// update) and, per signature, the raw facts as found in the file. Nothing here is trusted yet:
// the checks in server/verify/checks/ decide what these facts mean.
import type { OpenedPdf } from "./open-pdf";
import type { WorkLimits } from "./work-budget";

/** One revision: the file's prefix up to and including its %%EOF (and the end-of-line after it). */
export interface PdfRevision {
  /** 0 for the original document, then one per incremental update. */
  index: number;
  /** Exclusive end offset of this revision in the file. */
  endOffset: number;
  /**
   * Just after this revision's "%%EOF": endOffset less the end of line that may follow it. A
   * signature's range may end here or at endOffset (writers differ on who owns that end of line).
   */
  eofEnd: number;
  /** Offset of this revision's cross-reference section (its startxref value). */
  startXref: number;
}

/**
 * Why a signature dictionary cannot be a valid one, whatever its values: it sits in an object
 * stream (its /Contents has no place in the raw bytes a /ByteRange could leave out), its
 * /Contents is not one direct hex string, or it states /Contents or /ByteRange twice (readers
 * would disagree on which one counts).
 */
export type SignatureDictDefect = "in-object-stream" | "contents-not-hex-string" | "duplicate-key";

/** A signature dictionary as found in the file, with its location in the raw bytes. */
export interface PdfSignature {
  /** Order in the file (by the offset of the /Contents string), 0-based. */
  index: number;
  /** The signature field's fully qualified name (/T), if a field references this dictionary. */
  fieldName?: string;
  /** /Filter and /SubFilter as names without the slash, e.g. "ETSI.CAdES.detached". */
  filter?: string;
  subFilter?: string;
  /**
   * /ByteRange exactly as written (may be malformed: that is for the byte-range check to say):
   * [] when missing or null, NaN for an entry that is not a number, [NaN] for a non-array value.
   */
  byteRange: number[];
  /**
   * Offsets of the /Contents hex string in the raw bytes, `<` inclusive to `>` inclusive + 1;
   * both -1 when it could not be located (missing, null, or a defect).
   */
  contentsStart: number;
  contentsEnd: number;
  /** The /Contents value decoded from hex (trailing zero padding kept). */
  contents: Uint8Array;
  /** The object number of the signature dictionary, and the revision that first defines it. */
  objectNumber: number;
  revisionIndex: number;
  /** /M, /Reason, /Name, /Location as written, when present and readable. */
  signingTimeText?: string;
  reason?: string;
  name?: string;
  /** DocMDP permission (1, 2 or 3) when this is a certification signature. */
  docMdpPermission?: 1 | 2 | 3;
  /** Set when the dictionary is structurally unusable as a signature. */
  defect?: SignatureDictDefect;
}

/** Limits that keep a hostile file from exhausting the verifier. */
export interface PdfReadLimits {
  maxBytes: number;
  maxObjects: number;
  maxDepth: number;
  maxRevisions: number;
  maxSignatures: number;
  /** The work budget of one file (work-budget.ts); omitted kinds keep DEFAULT_WORK_LIMITS. */
  work?: Partial<WorkLimits>;
}

export const DEFAULT_PDF_READ_LIMITS: PdfReadLimits = {
  maxBytes: 50 * 1024 * 1024,
  maxObjects: 200_000,
  maxDepth: 64,
  maxRevisions: 64,
  maxSignatures: 32,
};

/** A PDF read for verification. */
export interface ParsedPdf {
  bytes: Uint8Array;
  /** SHA-256 of the whole file, lowercase 0x-hex: the hash ZeroSign anchors. */
  sha256Hex: string;
  revisions: PdfRevision[];
  signatures: PdfSignature[];
  pageCount: number;
  /** The opened file the facts were read from: later reads (revision objects) reuse its budget. */
  file: OpenedPdf;
}
