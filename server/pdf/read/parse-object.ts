// Parses one object from raw bytes: the "n g obj" header at an xref offset, then the value. The
// lexer measures the value's extent and nesting first; only then does pdf-lib's (recursive)
// PDFObjectParser turn it into PDF objects. Stream data is never handed to pdf-lib.
import { ByteStream, PDFCatalog, PDFContext, PDFDict, PDFHexString, PDFName, PDFObjectParser, PDFPageLeaf, PDFPageTree, type PDFObject } from "./pdf-objects";
import { LexError, latin1, readDictSpans, scanValue, skipSpace, type DictEntrySpan } from "./pdf-lexer";
import { PdfReadError } from "./pdf-read-error";
import type { ReadState } from "./read-state";
import type { WorkBudget } from "./work-budget";

/** A value parsed from raw bytes, with the spans the lexer found. */
export interface ParsedValue {
  /**
   * The value as pdf-lib objects, parsed on first use: the lexer has already measured and
   * bounded it, and most objects of a file are only ever asked for their keys (`entries`).
   * Throws PdfReadError PDF_MALFORMED when pdf-lib cannot parse it.
   */
  readonly value: PDFObject;
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
  const head = objectHeader(bytes, offset);
  if (!head || (expectedNumber !== undefined && head.objectNumber !== expectedNumber)) {
    throw malformed(`the cross-reference entry for object ${expectedNumber ?? "?"} points elsewhere`);
  }
  const parsed = parseValueAt(bytes, head.end, bytes.length, state.limits.maxDepth, state.context, state.work) as ParsedObject;
  parsed.objectNumber = head.objectNumber;
  parsed.generation = head.generation;
  parsed.offset = offset;
  return parsed;
}

const WHITE_SPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);

/**
 * "n g obj" at `offset` (white space before and between), read by hand: it is read once per
 * object, and a file may hold hundreds of thousands of them. Numbers of at most 10 digits.
 */
function objectHeader(bytes: Uint8Array, offset: number): { objectNumber: number; generation: number; end: number } | undefined {
  const limit = Math.min(bytes.length, offset + 48);
  let p = offset;
  const white = (): void => {
    while (p < limit && WHITE_SPACE.has(bytes[p])) p++;
  };
  const int = (): number | undefined => {
    const start = p;
    let value = 0;
    while (p < limit && p - start < 10 && bytes[p] >= 0x30 && bytes[p] <= 0x39) value = value * 10 + bytes[p++] - 0x30;
    return p > start ? value : undefined;
  };
  white();
  const objectNumber = int();
  const before = p;
  white();
  if (objectNumber === undefined || p === before) return undefined;
  const generation = int();
  const between = p;
  white();
  if (generation === undefined || p === between) return undefined;
  if (bytes[p] !== 0x6f || bytes[p + 1] !== 0x62 || bytes[p + 2] !== 0x6a || p + 3 > limit) return undefined;
  return { objectNumber, generation, end: p + 3 };
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
  const after = skipSpace(bytes, valueEnd, Math.min(end, valueEnd + 64));
  const isStream = entries !== undefined && after + 6 <= end && STREAM.every((b, i) => bytes[after + i] === b);
  return new LazyValue(bytes, context, work, valueStart, valueEnd, entries, isStream);
}

/** A ParsedValue whose pdf-lib value is parsed on first use (a class: one shape for every object). */
class LazyValue implements ParsedValue {
  private parsed: PDFObject | undefined;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly context: PDFContext,
    private readonly work: WorkBudget | undefined,
    readonly valueStart: number,
    readonly valueEnd: number,
    readonly entries: DictEntrySpan[] | undefined,
    readonly isStream: boolean,
  ) {}

  get value(): PDFObject {
    if (this.parsed === undefined) {
      try {
        this.parsed = new ObjectParser(this.bytes.subarray(this.valueStart, this.valueEnd), this.context, this.work).parseObject();
      } catch (cause) {
        if (cause instanceof PdfReadError) throw cause;
        throw malformed("an object cannot be parsed", cause);
      }
    }
    return this.parsed;
  }
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
    private readonly work: WorkBudget | undefined,
  ) {
    super(ByteStream.of(raw), context);
  }

  /** Each distinct name is charged once per file: pdf-lib pools every name for the process's life. */
  protected override parseName(): PDFName {
    const name = super.parseName();
    this.work?.spendOnce("names", name);
    return name;
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

  /**
   * pdf-lib's dictionary parse with the /Type names looked up once per process: its own calls
   * PDFName.of, which decodes the name, four times per dictionary.
   */
  protected override parseDict(): PDFDict {
    this.bytes.assertNext(0x3c);
    this.bytes.assertNext(0x3c);
    this.skipWhitespaceAndComments();
    const map = new Map<PDFName, PDFObject>();
    while (!this.bytes.done() && this.bytes.peek() !== 0x3e && this.bytes.peekAhead(1) !== 0x3e) {
      const key = this.parseName();
      map.set(key, this.parseObject());
      this.skipWhitespaceAndComments();
    }
    this.skipWhitespaceAndComments();
    this.bytes.assertNext(0x3e);
    this.bytes.assertNext(0x3e);
    const type = map.get(TYPE);
    if (type === CATALOG) return PDFCatalog.fromMapWithContext(map, this.context);
    if (type === PAGES) return PDFPageTree.fromMapWithContext(map, this.context);
    if (type === PAGE) return PDFPageLeaf.fromMapWithContext(map, this.context);
    return PDFDict.fromMapWithContext(map, this.context);
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

/** The keyword "stream". */
const STREAM = [0x73, 0x74, 0x72, 0x65, 0x61, 0x6d];

const TYPE = PDFName.of("Type");
const CATALOG = PDFName.of("Catalog");
const PAGES = PDFName.of("Pages");
const PAGE = PDFName.of("Page");

/** Digits, period, plus and minus: the bytes pdf-lib's number reader takes before the period. */
function isNumeric(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || b === 0x2e || b === 0x2b || b === 0x2d;
}

function malformed(detail: string, cause?: unknown): PdfReadError {
  return new PdfReadError("PDF_MALFORMED", `The PDF's structure is broken: ${detail}.`, { cause });
}
