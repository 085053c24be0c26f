// The one error the verification reader throws: a ZeroSignError whose code is a verifier reason
// code, so verifyPdf turns it into an error report without translating, and the HTTP layer maps it
// to 413 (too large), 415 (not a PDF, encrypted) or 400 (everything else).
import { ZeroSignError } from "../../errors";
import type { ReasonCode } from "../../verify/reasons";

/** The reason codes a PDF read can fail with. */
export type PdfReadErrorCode = Extract<
  ReasonCode,
  "PDF_NOT_PDF" | "PDF_TRUNCATED" | "PDF_MALFORMED" | "PDF_ENCRYPTED" | "PDF_TOO_LARGE" | "PDF_TOO_COMPLEX" | "PDF_WORK_LIMIT"
>;

const HTTP_STATUS: Record<PdfReadErrorCode, number> = {
  PDF_NOT_PDF: 415,
  PDF_ENCRYPTED: 415,
  PDF_TOO_LARGE: 413,
  PDF_TRUNCATED: 400,
  PDF_MALFORMED: 400,
  PDF_TOO_COMPLEX: 400,
  PDF_WORK_LIMIT: 400,
};

/** A PDF that cannot be read for verification; `message` is safe to show. */
export class PdfReadError extends ZeroSignError {
  readonly reasonCode: PdfReadErrorCode;

  constructor(code: PdfReadErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, { ...options, httpStatus: HTTP_STATUS[code] });
    this.reasonCode = code;
  }
}
