// Edge checks and parsing of a PDF that is about to receive an incremental update: size limit,
// header, trailer and xref sanity, encryption, then pdf-lib's object graph for reading. Bad input
// becomes a typed error here so the rest of the signing code can trust what it reads.
import { PDFDocument } from "pdf-lib";
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaError } from "../../errors";
import { readXrefTrailer, type XrefTrailer } from "./xref-reader";

/** Default upper bound on the size of a PDF ZeroSign signs. */
export const DEFAULT_MAX_PDF_BYTES = 50 * 1024 * 1024;

/** A PDF parsed for reading, with the trailer facts the update chains to. */
export interface PdfForUpdate {
  bytes: Uint8Array;
  doc: PDFDocument;
  trailer: XrefTrailer;
}

/**
 * Checks and parses `pdfBytes`. Throws PayloadTooLargeError PDF_TOO_LARGE, UnsupportedMediaError
 * PDF_NOT_PDF or PDF_ENCRYPTED, BadRequestError PDF_TRUNCATED or PDF_MALFORMED.
 */
export async function loadPdfForUpdate(
  pdfBytes: Uint8Array,
  maxBytes: number = DEFAULT_MAX_PDF_BYTES,
): Promise<PdfForUpdate> {
  if (pdfBytes.length > maxBytes) {
    throw new PayloadTooLargeError(
      "PDF_TOO_LARGE",
      `The PDF is ${pdfBytes.length} bytes; the limit is ${maxBytes} bytes`,
    );
  }
  const head = Buffer.from(pdfBytes.buffer, pdfBytes.byteOffset, Math.min(1024, pdfBytes.length)).toString("latin1");
  if (!head.includes("%PDF-")) {
    throw new UnsupportedMediaError("PDF_NOT_PDF", "The file is not a PDF (no %PDF- header)");
  }
  const trailer = readXrefTrailer(pdfBytes);
  if (trailer.encrypted) {
    throw new UnsupportedMediaError("PDF_ENCRYPTED", "The PDF is encrypted; remove the encryption before sealing it");
  }
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(pdfBytes, { updateMetadata: false, ignoreEncryption: true });
  } catch (cause) {
    throw new BadRequestError("PDF_MALFORMED", "The PDF cannot be parsed", { cause });
  }
  return { bytes: pdfBytes, doc, trailer };
}
