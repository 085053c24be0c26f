// What every step of reading one file shares: its bytes, the limits, the file's work budget and
// the pdf-lib context its objects are made in. One per file: the signer and the verifier both
// build it with openPdf (open-pdf.ts), so they read a file the same way under the same limits.
import type { PDFContext } from "./pdf-objects";
import type { PdfReadLimits } from "./types";
import type { WorkBudget } from "./work-budget";

/** The shared state of one file's read. */
export interface ReadState {
  readonly bytes: Uint8Array;
  readonly limits: PdfReadLimits;
  readonly work: WorkBudget;
  readonly context: PDFContext;
}
