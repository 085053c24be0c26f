// Object access for the PDF reader: an object as a given revision sees it (its section, then
// older ones; a newer free entry deletes), parsed once per location — a member of an object stream
// once per (stream, member), however many entries name it — with object streams decoded once and
// charged to the file's budget. Every path is bounded by the read limits and the budget.
import { PDFDict, PDFName, PDFNumber, PDFRef, type PDFObject } from "./pdf-objects";
import { latin1 } from "./pdf-lexer";
import { PdfReadError } from "./pdf-read-error";
import { parseObjectAt, parseValueAt, type ParsedObject, type ParsedValue } from "./parse-object";
import type { ReadState } from "./read-state";
import { decodeStreamData, rawStreamData } from "./stream-data";
import type { XrefChain, XrefEntry } from "./xref-chain";

/** A located object: where its entry points, and the parsed value with raw spans. */
export interface LocatedObject {
  objectNumber: number;
  entry: XrefEntry;
  parsed: ParsedValue;
}

/** Revision-aware object access over one file. */
export interface ObjectLookup {
  /** The entry for `objectNumber` in force at revision `revision`, if in use. */
  entryAt(revision: number, objectNumber: number): XrefEntry | undefined;
  /** Parses the object an entry points at (cached per location). */
  load(objectNumber: number, entry: XrefEntry, revision: number): LocatedObject;
  /** Resolves `value` when it is a reference, as revision `revision` sees it; undefined if free. */
  resolve(value: PDFObject | undefined, revision: number): PDFObject | undefined;
}

/** Builds the lookup; parsing throws PdfReadError as {@link parseObjectAt} does. */
export function createObjectLookup(state: ReadState, chain: XrefChain): ObjectLookup {
  const { bytes, limits, work, context } = state;
  const byOffset = new Map<number, ParsedObject>();
  const members = new Map<string, ParsedValue>();
  const objectStreams = new Map<number, { offset: number; data: Uint8Array; offsets: Map<number, number>; first: number }>();

  const entryAt = (revision: number, objectNumber: number): XrefEntry | undefined => {
    for (let i = chain.sections.length - 1; i >= 0; i--) {
      const section = chain.sections[i];
      if (section.revisionIndex > revision) continue;
      const entry = section.entries.get(objectNumber);
      if (entry) return entry;
      if (section.freed.has(objectNumber)) return undefined;
    }
    return undefined;
  };

  const objectStream = (streamNumber: number, revision: number) => {
    const entry = entryAt(revision, streamNumber);
    if (entry?.type !== 1) throw malformed(`object stream ${streamNumber} is missing`);
    const known = objectStreams.get(entry.offset);
    if (known) return known;
    const obj = parseObjectAt(state, entry.offset, streamNumber);
    const dict = obj.value;
    if (!(dict instanceof PDFDict) || !obj.isStream || dict.get(PDFName.of("Type")) !== PDFName.of("ObjStm")) {
      throw malformed(`object ${streamNumber} is not an object stream`);
    }
    const length = resolve(dict.get(PDFName.of("Length")), revision);
    const n = dict.get(PDFName.of("N"));
    const first = dict.get(PDFName.of("First"));
    if (!(length instanceof PDFNumber) || !(n instanceof PDFNumber) || !(first instanceof PDFNumber)) {
      throw malformed(`object stream ${streamNumber} lacks /Length, /N or /First`);
    }
    if (n.asNumber() > limits.maxObjects) throw new PdfReadError("PDF_TOO_COMPLEX", "The PDF has more objects than the verifier accepts.");
    const data = decodeStreamData(dict, rawStreamData(bytes, obj.valueEnd, length.asNumber()), limits.maxBytes, work);
    const headerBytes = Math.min(first.asNumber(), data.length);
    work.spend("tokens", Math.ceil(headerBytes / 4));
    const header = latin1(data, 0, headerBytes).trim().split(/\s+/).map(Number);
    const offsets = new Map<number, number>();
    for (let i = 0; i + 1 < header.length && i < 2 * n.asNumber(); i += 2) offsets.set(header[i], header[i + 1]);
    const loaded = { offset: entry.offset, data, offsets, first: first.asNumber() };
    objectStreams.set(entry.offset, loaded);
    return loaded;
  };

  const load = (objectNumber: number, entry: XrefEntry, revision: number): LocatedObject => {
    if (entry.type === 1) {
      let parsed = byOffset.get(entry.offset);
      // A second number pointing at the same body is still checked against its header.
      if (parsed && parsed.objectNumber !== objectNumber) throw malformed(`the cross-reference entry for object ${objectNumber} points elsewhere`);
      if (!parsed) {
        parsed = parseObjectAt(state, entry.offset, objectNumber);
        byOffset.set(entry.offset, parsed);
      }
      return { objectNumber, entry, parsed };
    }
    const stream = objectStream(entry.streamNumber, revision);
    const at = stream.offsets.get(objectNumber);
    if (at === undefined) throw malformed(`object ${objectNumber} is not in its object stream`);
    // Keyed by where the member starts: several numbers may name the same bytes.
    const key = `${stream.offset}:${at}`;
    let parsed = members.get(key);
    if (!parsed) {
      parsed = parseValueAt(stream.data, stream.first + at, stream.data.length, limits.maxDepth, context, work);
      members.set(key, parsed);
    }
    return { objectNumber, entry, parsed };
  };

  const resolve = (value: PDFObject | undefined, revision: number): PDFObject | undefined => {
    let current = value;
    // A reference to a reference is legal but rare; a few hops, never a loop.
    for (let hops = 0; current instanceof PDFRef; hops++) {
      if (hops > 8) throw malformed("a chain of references loops");
      const entry = entryAt(revision, current.objectNumber);
      if (!entry) return undefined;
      current = load(current.objectNumber, entry, revision).parsed.value;
    }
    return current;
  };

  return { entryAt, load, resolve };
}

function malformed(detail: string): PdfReadError {
  return new PdfReadError("PDF_MALFORMED", `The PDF's structure is broken: ${detail}.`);
}
