// Parses one object from raw bytes: the "n g obj" header at an xref offset, then the value. The
// lexer measures the value's extent and nesting first; only then does pdf-lib's (recursive)
// PDFObjectParser turn it into PDF objects. Stream data is never handed to pdf-lib.
import { PDFContext, PDFHexString, PDFObjectParser, type PDFObject } from "pdf-lib";
// Not re-exported by pdf-lib's entry point; pdf-lib is pinned (1.17.1), so the path holds.
import ByteStream from "pdf-lib/cjs/core/parser/ByteStream";
import { LexError, latin1, readDictSpans, scanValue, skipSpace, type DictEntrySpan } from "./pdf-lexer";
import { PdfReadError } from "./pdf-read-error";
import type { ReadState } from "./read-state";
import type { WorkBudget } from "./work-budget";

/** A value parsed from raw bytes, with the spans the lexer found. */
export interface ParsedValue {
  value: PDFObject;
  valueStart: number;
  /** Exclusive end of the value (for a stream: of its dictionary). */
  valueEnd: number;
  /** Top-level entries with raw spans, when the value is a dictionary. */
  entries?: DictEntrySpan[];
  /** True when the keyword "stream" follows the dictionary. */
  isStream: boolean;
}

/** An indirect object found at a file offset. */
export interface ParsedObject extends ParsedValue {
  objectNumber: number;
  generation: number;
  offset: number;
}

/**
 * Parses the indirect object at `offset` of the file (white space may precede its header). Throws
 * PdfReadError PDF_MALFORMED when no "n g obj" is there or it is not object `expectedNumber`,
 * PDF_TRUNCATED when the offset is past the end, PDF_TOO_COMPLEX on nesting beyond the limit,
 * PDF_WORK_LIMIT when the file's budget of objects or tokens is spent.
 */
export function parseObjectAt(state: ReadState, offset: number, expectedNumber?: number): ParsedObject {
  const { bytes } = state;
  if (!Number.isSafeInteger(offset) || offset < 0 || offset >= bytes.length) {
    throw new PdfReadError("PDF_TRUNCATED", "An object's offset points past the end of the file.");
  }
  const head = /^\s*(\d+)\s+(\d+)\s+obj/.exec(latin1(bytes, offset, Math.min(bytes.length, offset + 48)));
  const objectNumber = head ? Number(head[1]) : -1;
  if (!head || (expectedNumber !== undefined && objectNumber !== expectedNumber)) {
    throw malformed(`the cross-reference entry for object ${expectedNumber ?? "?"} points elsewhere`);
  }
  const parsed = parseValueAt(bytes, offset + head[0].length, bytes.length, state.limits.maxDepth, state.context, state.work);
  return { ...parsed, objectNumber, generation: Number(head[2]), offset };
}

/**
 * Parses the one value starting at or after `pos`, not reading past `end`; `work`, when given,
 * is charged one object and the tokens lexed.
 */
export function parseValueAt(
  bytes: Uint8Array,
  pos: number,
  end: number,
  maxDepth: number,
  context: PDFContext,
  work?: WorkBudget,
): ParsedValue {
  work?.spend("objects", 1);
  const valueStart = skipSpace(bytes, pos, end);
  let valueEnd: number;
  let entries: DictEntrySpan[] | undefined;
  try {
    if (bytes[valueStart] === 0x3c && bytes[valueStart + 1] === 0x3c) {
      const dict = readDictSpans(bytes, valueStart, end, maxDepth, work);
      valueEnd = dict.end;
      entries = dict.entries;
    } else {
      valueEnd = scanValue(bytes, valueStart, end, maxDepth, work);
    }
  } catch (cause) {
    if (cause instanceof LexError && cause.kind === "depth") {
      throw new PdfReadError("PDF_TOO_COMPLEX", "An object nests deeper than the verifier accepts.", { cause });
    }
    if (cause instanceof LexError) throw malformed(`an object cannot be read (${cause.message})`, cause);
    throw cause;
  }
  let value: PDFObject;
  try {
    value = new ObjectParser(bytes.subarray(valueStart, valueEnd), context).parseObject();
  } catch (cause) {
    throw malformed("an object cannot be parsed", cause);
  }
  const after = skipSpace(bytes, valueEnd, Math.min(end, valueEnd + 64));
  const isStream = entries !== undefined && latin1(bytes, after, Math.min(end, after + 6)) === "stream";
  return { value, valueStart, valueEnd, entries, isStream };
}

/**
 * pdf-lib's parser, reading a hex string's digits in one step: its own appends them to a string
 * one at a time, which for a signature's 16 KB /Contents cost more than the rest of the file's
 * objects. The value is the same: the digits as written, between < and >.
 */
class ObjectParser extends PDFObjectParser {
  constructor(
    private readonly raw: Uint8Array,
    context: PDFContext,
  ) {
    super(ByteStream.of(raw), context);
  }

  /**
   * pdf-lib's grammar for a number (sign, digits, one period, digits), read by offset rather than
   * one appended character at a time, and without pdf-lib's console.warn for a number beyond 2^53:
   * a file of a million such numbers would otherwise flood the log.
   */
  protected override parseRawNumber(): number {
    const start = this.bytes.offset();
    let p = start;
    let int = 0;
    let plainInteger = true;
    for (; p < this.raw.length && isNumeric(this.raw[p]); p++) {
      const b = this.raw[p];
      if (b === 0x2e) {
        p++;
        plainInteger = false;
        break;
      }
      if (b < 0x30) plainInteger = false;
      else int = int * 10 + (b - 0x30);
    }
    while (p < this.raw.length && this.raw[p] >= 0x30 && this.raw[p] <= 0x39) p++;
    // Most numbers are short unsigned integers: no string is built for them.
    const value = plainInteger && p - start <= 15 ? int : Number(latin1(this.raw, start, p));
    if (p === start || !Number.isFinite(value)) throw new PdfReadError("PDF_MALFORMED", "The PDF's structure is broken: a number cannot be read.");
    this.bytes.moveTo(p);
    return value;
  }

  protected override parseHexString(): PDFHexString {
    const open = this.bytes.offset();
    const close = this.raw.indexOf(0x3e, open + 1);
    // Unterminated: pdf-lib's own parse fails on it as before.
    if (this.raw[open] !== 0x3c || close === -1) return super.parseHexString();
    this.bytes.moveTo(close + 1);
    return PDFHexString.of(latin1(this.raw, open + 1, close));
  }
}

/** Digits, period, plus and minus: the bytes pdf-lib's number reader takes before the period. */
function isNumeric(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || b === 0x2e || b === 0x2b || b === 0x2d;
}

function malformed(detail: string, cause?: unknown): PdfReadError {
  return new PdfReadError("PDF_MALFORMED", `The PDF's structure is broken: ${detail}.`, { cause });
}
