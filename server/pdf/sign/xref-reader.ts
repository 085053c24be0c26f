// Reads the last cross-reference section of a PDF and its trailer: where it is (for /Prev), whether
// it is a classic table or an xref stream (the update must use the same kind), /Size, /Root,
// /Info, /ID, /Encrypt. It also checks that the section's in-use entries point at objects, because
// an incremental update chained to a broken xref would be broken too.
import {
  PDFArray,
  PDFContext,
  PDFDict,
  PDFName,
  PDFNumber,
  PDFObjectParser,
  PDFRawStream,
  PDFRef,
  decodePDFRawStream,
} from "pdf-lib";
import { BadRequestError } from "../../errors";
import { undoPngPredictor } from "../png-predictor";

/** The facts of the last xref section an incremental update chains to. */
export interface XrefTrailer {
  kind: "table" | "stream";
  /** Byte offset of the last xref section: the new section's /Prev. */
  startXref: number;
  size: number;
  root: PDFRef;
  info?: PDFRef;
  id?: PDFArray;
  encrypted: boolean;
}

const TAIL_BYTES = 2048;

/** Reads the trailer of `pdfBytes`; throws BadRequestError PDF_TRUNCATED or PDF_MALFORMED. */
export function readXrefTrailer(pdfBytes: Uint8Array): XrefTrailer {
  const tailStart = Math.max(0, pdfBytes.length - TAIL_BYTES);
  const tail = latin1(pdfBytes, tailStart, pdfBytes.length);
  if (!tail.includes("%%EOF")) {
    throw new BadRequestError("PDF_TRUNCATED", "The PDF ends without %%EOF; the file is probably cut off");
  }
  const m = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail.slice(0, tail.lastIndexOf("%%EOF") + 5));
  if (!m) throw malformed("no startxref before the final %%EOF");
  const startXref = Number(m[1]);
  if (startXref >= pdfBytes.length) throw malformed("startxref points past the end of the file");
  const context = PDFContext.create();
  const head = latin1(pdfBytes, startXref, Math.min(pdfBytes.length, startXref + 64));
  if (head.startsWith("xref")) return readClassic(pdfBytes, startXref, context);
  const obj = /^(\d+)\s+(\d+)\s+obj/.exec(head);
  if (obj) return readStream(pdfBytes, startXref, startXref + obj[0].length, context);
  throw malformed("startxref does not point at a cross-reference section");
}

function readClassic(pdfBytes: Uint8Array, startXref: number, context: PDFContext): XrefTrailer {
  const text = latin1(pdfBytes, startXref, pdfBytes.length);
  const trailerAt = text.indexOf("trailer");
  if (trailerAt < 0) throw malformed("the xref table has no trailer");
  const table = text.slice(4, trailerAt);
  const subsection = /(\d+)\s+(\d+)\s*[\r\n]+/y;
  let pos = /^\s*/.exec(table)?.[0].length ?? 0;
  while (pos < table.length) {
    subsection.lastIndex = pos;
    const head = subsection.exec(table);
    if (!head) break;
    const first = Number(head[1]);
    const count = Number(head[2]);
    pos = subsection.lastIndex;
    for (let i = 0; i < count; i++) {
      const entry = /^(\d{10}) (\d{5}) ([nf])\s*/.exec(table.slice(pos, pos + 21));
      if (!entry) throw malformed(`xref entry ${first + i} is not 20 bytes of "offset gen n|f"`);
      if (entry[3] === "n") checkObjectAt(pdfBytes, Number(entry[1]), first + i);
      pos += entry[0].length;
    }
  }
  if (table.slice(pos).trim() !== "") throw malformed("unreadable xref subsection header");
  const parser = PDFObjectParser.forBytes(pdfBytes.subarray(startXref + trailerAt + 7), context);
  const dict = parseDict(parser);
  return { kind: "table", startXref, ...trailerFields(dict) };
}

function readStream(pdfBytes: Uint8Array, startXref: number, bodyAt: number, context: PDFContext): XrefTrailer {
  const stream = parse(() => PDFObjectParser.forBytes(pdfBytes.subarray(bodyAt), context).parseObject());
  if (!(stream instanceof PDFRawStream) || stream.dict.get(PDFName.of("Type")) !== PDFName.of("XRef")) {
    throw malformed("startxref does not point at an xref stream");
  }
  const fields = trailerFields(stream.dict);
  const w = numbers(stream.dict.get(PDFName.of("W")));
  const index = numbers(stream.dict.get(PDFName.of("Index"))) ?? [0, fields.size];
  if (!w || w.length !== 3) throw malformed("the xref stream has no valid /W");
  const data = xrefStreamRows(stream);
  const rowLength = w[0] + w[1] + w[2];
  let row = 0;
  for (let s = 0; s + 1 < index.length; s += 2) {
    for (let i = 0; i < index[s + 1]; i++, row++) {
      const at = row * rowLength;
      if (at + rowLength > data.length) throw malformed("the xref stream is shorter than its /Index");
      const type = w[0] === 0 ? 1 : readUint(data, at, w[0]);
      if (type === 1) checkObjectAt(pdfBytes, readUint(data, at + w[0], w[1]), index[s] + i);
    }
  }
  return { kind: "stream", startXref, ...fields };
}

/** The decoded rows of an xref stream, PNG predictor undone when /DecodeParms asks for one. */
function xrefStreamRows(stream: PDFRawStream): Uint8Array {
  const decoded = parse(() => decodePDFRawStream(stream).decode());
  const params = stream.dict.lookupMaybe(PDFName.of("DecodeParms"), PDFDict);
  const predictor = params?.lookupMaybe(PDFName.of("Predictor"), PDFNumber)?.asNumber() ?? 1;
  if (predictor < 10) {
    if (predictor !== 1) throw malformed(`unsupported xref stream predictor ${predictor}`);
    return decoded;
  }
  const columns = params?.lookupMaybe(PDFName.of("Columns"), PDFNumber)?.asNumber() ?? 1;
  return undoPngPredictor(decoded, columns);
}

function trailerFields(dict: PDFDict): Omit<XrefTrailer, "kind" | "startXref"> {
  const size = dict.get(PDFName.of("Size"));
  const root = dict.get(PDFName.of("Root"));
  const info = dict.get(PDFName.of("Info"));
  const id = dict.get(PDFName.of("ID"));
  if (!(size instanceof PDFNumber) || !(root instanceof PDFRef)) throw malformed("the trailer lacks /Size or /Root");
  return {
    size: size.asNumber(),
    root,
    info: info instanceof PDFRef ? info : undefined,
    id: id instanceof PDFArray ? id : undefined,
    encrypted: dict.has(PDFName.of("Encrypt")),
  };
}

/** An xref entry must point at "<num> <gen> obj"; anything else means the table is broken. */
function checkObjectAt(pdfBytes: Uint8Array, offset: number, objectNumber: number): void {
  const head = offset < pdfBytes.length ? latin1(pdfBytes, offset, Math.min(pdfBytes.length, offset + 32)) : "";
  const m = /^\s*(\d+)\s+\d+\s+obj/.exec(head);
  if (!m || Number(m[1]) !== objectNumber) throw malformed(`xref entry for object ${objectNumber} points elsewhere`);
}

function parseDict(parser: PDFObjectParser): PDFDict {
  const dict = parse(() => parser.parseObject());
  if (!(dict instanceof PDFDict)) throw malformed("the trailer is not a dictionary");
  return dict;
}

function parse<T>(fn: () => T): T {
  try {
    return fn();
  } catch (cause) {
    throw malformed("the cross-reference section cannot be parsed", cause);
  }
}

function numbers(obj: unknown): number[] | undefined {
  if (!(obj instanceof PDFArray)) return undefined;
  const out = obj.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : NaN));
  return out.every(Number.isInteger) ? out : undefined;
}

function readUint(data: Uint8Array, at: number, width: number): number {
  let v = 0;
  for (let i = 0; i < width; i++) v = v * 256 + data[at + i];
  return v;
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString("latin1");
}

function malformed(detail: string, cause?: unknown): BadRequestError {
  return new BadRequestError("PDF_MALFORMED", `The PDF's cross-reference data is broken: ${detail}`, { cause });
}
