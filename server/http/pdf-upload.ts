// Reads an uploaded PDF from either a raw `application/pdf` body or a multipart/form-data upload
// (field `file`, plus text fields), with the size limit enforced before anything is parsed: the
// declared Content-Length first, then the bytes as they stream in. Every failure is a typed 4xx,
// so a hostile upload never reaches the PDF code or becomes a 500. A raw body is read into a
// buffer of its own (read-body.ts), which moves to a verifying worker without a copy.
import type { RequestHandler, Response } from "express";
import multer from "multer";
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaError, type ZeroSignError } from "../errors";
import { readBody } from "./read-body";

/** The file and text fields of an upload. */
export interface PdfUpload {
  pdfBytes: Uint8Array;
  /** Whether it came as multipart/form-data (else a raw application/pdf body). */
  multipart: boolean;
  /** Multipart text fields (empty for a raw body). */
  fields: Record<string, string>;
}

/** What a multipart envelope may add around the file: boundaries, headers, a few small fields. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
const MAX_FIELDS = 8;
const MAX_FIELD_BYTES = 1024;

/** Middleware that puts the upload in res.locals for {@link uploadOf}; `maxPdfBytes` bounds the file. */
export function pdfUpload(maxPdfBytes: number): RequestHandler {
  const multipart = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxPdfBytes, files: 1, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES, fieldNameSize: 64, parts: MAX_FIELDS + 1, headerPairs: 20 },
  }).single("file");
  const tooLarge = () => new PayloadTooLargeError("PDF_TOO_LARGE", `The upload is larger than ${maxPdfBytes} bytes`);

  return (req, res, next) => {
    const declared = Number(req.get("content-length") ?? NaN);
    const hasBody = req.get("transfer-encoding") !== undefined || declared > 0;
    if (!hasBody) return next(missing());
    if (req.is("application/pdf")) {
      readBody(req, { limit: maxPdfBytes, tooLarge }).then((pdfBytes) => {
        if (pdfBytes.length === 0) return next(missing());
        setUpload(res, { pdfBytes, multipart: false, fields: {} });
        next();
      }, next);
      return;
    }
    if (req.is("multipart/form-data")) {
      if (declared > maxPdfBytes + MULTIPART_OVERHEAD_BYTES) return next(tooLarge());
      multipart(req, res, (err?: unknown) => {
        if (err) return next(multipartError(err, tooLarge));
        if (!req.file) return next(missing());
        const fields: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.body as Record<string, unknown>)) {
          if (typeof value !== "string") return next(new BadRequestError("MULTIPART_INVALID", `Form field ${name} must be a plain text field`));
          fields[name] = value;
        }
        const { buffer } = req.file;
        setUpload(res, { pdfBytes: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length), multipart: true, fields });
        next();
      });
      return;
    }
    next(new UnsupportedMediaError("UNSUPPORTED_MEDIA_TYPE", "Send the PDF as Content-Type application/pdf or as multipart/form-data field `file`"));
  };
}

/** The upload {@link pdfUpload} read for this request. */
export function uploadOf(res: Response): PdfUpload {
  const upload: unknown = res.locals.pdfUpload;
  if (typeof upload !== "object" || upload === null || !((upload as PdfUpload).pdfBytes instanceof Uint8Array)) {
    throw new Error("uploadOf() on a route without pdfUpload");
  }
  return upload as PdfUpload;
}

function setUpload(res: Response, upload: PdfUpload): void {
  res.locals.pdfUpload = upload;
}

function missing(): ZeroSignError {
  return new BadRequestError("PDF_MISSING", "No PDF in the request: send it as the body (application/pdf) or as multipart field `file`");
}

/** multer and busboy errors (limits, malformed envelopes, a file under another name) as 4xx. */
function multipartError(err: unknown, tooLarge: () => ZeroSignError): ZeroSignError {
  if (err instanceof multer.MulterError && err.code === "LIMIT_FILE_SIZE") return tooLarge();
  const detail = err instanceof multer.MulterError ? `${err.code}${err.field ? ` (${err.field})` : ""}` : "malformed multipart body";
  return new BadRequestError("MULTIPART_INVALID", `The multipart upload was refused: ${detail}`, { cause: err });
}
