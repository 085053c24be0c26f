// Compares revision r with revision r − 1 and lists every change, each judged by the rule for the
// changed object's role. Which objects changed comes from the cross-reference data a reader uses
// (an entry moved, freed, or its object stream rewritten), never from a text search, so a shadow
// "hide" that only points an xref entry at another body is seen. Bodies written into an update
// without an xref entry are reported too: readers that rebuild a broken xref would use them.
import type { RevisionObjects, XrefEntry } from "../../pdf/read/revision-objects";
import { sameXrefEntry } from "../../pdf/read/xref-chain";
import type { RevisionChange, RuleContext } from "./change";
import { revisionView, sameValue } from "./pdf-values";
import { assignRoles } from "./roles";
import { newSignatureWidgets } from "./rules/form-rules";
import { judgeTrailer } from "./rules/catalog-rules";
import { judgeObject } from "./rules/object-rules";

/**
 * The changes revision `r` (≥ 1) makes to revision r − 1; `signaturesHere` are the signature
 * dictionaries it defines whose signed ranges end with it (RuleContext.signaturesHere). Throws the
 * PDF_MALFORMED errors of {@link RevisionObjects} when either revision cannot be read.
 */
export function diffRevision(objects: RevisionObjects, r: number, signaturesHere: ReadonlySet<number> = new Set()): RevisionChange[] {
  const before = revisionView(objects, r - 1);
  const after = revisionView(objects, r);
  const changes: RevisionChange[] = [];
  const ctx: RuleContext = {
    before,
    after,
    roles: new Map(),
    newSignatureWidgets: newSignatureWidgets(before, after),
    signaturesHere,
    record: (c) => changes.push({ ...c, revision: r }),
  };

  const beforeEntries = objects.entries(r - 1);
  const changed = changedObjects(beforeEntries, objects.entries(r)).filter(
    (n) => !sameValue(objects.object(r - 1, n), objects.object(r, n)),
  );
  if (changed.length > 0) {
    const roles = assignRoles(before, new Set(changed));
    const judged: RuleContext = { ...ctx, roles };
    for (const n of changed) {
      const was = objects.object(r - 1, n);
      if (was !== undefined) judgeObject(judged, n, roles.get(n), was, objects.object(r, n));
    }
  }
  judgeTrailer(ctx, objects.trailer(r - 1), objects.trailer(r));
  for (const n of unlistedBodies(objects, r)) {
    if (beforeEntries.has(n)) {
      ctx.record({ kind: "forbidden", code: "SIGNED_OBJECT_OVERRIDDEN", objectNumber: n, what: `object ${n} is defined again in revision ${r + 1} without a cross-reference entry` });
    }
  }
  return changes;
}

/**
 * Numbers of revision r − 1's objects whose entry differs in r (moved or freed), plus members of
 * object streams whose container changed. An object new in r has no earlier value to judge a
 * change of (what refers to it is judged), so it is not listed, nor loaded: an update may add
 * hundreds of thousands.
 */
function changedObjects(before: ReadonlyMap<number, XrefEntry>, after: ReadonlyMap<number, XrefEntry>): number[] {
  const out = new Set<number>();
  for (const [n, e] of before) {
    if (n !== 0 && !sameEntry(e, after.get(n))) out.add(n);
  }
  for (const [n, e] of before) {
    if (e.type === 2 && out.has(e.streamNumber) && sameEntry(e, after.get(n))) out.add(n);
  }
  return [...out];
}

function sameEntry(a: XrefEntry | undefined, b: XrefEntry | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return sameXrefEntry(a, b);
}

/**
 * Object numbers with an "n g obj" header in revision r's bytes that no entry of its section
 * explains. Linear after one sort: the "endobj" positions are found in one pass, each entry's span
 * end is a binary search among them, and the spans, sorted and merged once, are swept alongside
 * the headers (found in file order). Testing every header against every span cost O(n²): 24 s
 * for one update of 160 000 tiny objects.
 */
function unlistedBodies(objects: RevisionObjects, r: number): number[] {
  const start = objects.revisions[r - 1].endOffset;
  const end = objects.revisions[r].endOffset;
  const text = Buffer.from(objects.bytes.buffer, objects.bytes.byteOffset + start, end - start).toString("latin1");
  const endobjs: number[] = [];
  for (let at = text.indexOf("endobj"); at >= 0; at = text.indexOf("endobj", at + 1)) endobjs.push(at);
  // A listed body spans from its header to the first "endobj" after it. Stream data containing
  // "endobj" ends a span early, which can only report more, never hide an unlisted body.
  const spans: { start: number; end: number }[] = [];
  for (const section of objects.sections(r)) {
    for (const e of section.entries.values()) {
      if (e.type !== 1 || e.offset < start || e.offset >= end) continue;
      const i = firstAtOrAfter(endobjs, e.offset - start);
      spans.push({ start: e.offset, end: i < endobjs.length ? start + endobjs[i] + 6 : end });
    }
  }
  const covered = mergeSpans(spans);
  const xrefAt = new Set(objects.sections(r).map((s) => s.startXref));
  const header = /(?:^|[\r\n\s])(\d+)\s+(\d+)\s+obj\b/g;
  const out: number[] = [];
  let next = 0;
  for (let m = header.exec(text); m; m = header.exec(text)) {
    const at = start + m.index + (m[0].length - m[0].trimStart().length);
    while (next < covered.length && covered[next].end <= at) next++;
    if (xrefAt.has(at) || (next < covered.length && covered[next].start <= at)) continue;
    out.push(Number(m[1]));
  }
  return out;
}

/** The index of the first value ≥ `at` in ascending `sorted` (its length when there is none). */
function firstAtOrAfter(sorted: readonly number[], at: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Half-open spans sorted by start and merged where they overlap: the same positions, disjoint and ascending. */
function mergeSpans(spans: { start: number; end: number }[]): { start: number; end: number }[] {
  const merged: { start: number; end: number }[] = [];
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    const last = merged[merged.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  return merged;
}
