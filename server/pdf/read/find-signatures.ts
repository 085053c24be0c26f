// Finds every signature dictionary in every revision: objects with /Type /Sig (or /DocTimeStamp),
// objects carrying /ByteRange and /Contents, and whatever a signature field's /V names (also a
// direct dictionary inside the field). Each is reported with its /Contents located in the raw
// bytes of that object, never derived from the /ByteRange the attacker may have written.
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNull, PDFNumber, PDFRef, PDFString, type PDFObject } from "./pdf-objects";
import { latin1, readDictSpans, type DictEntrySpan } from "./pdf-lexer";
import { PdfReadError } from "./pdf-read-error";
import type { LocatedObject, ObjectLookup } from "./object-lookup";
import type { OpenedPdf } from "./open-pdf";
import type { PdfSignature, SignatureDictDefect } from "./types";

// Names asked of every object of the file: PDFName.of decodes its argument on each call.
const FT = PDFName.of("FT");
const SIG = PDFName.of("Sig");
const V = PDFName.of("V");
const TYPE = PDFName.of("Type");
const DOC_TIME_STAMP = PDFName.of("DocTimeStamp");
const BYTE_RANGE = PDFName.of("ByteRange");
const CONTENTS = PDFName.of("Contents");

interface Candidate {
  objectNumber: number;
  revisionIndex: number;
  dict: PDFDict;
  /** Top-level entries with file offsets; undefined when the object lives in an object stream. */
  entries?: DictEntrySpan[];
  /** Where the object starts in the file (for ordering and de-duplication). */
  location: number;
  /** Set when the dictionary sits directly in its field's /V. */
  fieldName?: string;
}

/** Every signature dictionary of the file, ordered by position, with field names filled in. */
export function findSignatures(file: OpenedPdf): PdfSignature[] {
  const { bytes, chain, lookup, limits, work } = file;
  const candidates = new Map<string, Candidate>();
  const fieldNames = new Map<number, string>();
  const fieldTargets: { objectNumber: number; revisionIndex: number }[] = [];

  const add = (c: Candidate): void => {
    const key = `${c.objectNumber}@${c.location}`;
    if (candidates.has(key)) return;
    if (candidates.size >= limits.maxSignatures) {
      throw new PdfReadError("PDF_TOO_COMPLEX", "The PDF has more signatures than the verifier accepts.");
    }
    candidates.set(key, c);
  };

  for (const section of chain.sections) {
    for (const [objectNumber, entry] of section.entries) {
      const located = lookup.load(objectNumber, entry, section.revisionIndex);
      if (!mayBeSignatureOrField(bytes, located)) continue;
      const dict = located.parsed.value;
      if (!(dict instanceof PDFDict)) continue;
      const fileEntries = entry.type === 1 ? located.parsed.entries : undefined;
      if (isSignatureDict(dict)) add(candidate(located, section.revisionIndex, dict, fileEntries));
      if (dict.get(FT) !== SIG) continue;
      const v = dict.get(V);
      const name = fieldName(dict, lookup, section.revisionIndex, limits.maxDepth);
      if (v instanceof PDFRef) {
        if (name !== undefined) fieldNames.set(v.objectNumber, name);
        fieldTargets.push({ objectNumber: v.objectNumber, revisionIndex: section.revisionIndex });
      } else if (v instanceof PDFDict) {
        // A signature dictionary written directly inside the field: locate it within the field.
        const span = fileEntries?.find((e) => e.key === "V");
        const inner = span ? readDictSpans(bytes, span.valueStart, span.valueEnd, limits.maxDepth, work).entries : undefined;
        add({ objectNumber, revisionIndex: section.revisionIndex, dict: v, entries: inner, location: span?.valueStart ?? -1, fieldName: name });
      }
    }
  }
  // What a signature field's /V names is a signature dictionary, whatever it claims to be.
  for (const target of fieldTargets) {
    const entry = lookup.entryAt(target.revisionIndex, target.objectNumber);
    if (!entry) continue;
    const located = lookup.load(target.objectNumber, entry, target.revisionIndex);
    if (!(located.parsed.value instanceof PDFDict)) continue;
    const definedIn = chain.sections.find((s) => s.entries.get(target.objectNumber) === entry)?.revisionIndex ?? target.revisionIndex;
    add(candidate(located, definedIn, located.parsed.value, entry.type === 1 ? located.parsed.entries : undefined));
  }

  const signatures = [...candidates.values()].map((c) => toSignature(bytes, c, lookup, fieldNames));
  signatures.sort((a, b) => order(a) - order(b));
  return signatures.map((s, index) => ({ ...s, index }));
}

function candidate(located: LocatedObject, revisionIndex: number, dict: PDFDict, entries: DictEntrySpan[] | undefined): Candidate {
  const location = located.entry.type === 1 ? located.entry.offset : -1;
  return { objectNumber: located.objectNumber, revisionIndex, dict, entries, location };
}

/**
 * Whether an object's raw keys could make it a signature dictionary or a signature field, read
 * from the lexer's spans so that the rest of a file's objects are never parsed into pdf-lib
 * objects here. Anything written with a #xx escape (a name pdf-lib decodes to /Sig, say) is parsed.
 */
function mayBeSignatureOrField(bytes: Uint8Array, located: LocatedObject): boolean {
  const { entries } = located.parsed;
  if (!entries) return false;
  // An object stream member's spans are offsets in the stream's data, not in the file.
  const source = located.entry.type === 1 ? bytes : undefined;
  let byteRange = false;
  let contents = false;
  for (const e of entries) {
    if (e.key.includes("#")) return true;
    if (e.key === "ByteRange") byteRange = true;
    else if (e.key === "Contents") contents = true;
    else if ((e.key === "Type" || e.key === "FT") && e.kind === "name") {
      if (!source) return true;
      const name = latin1(source, e.valueStart, e.valueEnd);
      if (name === "/Sig" || name === "/DocTimeStamp" || name.includes("#")) return true;
    }
  }
  return byteRange && contents;
}

function isSignatureDict(dict: PDFDict): boolean {
  const type = dict.get(TYPE);
  if (type === SIG || type === DOC_TIME_STAMP) return true;
  return dict.has(BYTE_RANGE) && dict.has(CONTENTS);
}

function order(s: PdfSignature): number {
  return s.contentsStart >= 0 ? s.contentsStart : Number.MAX_SAFE_INTEGER - 1000 + s.objectNumber;
}

function toSignature(
  bytes: Uint8Array,
  c: Candidate,
  lookup: ObjectLookup,
  fieldNames: Map<number, string>,
): PdfSignature {
  const { dict } = c;
  const contents = locateContents(bytes, c);
  return {
    index: 0,
    fieldName: c.fieldName ?? fieldNames.get(c.objectNumber),
    filter: nameText(dict.get(PDFName.of("Filter"))),
    subFilter: nameText(dict.get(PDFName.of("SubFilter"))),
    byteRange: byteRangeOf(dict.get(PDFName.of("ByteRange"))),
    contentsStart: contents.start,
    contentsEnd: contents.end,
    contents: contents.bytes,
    objectNumber: c.objectNumber,
    revisionIndex: c.revisionIndex,
    signingTimeText: text(dict.get(PDFName.of("M"))),
    reason: text(dict.get(PDFName.of("Reason"))),
    name: text(dict.get(PDFName.of("Name"))),
    docMdpPermission: docMdpPermission(dict, lookup, c.revisionIndex),
    defect: contents.defect,
  };
}

/**
 * Finds /Contents among the dictionary's raw entries. Missing or null: an empty value (the
 * integrity check calls that SIGNATURE_EMPTY). Anything but one direct hex string is a defect.
 */
function locateContents(
  bytes: Uint8Array,
  c: Candidate,
): { start: number; end: number; bytes: Uint8Array; defect?: SignatureDictDefect } {
  const none = { start: -1, end: -1, bytes: new Uint8Array(0) };
  if (!c.entries) {
    const v = c.dict.get(PDFName.of("Contents"));
    return { ...none, bytes: v instanceof PDFHexString ? v.asBytes() : none.bytes, defect: "in-object-stream" };
  }
  const spans = c.entries.filter((e) => e.key === "Contents");
  const byteRanges = c.entries.filter((e) => e.key === "ByteRange");
  if (spans.length > 1 || byteRanges.length > 1) return { ...none, defect: "duplicate-key" };
  const span = spans[0];
  if (!span || c.dict.get(PDFName.of("Contents")) === PDFNull) return none;
  if (span.kind !== "hex") return { ...none, defect: "contents-not-hex-string" };
  const hex = latin1(bytes, span.valueStart + 1, span.valueEnd - 1).replace(/[\0\t\n\f\r ]/g, "");
  if (!/^[0-9a-fA-F]*$/.test(hex)) return { start: span.valueStart, end: span.valueEnd, bytes: none.bytes, defect: "contents-not-hex-string" };
  const padded = hex.length % 2 === 1 ? `${hex}0` : hex;
  return { start: span.valueStart, end: span.valueEnd, bytes: new Uint8Array(Buffer.from(padded, "hex")) };
}

/** /ByteRange as written: [] when missing or null, NaN for any entry that is not a number. */
function byteRangeOf(value: PDFObject | undefined): number[] {
  if (value === undefined || value === PDFNull) return [];
  if (!(value instanceof PDFArray)) return [NaN];
  return value.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : NaN));
}

/** The fully qualified field name: /T of the field and its parents, joined by dots. */
function fieldName(field: PDFDict, lookup: ObjectLookup, revision: number, maxDepth: number): string | undefined {
  const parts: string[] = [];
  let node: PDFObject | undefined = field;
  for (let depth = 0; node instanceof PDFDict && depth < maxDepth; depth++) {
    const t = text(node.get(PDFName.of("T")));
    if (t !== undefined) parts.unshift(t);
    node = lookup.resolve(node.get(PDFName.of("Parent")), revision);
  }
  return parts.length > 0 ? parts.join(".") : undefined;
}

/** /P of a /Reference entry whose /TransformMethod is /DocMDP (default 2, ISO 32000-1 12.8.2.2). */
function docMdpPermission(dict: PDFDict, lookup: ObjectLookup, revision: number): 1 | 2 | 3 | undefined {
  const refs = lookup.resolve(dict.get(PDFName.of("Reference")), revision);
  if (!(refs instanceof PDFArray)) return undefined;
  for (const item of refs.asArray()) {
    const ref = lookup.resolve(item, revision);
    if (!(ref instanceof PDFDict) || ref.get(PDFName.of("TransformMethod")) !== PDFName.of("DocMDP")) continue;
    const params = lookup.resolve(ref.get(PDFName.of("TransformParams")), revision);
    const p = params instanceof PDFDict ? lookup.resolve(params.get(PDFName.of("P")), revision) : undefined;
    const n = p instanceof PDFNumber ? p.asNumber() : 2;
    return n === 1 || n === 3 ? n : 2;
  }
  return undefined;
}

function nameText(value: PDFObject | undefined): string | undefined {
  return value instanceof PDFName ? value.decodeText() : undefined;
}

function text(value: PDFObject | undefined): string | undefined {
  return value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : undefined;
}
