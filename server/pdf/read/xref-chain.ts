// Walks a PDF's cross-reference sections from the final startxref back through /Prev (classic
// tables, xref streams, and hybrid /XRefStm files) and assigns each section to a revision: the
// prefix of the file that ends with the "startxref <offset> %%EOF" naming it. Revisions come from
// this chain, never from searching for %%EOF alone, which may also occur inside a stream.
import { PDFDict, PDFName, PDFNumber, PDFArray } from "./pdf-objects";
import { latin1, skipSpace } from "./pdf-lexer";
import { PdfReadError } from "./pdf-read-error";
import { parseObjectAt, parseValueAt } from "./parse-object";
import type { ReadState } from "./read-state";
import { decodeStreamData, rawStreamData } from "./stream-data";

/** Where an object lives, per one cross-reference section. */
export type XrefEntry =
  | { type: 1; offset: number; generation: number }
  | { type: 2; streamNumber: number; indexInStream: number };

/** One cross-reference section with its trailer. */
export interface XrefSection {
  kind: "table" | "stream";
  startXref: number;
  trailer: PDFDict;
  /** In-use entries. */
  entries: Map<number, XrefEntry>;
  /** Object numbers this section marks free (deleted in this revision). */
  freed: Set<number>;
  /** Index of the revision the section belongs to (0 = oldest). */
  revisionIndex: number;
}

/** A revision as the xref chain defines it. */
export interface RevisionBounds {
  index: number;
  endOffset: number;
  /** Just after the revision's %%EOF: endOffset less the one end of line that may follow it. */
  eofEnd: number;
  startXref: number;
}

/** A section read, newest first, with the end of the revision its own startxref closes (if any). */
interface SectionEnd {
  section: XrefSection;
  endOffset?: number;
  eofEnd?: number;
}

/** Every section, oldest revision first, and the revisions. */
export interface XrefChain {
  sections: XrefSection[];
  revisions: RevisionBounds[];
}

const TAIL_BYTES = 1024;

/**
 * Reads the chain; throws PdfReadError (PDF_TRUNCATED, PDF_MALFORMED, PDF_ENCRYPTED,
 * PDF_TOO_COMPLEX, PDF_WORK_LIMIT). Every row read, table or stream, is charged to the budget.
 */
export function readXrefChain(state: ReadState): XrefChain {
  const { bytes, limits } = state;
  const tail = latin1(bytes, Math.max(0, bytes.length - TAIL_BYTES), bytes.length);
  const eofAt = tail.lastIndexOf("%%EOF");
  if (eofAt < 0) throw new PdfReadError("PDF_TRUNCATED", "The PDF ends without %%EOF; the file is probably cut off.");
  const last = /startxref\s+(\d+)\s+$/.exec(tail.slice(0, eofAt));
  if (!last) throw malformed("no startxref before the final %%EOF");

  const newestFirst: SectionEnd[] = [];
  const marks = startXrefMarks(bytes);
  const visited = new Set<number>();
  let objectsLeft = limits.maxObjects;
  let next: number | undefined = Number(last[1]);
  while (next !== undefined) {
    if (visited.has(next)) throw malformed("the /Prev chain of cross-reference sections loops");
    if (visited.size >= limits.maxRevisions) {
      throw new PdfReadError("PDF_TOO_COMPLEX", "The PDF has more revisions than the verifier accepts.");
    }
    visited.add(next);
    const section = readSection(state, next);
    objectsLeft -= section.entries.size + section.freed.size;
    if (objectsLeft < 0) throw new PdfReadError("PDF_TOO_COMPLEX", "The PDF has more objects than the verifier accepts.");
    if (section.trailer.has(PDFName.of("Encrypt"))) {
      throw new PdfReadError("PDF_ENCRYPTED", "The PDF is encrypted; ZeroSign verifies unencrypted PDFs only.");
    }
    const mark = revisionEnd(marks, next);
    newestFirst.push({ section, endOffset: mark?.end, eofEnd: mark?.eofEnd });
    next = intIn(section.trailer, "Prev");
  }
  return assignRevisions(newestFirst, bytes.length);
}

/**
 * Revisions are the distinct ends found; a section with no "startxref <its offset>" of its own
 * (the main table of a linearized file) belongs to the newer section that chains to it.
 */
function assignRevisions(newestFirst: SectionEnd[], fileLength: number): XrefChain {
  let current = newestFirst[0].endOffset ?? fileLength;
  const ends: number[] = [];
  const eofEnds = new Map<number, number>([[current, newestFirst[0].eofEnd ?? current]]);
  for (const item of newestFirst) {
    if (item.endOffset !== undefined && item.endOffset <= current) {
      current = item.endOffset;
      eofEnds.set(current, item.eofEnd ?? current);
    }
    ends.push(current);
  }
  const distinct = [...new Set(ends)].sort((a, b) => a - b);
  const sections = newestFirst.map((item, i) => ({ ...item.section, revisionIndex: distinct.indexOf(ends[i]) })).reverse();
  const revisions = distinct.map((endOffset, index) => ({
    index,
    endOffset,
    eofEnd: eofEnds.get(endOffset) ?? endOffset,
    // The newest section of the revision is the one its startxref names.
    startXref: newestFirst[ends.indexOf(endOffset)].section.startXref,
  }));
  return { sections, revisions };
}

/** A "startxref <n> %%EOF" in the file: where it starts, after its %%EOF, and after one end of line. */
interface StartXrefMark {
  at: number;
  eofEnd: number;
  end: number;
}

/**
 * Every "startxref <n> %%EOF" of the file by n, in file order, found in one pass. Read by hand, not
 * by a pattern per occurrence: a file may hold millions of decoy "startxref" strings, and each
 * section of up to 64 must find its own.
 */
function startXrefMarks(bytes: Uint8Array): Map<number, StartXrefMark[]> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const marks = new Map<number, StartXrefMark[]>();
  for (let at = buf.indexOf("startxref", 0, "latin1"); at >= 0; at = buf.indexOf("startxref", at + 9, "latin1")) {
    let p = skipWhite(bytes, at + 9);
    const digitsAt = p;
    let value = 0;
    while (p < bytes.length && p - digitsAt < 16 && bytes[p] >= 0x30 && bytes[p] <= 0x39) value = value * 10 + bytes[p++] - 0x30;
    if (p === digitsAt) continue;
    p = skipWhite(bytes, p);
    if (bytes[p] !== 0x25 || bytes[p + 1] !== 0x25 || bytes[p + 2] !== 0x45 || bytes[p + 3] !== 0x4f || bytes[p + 4] !== 0x46) continue;
    const eofEnd = p + 5;
    let end = eofEnd;
    if (bytes[end] === 0x0d) end++;
    if (bytes[end] === 0x0a) end++;
    const list = marks.get(value) ?? [];
    list.push({ at, eofEnd, end });
    marks.set(value, list);
  }
  return marks;
}

/** The end of the revision whose startxref names `offset`: its first mark at or after the section. */
function revisionEnd(marks: Map<number, StartXrefMark[]>, offset: number): StartXrefMark | undefined {
  return marks.get(offset)?.find((m) => m.at >= offset);
}

function skipWhite(bytes: Uint8Array, pos: number): number {
  let p = pos;
  while (p < bytes.length && (bytes[p] === 0x20 || bytes[p] === 0x0a || bytes[p] === 0x0d || bytes[p] === 0x09 || bytes[p] === 0x0c || bytes[p] === 0x00)) p++;
  return p;
}

function readSection(state: ReadState, offset: number): XrefSection {
  const { bytes } = state;
  if (offset >= bytes.length) throw new PdfReadError("PDF_TRUNCATED", "A cross-reference offset points past the end of the file.");
  const at = skipSpace(bytes, offset, bytes.length);
  if (latin1(bytes, at, at + 4) === "xref") {
    const table = readTable(state, offset, at + 4);
    const stm = intIn(table.trailer, "XRefStm");
    if (stm !== undefined) {
      // Hybrid file: the stream lists the objects in object streams, which the table marks free.
      const hidden = readStreamSection(state, stm);
      for (const [num, entry] of hidden.entries) {
        if (!table.entries.has(num)) {
          table.entries.set(num, entry);
          table.freed.delete(num);
        }
      }
    }
    return table;
  }
  return readStreamSection(state, offset);
}

function readTable(state: ReadState, offset: number, from: number): XrefSection {
  const { bytes, limits, work } = state;
  const entries = new Map<number, XrefEntry>();
  const freed = new Set<number>();
  let p = from;
  for (;;) {
    p = skipSpace(bytes, p, bytes.length);
    if (latin1(bytes, p, p + 7) === "trailer") break;
    const first = readInt(bytes, p);
    const count = readInt(bytes, first.end);
    if (count.value > limits.maxObjects) throw new PdfReadError("PDF_TOO_COMPLEX", "The PDF has more objects than the verifier accepts.");
    // Each row is at least "0 0 n": a count the rest of the file cannot hold is refused before the loop.
    if (count.value * 6 > bytes.length - count.end) throw new PdfReadError("PDF_TRUNCATED", "The cross-reference table is cut off.");
    work.spend("xrefRows", count.value);
    p = count.end;
    for (let i = 0; i < count.value; i++) {
      const num = first.value + i;
      // Most writers keep the standard 20-byte row (§7.5.4): read it in place; others are lexed.
      const row = standardRow(bytes, skipSpace(bytes, p, bytes.length));
      if (row) {
        if (row.inUse) addEntry(entries, freed, num, { type: 1, offset: row.offset, generation: row.generation });
        else if (num !== 0) addFree(entries, freed, num);
        p = row.end;
        continue;
      }
      const off = readInt(bytes, p);
      const gen = readInt(bytes, off.end);
      const at = skipSpace(bytes, gen.end, bytes.length);
      const flag = bytes[at];
      if (flag === 0x6e) addEntry(entries, freed, num, { type: 1, offset: off.value, generation: gen.value });
      else if (flag === 0x66) {
        if (num !== 0) addFree(entries, freed, num);
      } else throw malformed("an xref table entry is not \"offset generation n|f\"");
      p = at + 1;
    }
  }
  const trailer = parseValueAt(bytes, p + 7, bytes.length, limits.maxDepth, state.context, work).value;
  if (!(trailer instanceof PDFDict)) throw malformed("the trailer is not a dictionary");
  return { kind: "table", startXref: offset, trailer, entries, freed, revisionIndex: -1 };
}

function readStreamSection(state: ReadState, offset: number): XrefSection {
  const { bytes, limits, work } = state;
  const obj = parseObjectAt(state, offset);
  const dict = obj.value;
  if (!(dict instanceof PDFDict) || !obj.isStream || dict.get(PDFName.of("Type")) !== PDFName.of("XRef")) {
    throw malformed("startxref does not point at a cross-reference section");
  }
  const length = intIn(dict, "Length");
  if (length === undefined) throw malformed("the xref stream has no direct /Length");
  const data = decodeStreamData(dict, rawStreamData(bytes, obj.valueEnd, length), limits.maxObjects * 32, work);
  const w = intsIn(dict, "W");
  const size = intIn(dict, "Size");
  if (!w || w.length !== 3 || w.some((n) => n < 0 || n > 8) || size === undefined) {
    throw malformed("the xref stream has no valid /W or /Size");
  }
  const index = intsIn(dict, "Index") ?? [0, size];
  const rowLength = w[0] + w[1] + w[2];
  if (rowLength === 0) throw malformed("the xref stream's /W gives its rows no width");
  // Every count is bounded by what the data can hold before any loop runs over it.
  let rows = 0;
  for (let s = 1; s < index.length; s += 2) rows += index[s];
  if (rows * rowLength > data.length) throw malformed("the xref stream is shorter than its /Index");
  work.spend("xrefRows", rows);
  const entries = new Map<number, XrefEntry>();
  const freed = new Set<number>();
  let row = 0;
  for (let s = 0; s + 1 < index.length; s += 2) {
    if (index[s + 1] > limits.maxObjects) throw new PdfReadError("PDF_TOO_COMPLEX", "The PDF has more objects than the verifier accepts.");
    for (let i = 0; i < index[s + 1]; i++, row++) {
      const at = row * rowLength;
      if (at + rowLength > data.length) throw malformed("the xref stream is shorter than its /Index");
      const type = w[0] === 0 ? 1 : readUint(data, at, w[0]);
      const f2 = readUint(data, at + w[0], w[1]);
      const f3 = readUint(data, at + w[0] + w[1], w[2]);
      const num = index[s] + i;
      if (type === 1) addEntry(entries, freed, num, { type: 1, offset: f2, generation: f3 });
      else if (type === 2) addEntry(entries, freed, num, { type: 2, streamNumber: f2, indexInStream: f3 });
      else if (type === 0 && num !== 0) addFree(entries, freed, num);
    }
  }
  return { kind: "stream", startXref: offset, trailer: dict, entries, freed, revisionIndex: -1 };
}

/**
 * Records an in-use entry of one section. An object listed twice in a section with different
 * entries is refused: readers disagree on which one counts (pdf.js keeps the first, others the
 * last), so a later update could show one body to a viewer and another to this verifier.
 */
function addEntry(entries: Map<number, XrefEntry>, freed: Set<number>, num: number, entry: XrefEntry): void {
  const earlier = entries.get(num);
  if (freed.has(num) || (earlier && !sameXrefEntry(earlier, entry))) throw conflicting(num);
  entries.set(num, entry);
}

/** Records a free entry of one section; an object both free and in use there is refused (see addEntry). */
function addFree(entries: Map<number, XrefEntry>, freed: Set<number>, num: number): void {
  if (entries.has(num)) throw conflicting(num);
  freed.add(num);
}

/** True when two entries point at the same place. */
export function sameXrefEntry(a: XrefEntry, b: XrefEntry): boolean {
  if (a.type === 1) return b.type === 1 && a.offset === b.offset && a.generation === b.generation;
  return b.type === 2 && a.streamNumber === b.streamNumber && a.indexInStream === b.indexInStream;
}

function conflicting(num: number): PdfReadError {
  return malformed(`object ${num} has two different entries in one cross-reference section`);
}

/** A row "oooooooooo ggggg n" (10 and 5 digits, one space each) at `at`, or undefined if it is not one. */
function standardRow(bytes: Uint8Array, at: number): { offset: number; generation: number; inUse: boolean; end: number } | undefined {
  if (at + 18 > bytes.length || bytes[at + 10] !== 0x20 || bytes[at + 16] !== 0x20) return undefined;
  let offset = 0;
  for (let i = at; i < at + 10; i++) {
    const d = bytes[i] - 0x30;
    if (d < 0 || d > 9) return undefined;
    offset = offset * 10 + d;
  }
  let generation = 0;
  for (let i = at + 11; i < at + 16; i++) {
    const d = bytes[i] - 0x30;
    if (d < 0 || d > 9) return undefined;
    generation = generation * 10 + d;
  }
  const flag = bytes[at + 17];
  if (flag !== 0x6e && flag !== 0x66) return undefined;
  return { offset, generation, inUse: flag === 0x6e, end: at + 18 };
}

/** A non-negative decimal integer at or after `pos` (white space first). */
function readInt(bytes: Uint8Array, pos: number): { value: number; end: number } {
  const start = skipSpace(bytes, pos, bytes.length);
  let p = start;
  let value = 0;
  while (p < bytes.length && p - start < 16 && bytes[p] >= 0x30 && bytes[p] <= 0x39) value = value * 10 + bytes[p++] - 0x30;
  if (p === start) {
    if (start >= bytes.length) throw new PdfReadError("PDF_TRUNCATED", "The cross-reference table is cut off.");
    throw malformed("unreadable cross-reference table");
  }
  return { value, end: p };
}

function readUint(data: Uint8Array, at: number, width: number): number {
  let v = 0;
  for (let i = 0; i < width; i++) v = v * 256 + data[at + i];
  return v;
}

function intIn(dict: PDFDict, key: string): number | undefined {
  const v = dict.get(PDFName.of(key));
  return v instanceof PDFNumber && Number.isSafeInteger(v.asNumber()) && v.asNumber() >= 0 ? v.asNumber() : undefined;
}

function intsIn(dict: PDFDict, key: string): number[] | undefined {
  const v = dict.get(PDFName.of(key));
  if (!(v instanceof PDFArray)) return undefined;
  const out = v.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : NaN));
  return out.every((n) => Number.isSafeInteger(n) && n >= 0) ? out : undefined;
}

function malformed(detail: string): PdfReadError {
  return new PdfReadError("PDF_MALFORMED", `The PDF's cross-reference data is broken: ${detail}.`);
}
