// Each revision's object graph for comparing revisions: the entries in force at revision r (its
// sections over the older ones, a free entry deleting), the objects they point at with stream data
// attached, and the trailer. Built on the verification reader's xref chain and object lookup, so
// objects are parsed once per location and within the read limits. It does not judge changes:
// server/verify/diff/ does.
import { PDFDict, PDFNumber, PDFName, PDFRawStream, type PDFObject } from "./pdf-objects";
import type { OpenedPdf } from "./open-pdf";
import { PdfReadError } from "./pdf-read-error";
import { rawStreamData } from "./stream-data";
import type { PdfRevision } from "./types";
import type { XrefEntry, XrefSection } from "./xref-chain";

export type { XrefEntry } from "./xref-chain";

/** Read access to the objects of every revision of one file. */
export interface RevisionObjects {
  readonly bytes: Uint8Array;
  readonly revisions: readonly PdfRevision[];
  /** The cross-reference sections revision `r` wrote (usually one). */
  sections(r: number): readonly XrefSection[];
  /** Every in-use object's entry at revision `r`. */
  entries(r: number): ReadonlyMap<number, XrefEntry>;
  /** The trailer dictionary of revision `r` (of its newest section). */
  trailer(r: number): PDFDict;
  /** Object `objectNumber` as revision `r` sees it (a stream with its raw data); undefined when free. */
  object(r: number, objectNumber: number): PDFObject | undefined;
}

/**
 * Prepares lazy access to the objects of every revision of the opened file (ParsedPdf.file), on
 * its cross-reference chain, object cache and work budget: building a revision's entry map is
 * charged as comparisons. Throws PdfReadError as the reader does when an object cannot be read.
 */
export function loadRevisionObjects(file: OpenedPdf): RevisionObjects {
  const { bytes, chain, lookup, work } = file;
  const revisions = chain.revisions;
  const merged = new Map<number, Map<number, XrefEntry>>();
  const withData = new Map<string, PDFObject>();

  const sections = (r: number): XrefSection[] => {
    const own = chain.sections.filter((s) => s.revisionIndex === r);
    if (own.length === 0) throw malformed(`revision ${r + 1} has no cross-reference section`);
    return own;
  };

  const entries = (r: number): Map<number, XrefEntry> => {
    const known = merged.get(r);
    if (known) return known;
    const map = new Map(r > 0 ? entries(r - 1) : undefined);
    work.spend("comparisons", map.size);
    for (const s of sections(r)) {
      work.spend("comparisons", s.freed.size + s.entries.size);
      for (const n of s.freed) map.delete(n);
      for (const [n, e] of s.entries) map.set(n, e);
    }
    merged.set(r, map);
    return map;
  };

  const object = (r: number, objectNumber: number): PDFObject | undefined => {
    const entry = entries(r).get(objectNumber);
    if (!entry) return undefined;
    const key = entry.type === 1 ? `o${entry.offset}` : `s${r}:${entry.streamNumber}:${objectNumber}`;
    const known = withData.get(key);
    if (known) return known;
    const { parsed } = lookup.load(objectNumber, entry, r);
    let value = parsed.value;
    // The reader leaves stream data out of the parsed value; comparing revisions needs it.
    if (parsed.isStream && value instanceof PDFDict) {
      const length = lookup.resolve(value.get(PDFName.of("Length")), r);
      if (!(length instanceof PDFNumber)) throw malformed(`stream object ${objectNumber} has no /Length`);
      value = PDFRawStream.of(value, rawStreamData(bytes, parsed.valueEnd, length.asNumber()));
    }
    withData.set(key, value);
    return value;
  };

  return {
    bytes,
    revisions,
    sections,
    entries,
    trailer: (r) => sections(r)[sections(r).length - 1].trailer,
    object,
  };
}

function malformed(detail: string): PdfReadError {
  return new PdfReadError("PDF_MALFORMED", `The PDF's structure is broken: ${detail}.`);
}
