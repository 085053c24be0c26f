// Raw and decoded data of the streams the reader itself must open: cross-reference streams and
// object streams. Only FlateDecode (with PNG predictors) is accepted, the output size is capped
// so a compression bomb cannot exhaust memory, and nothing else is decoded.
import { inflateSync } from "node:zlib";
import { PDFArray, PDFDict, PDFName, PDFNumber } from "./pdf-objects";
import { latin1, skipSpace } from "./pdf-lexer";
import { PdfReadError } from "./pdf-read-error";
import { workLimitError, type WorkBudget } from "./work-budget";
import { undoPngPredictor } from "../png-predictor";

/**
 * The raw data of the stream whose dictionary ends at `dictEnd`: `length` bytes after the
 * "stream" keyword and its end of line, which must be followed by "endstream".
 */
export function rawStreamData(bytes: Uint8Array, dictEnd: number, length: number): Uint8Array {
  const p = skipSpace(bytes, dictEnd, Math.min(bytes.length, dictEnd + 64));
  if (latin1(bytes, p, p + 6) !== "stream") throw malformed("a stream object has no stream keyword");
  let start = p + 6;
  if (bytes[start] === 0x0d) start++;
  if (bytes[start] === 0x0a) start++;
  const end = start + length;
  if (!Number.isSafeInteger(length) || length < 0 || end > bytes.length) {
    throw new PdfReadError("PDF_TRUNCATED", "A stream reaches past the end of the file.");
  }
  const after = skipSpace(bytes, end, Math.min(bytes.length, end + 64));
  if (latin1(bytes, after, after + 9) !== "endstream") throw malformed("a stream's /Length does not match its data");
  return bytes.subarray(start, end);
}

/**
 * Decodes `raw` per the stream dictionary's /Filter and /DecodeParms: at most `maxBytes` out for
 * this stream, and no more than what is left of the file's decoded-bytes budget in `work`, which
 * is charged what was decoded (decoded data is kept for the whole read).
 */
export function decodeStreamData(dict: PDFDict, raw: Uint8Array, maxBytes: number, work: WorkBudget): Uint8Array {
  const filter = dict.get(PDFName.of("Filter"));
  const filters = filter instanceof PDFArray ? filter.asArray() : filter ? [filter] : [];
  if (filters.length === 0) return raw;
  if (filters.length !== 1 || filters[0] !== PDFName.of("FlateDecode")) {
    throw malformed("a cross-reference or object stream uses a filter other than FlateDecode");
  }
  const left = work.remaining("decodedBytes");
  let inflated: Uint8Array;
  try {
    inflated = inflateSync(raw, { maxOutputLength: Math.max(1, Math.min(maxBytes, left)) });
  } catch (cause) {
    if (cause instanceof RangeError) {
      if (left < maxBytes) throw workLimitError("decodedBytes", work.spent().decodedBytes + left, cause);
      throw new PdfReadError("PDF_TOO_COMPLEX", "A stream decompresses to more than the verifier accepts.", { cause });
    }
    throw malformed("a compressed stream cannot be decoded", cause);
  }
  work.spend("decodedBytes", inflated.length);
  const params = dict.get(PDFName.of("DecodeParms"));
  if (!(params instanceof PDFDict)) return inflated;
  const predictor = numberIn(params, "Predictor") ?? 1;
  if (predictor === 1) return inflated;
  if (predictor < 10 || predictor > 15) throw malformed(`unsupported stream predictor ${predictor}`);
  const columns = numberIn(params, "Columns") ?? 1;
  if (!Number.isSafeInteger(columns) || columns < 1 || columns > 1024) throw malformed("bad predictor /Columns");
  return undoPngPredictor(inflated, columns);
}

function numberIn(dict: PDFDict, key: string): number | undefined {
  const v = dict.get(PDFName.of(key));
  return v instanceof PDFNumber ? v.asNumber() : undefined;
}

function malformed(detail: string, cause?: unknown): PdfReadError {
  return new PdfReadError("PDF_MALFORMED", `The PDF's structure is broken: ${detail}.`, { cause });
}
