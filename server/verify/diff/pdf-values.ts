// Small readers over one revision's objects and value equality for comparing two revisions. Refs
// compare as refs (the object behind a ref is judged on its own), strings by their bytes, streams
// by dictionary and raw bytes, so an object rewritten unchanged does not count as a change.
import {
  PDFArray,
  PDFBool,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  PDFString,
  type PDFObject,
} from "../../pdf/read/pdf-objects";
import type { RevisionObjects } from "../../pdf/read/revision-objects";

/** One revision's objects, with dereferencing helpers. */
export interface RevisionView {
  readonly index: number;
  readonly objects: RevisionObjects;
  /** The object a ref points at in this revision, or the value itself when not a ref. */
  resolve(value: PDFObject | undefined): PDFObject | undefined;
  /** `value` (or what it refers to) as a dictionary; a stream gives its dictionary. */
  dict(value: PDFObject | undefined): PDFDict | undefined;
  array(value: PDFObject | undefined): PDFArray | undefined;
}

/** A view of revision `r`. */
export function revisionView(objects: RevisionObjects, r: number): RevisionView {
  const resolve = (value: PDFObject | undefined): PDFObject | undefined =>
    value instanceof PDFRef ? objects.object(r, value.objectNumber) : value;
  return {
    index: r,
    objects,
    resolve,
    dict(value) {
      const v = resolve(value);
      return v instanceof PDFDict ? v : v instanceof PDFRawStream ? v.dict : undefined;
    },
    array(value) {
      const v = resolve(value);
      return v instanceof PDFArray ? v : undefined;
    },
  };
}

/** `dict[key]`, unresolved. */
export function entry(dict: PDFDict | undefined, key: string): PDFObject | undefined {
  return dict?.get(PDFName.of(key));
}

/** The name value of `dict[key]` without the slash, e.g. "Sig". */
export function nameEntry(dict: PDFDict | undefined, key: string): string | undefined {
  const v = entry(dict, key);
  return v instanceof PDFName ? v.decodeText() : undefined;
}

/** The refs held by an array (non-ref items skipped). */
export function refsIn(array: PDFArray | undefined): PDFRef[] {
  return (array?.asArray() ?? []).filter((v): v is PDFRef => v instanceof PDFRef);
}

/** "12 0 R"-style key for sets of refs. */
export function refKey(ref: PDFRef): string {
  return `${ref.objectNumber} ${ref.generationNumber}`;
}

/** The keys whose values differ between two dictionaries (absent on one side counts). */
export function changedKeys(before: PDFDict | undefined, after: PDFDict | undefined): string[] {
  const keys = new Set<PDFName>([...(before?.keys() ?? []), ...(after?.keys() ?? [])]);
  const out: string[] = [];
  for (const k of keys) {
    if (!sameValue(before?.get(k), after?.get(k))) out.push(k.decodeText());
  }
  return out;
}

/** Deep equality of two direct values; refs are equal when they name the same object. */
export function sameValue(a: PDFObject | undefined, b: PDFObject | undefined, depth = 0): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || depth > 64) return false;
  if (a instanceof PDFRef || b instanceof PDFRef) {
    return a instanceof PDFRef && b instanceof PDFRef && a.objectNumber === b.objectNumber && a.generationNumber === b.generationNumber;
  }
  if (a instanceof PDFNumber) return b instanceof PDFNumber && a.asNumber() === b.asNumber();
  if (a instanceof PDFBool) return b instanceof PDFBool && a.asBoolean() === b.asBoolean();
  if (isString(a) || isString(b)) return isString(a) && isString(b) && Buffer.from(a.asBytes()).equals(Buffer.from(b.asBytes()));
  if (a instanceof PDFArray) {
    if (!(b instanceof PDFArray) || a.size() !== b.size()) return false;
    return a.asArray().every((v, i) => sameValue(v, b.get(i), depth + 1));
  }
  if (a instanceof PDFRawStream) {
    return b instanceof PDFRawStream && sameValue(a.dict, b.dict, depth + 1) && Buffer.from(a.contents).equals(Buffer.from(b.contents));
  }
  if (a instanceof PDFDict) {
    if (!(b instanceof PDFDict) || a.keys().length !== b.keys().length) return false;
    return a.entries().every(([k, v]) => sameValue(v, b.get(k), depth + 1));
  }
  // Names and null are interned by pdf-lib: identity was checked above.
  return a.toString() === b.toString() && a.constructor === b.constructor;
}

function isString(v: PDFObject): v is PDFString | PDFHexString {
  return v instanceof PDFString || v instanceof PDFHexString;
}

/** "/Contents, /Resources" for a reason sentence. */
export function keyList(keys: readonly string[]): string {
  return keys.map((k) => `/${k}`).join(", ");
}
