// A bounded, non-recursive PDF tokenizer over raw bytes. It does what pdf-lib's parser cannot:
// report where each top-level dictionary entry sits in the file (the signature's /Contents must
// be located in the raw bytes, not trusted from /ByteRange), and measure nesting depth before
// pdf-lib's recursive parser ever sees an object, so hostile nesting cannot overflow the stack.

/** Token kinds the verifier distinguishes. */
export type TokenKind = "name" | "number" | "keyword" | "string" | "hex" | "dict" | "array" | "dictEnd" | "arrayEnd";

/** A lexing failure: `depth` when nesting exceeded the limit, `syntax` otherwise. */
export class LexError extends Error {
  constructor(
    readonly kind: "depth" | "syntax",
    message: string,
  ) {
    super(message);
    this.name = "LexError";
  }
}

/** One top-level entry of a dictionary, with the raw span of its value. */
export interface DictEntrySpan {
  /** The key without the slash, as written (no #xx decoding). */
  key: string;
  /** Kind of the value's first token ("number" for an indirect reference "n g R" too). */
  kind: TokenKind;
  valueStart: number;
  /** Exclusive. */
  valueEnd: number;
}

interface Token {
  kind: TokenKind;
  start: number;
  end: number;
}

const WHITE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIM = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);

/** Position of the first byte at or after `pos` that is neither white space nor in a comment. */
export function skipSpace(bytes: Uint8Array, pos: number, end: number): number {
  let p = pos;
  while (p < end) {
    const b = bytes[p];
    if (WHITE.has(b)) p++;
    else if (b === 0x25) {
      while (p < end && bytes[p] !== 0x0a && bytes[p] !== 0x0d) p++;
    } else break;
  }
  return p;
}

/**
 * Reads the dictionary that starts at `pos` (white space allowed before "<<") and returns its
 * top-level entries with the raw spans of their values, and the offset just after its ">>".
 * Throws LexError when it is not a well-formed dictionary or nests deeper than `maxDepth`.
 */
export function readDictSpans(
  bytes: Uint8Array,
  pos: number,
  end: number,
  maxDepth: number,
  work?: TokenBudget,
): { entries: DictEntrySpan[]; end: number } {
  const count = tokenCounter(work);
  const open = nextToken(bytes, pos, end);
  if (!open || open.kind !== "dict") throw new LexError("syntax", "expected a dictionary");
  // The dictionary's own delimiters count, so a file of empty dictionaries is not free.
  count.add(2);
  const entries: DictEntrySpan[] = [];
  let p = open.end;
  for (;;) {
    const key = nextToken(bytes, p, end);
    if (!key) throw new LexError("syntax", "unterminated dictionary");
    if (key.kind === "dictEnd") {
      count.flush();
      return { entries, end: key.end };
    }
    if (key.kind !== "name") throw new LexError("syntax", "dictionary key is not a name");
    const valueStart = skipSpace(bytes, key.end, end);
    // Lexed once: a signature's /Contents is 16 KB of hex digits.
    const first = nextToken(bytes, valueStart, end);
    if (!first) throw new LexError("syntax", "missing value");
    count.add(2);
    const valueEnd = scanFrom(bytes, first, end, maxDepth - 1, count);
    entries.push({ key: latin1(bytes, key.start + 1, key.end), kind: first.kind, valueStart, valueEnd });
    p = valueEnd;
  }
}

/**
 * Returns the offset just after the one PDF value starting at or after `pos` (an indirect
 * reference "n g R" counts as one value). Iterative; throws LexError beyond `maxDepth` levels.
 */
export function scanValue(bytes: Uint8Array, pos: number, end: number, maxDepth: number, work?: TokenBudget): number {
  const count = tokenCounter(work);
  const first = nextToken(bytes, pos, end);
  if (!first) throw new LexError("syntax", "missing value");
  const valueEnd = scanFrom(bytes, first, end, maxDepth, count);
  count.flush();
  return valueEnd;
}

/** Where the lexer reports the tokens it reads (a file's WorkBudget). */
export interface TokenBudget {
  spend(kind: "tokens", amount: number): void;
}

/**
 * The longest name, number or keyword accepted. ISO 32000 gives 127 bytes as a name's practical limit
 * (Annex C) and numbers are far shorter; this leaves room and stops a 20 MB "number".
 */
const MAX_REGULAR_TOKEN = 4096;

/** Tokens are reported in blocks, so one huge array is stopped early without a call per token. */
const TOKEN_BLOCK = 4096;

interface TokenCounter {
  add(n: number): void;
  flush(): void;
}

function tokenCounter(work: TokenBudget | undefined): TokenCounter {
  let pending = 0;
  return {
    add(n) {
      pending += n;
      if (pending >= TOKEN_BLOCK && work) {
        work.spend("tokens", pending);
        pending = 0;
      }
    },
    flush() {
      if (pending > 0 && work) work.spend("tokens", pending);
      pending = 0;
    },
  };
}

/** {@link scanValue} once the value's first token is read. */
function scanFrom(bytes: Uint8Array, first: Token, end: number, maxDepth: number, count: TokenCounter): number {
  if (first.kind === "dictEnd" || first.kind === "arrayEnd") throw new LexError("syntax", "unexpected closing delimiter");
  if (first.kind === "number") return afterReference(bytes, first, end);
  if (first.kind !== "dict" && first.kind !== "array") return first.end;
  const stack: TokenKind[] = [first.kind];
  if (stack.length > maxDepth) throw new LexError("depth", "nesting too deep");
  let p = first.end;
  while (stack.length > 0) {
    const t = nextToken(bytes, p, end);
    if (!t) throw new LexError("syntax", "unterminated dictionary or array");
    count.add(1);
    p = t.end;
    if (t.kind === "dict" || t.kind === "array") {
      stack.push(t.kind);
      if (stack.length > maxDepth) throw new LexError("depth", "nesting too deep");
    } else if (t.kind === "dictEnd" || t.kind === "arrayEnd") {
      const top = stack.pop();
      if ((t.kind === "dictEnd") !== (top === "dict")) throw new LexError("syntax", "mismatched delimiters");
    }
  }
  return p;
}

/** After a number token: consumes " g R" when it follows, so a reference is one value. */
function afterReference(bytes: Uint8Array, num: Token, end: number): number {
  const gen = nextToken(bytes, num.end, end);
  if (gen?.kind !== "number") return num.end;
  const r = nextToken(bytes, gen.end, end);
  return r?.kind === "keyword" && r.end - r.start === 1 && bytes[r.start] === 0x52 ? r.end : num.end;
}

/** The next token at or after `pos`, or undefined at `end`. */
function nextToken(bytes: Uint8Array, pos: number, end: number): Token | undefined {
  const start = skipSpace(bytes, pos, end);
  if (start >= end) return undefined;
  const b = bytes[start];
  if (b === 0x3c) {
    if (bytes[start + 1] === 0x3c) return { kind: "dict", start, end: start + 2 };
    const close = bytes.indexOf(0x3e, start + 1);
    if (close === -1 || close >= end) throw new LexError("syntax", "unterminated hex string");
    return { kind: "hex", start, end: close + 1 };
  }
  if (b === 0x3e) {
    if (bytes[start + 1] === 0x3e) return { kind: "dictEnd", start, end: start + 2 };
    throw new LexError("syntax", "stray >");
  }
  if (b === 0x5b) return { kind: "array", start, end: start + 1 };
  if (b === 0x5d) return { kind: "arrayEnd", start, end: start + 1 };
  if (b === 0x28) return { kind: "string", start, end: literalStringEnd(bytes, start, end) };
  if (b === 0x2f) {
    const nameEnd = regularEnd(bytes, start + 1, end);
    if (nameEnd - start > MAX_REGULAR_TOKEN) throw new LexError("syntax", "a name is too long");
    return { kind: "name", start, end: nameEnd };
  }
  if (b === 0x29 || b === 0x7b || b === 0x7d) throw new LexError("syntax", "unexpected delimiter");
  const tokenEnd = regularEnd(bytes, start, end);
  // A number or keyword is a few bytes; one of megabytes is refused here rather than handed on.
  if (tokenEnd - start > MAX_REGULAR_TOKEN) throw new LexError("syntax", "a number or keyword is too long");
  return { kind: isNumberToken(bytes, start, tokenEnd) ? "number" : "keyword", start, end: tokenEnd };
}

/**
 * True when bytes[start, end) is a PDF number: an optional sign, digits with at most one period,
 * at least one digit. One pass, no regular expression: a backtracking pattern over a 40 000-digit
 * token ending in a letter cost seconds.
 */
function isNumberToken(bytes: Uint8Array, start: number, end: number): boolean {
  let p = start;
  if (bytes[p] === 0x2b || bytes[p] === 0x2d) p++;
  let digits = 0;
  let periods = 0;
  for (; p < end; p++) {
    const b = bytes[p];
    if (b >= 0x30 && b <= 0x39) digits++;
    else if (b === 0x2e && periods === 0) periods++;
    else return false;
  }
  return digits > 0;
}

function regularEnd(bytes: Uint8Array, pos: number, end: number): number {
  let p = pos;
  while (p < end && !WHITE.has(bytes[p]) && !DELIM.has(bytes[p])) p++;
  return p;
}

/** End of a literal string: balanced parentheses, backslash escapes. */
function literalStringEnd(bytes: Uint8Array, start: number, end: number): number {
  let depth = 0;
  for (let p = start; p < end; p++) {
    const b = bytes[p];
    if (b === 0x5c) p++;
    else if (b === 0x28) depth++;
    else if (b === 0x29 && --depth === 0) return p + 1;
  }
  throw new LexError("syntax", "unterminated string");
}

/** Bytes as a Latin-1 string (PDF syntax is bytes; this keeps offsets one-to-one). */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  // Keys and keywords are short: building them by char code beats a Buffer view per call.
  if (end - start <= 16 && end > start) return String.fromCharCode(...bytes.subarray(start, end));
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, Math.max(0, end - start)).toString("latin1");
}
