// Rules for the document catalog and the trailer after a signature: the catalog may change its
// /AcroForm (judged by the form rules), gain or update /DSS and /Extensions (validation data) and
// /Metadata; the trailer may change /Info. A new /Root, /OpenAction, /Names, /OCProperties, /Perms
// or anything else is a forbidden change: it can run code or swap what the reader shows.
import { PDFDict, PDFRef, type PDFObject } from "../../../pdf/read/pdf-objects";
import type { RuleContext } from "../change";
import { changedKeys, entry, keyList, refKey, sameValue } from "../pdf-values";
import { judgeForm } from "./form-rules";

/** Catalog keys whose changes are validation data (PAdES DSS, ISO 32000 extension levels). */
const DSS_KEYS = new Set(["DSS", "Extensions"]);

/** Judges a changed catalog (object `objectNumber`). */
export function judgeCatalog(ctx: RuleContext, objectNumber: number, before: PDFDict, after: PDFObject | undefined): void {
  if (!(after instanceof PDFDict)) {
    ctx.record({ kind: "forbidden", code: "CATALOG_CHANGED", objectNumber, what: `the catalog (object ${objectNumber}) was deleted or replaced by a non-dictionary` });
    return;
  }
  const other: string[] = [];
  for (const key of changedKeys(before, after)) {
    const was = entry(before, key);
    const now = entry(after, key);
    if (key === "AcroForm") {
      // Same AcroForm object kept by ref: that object is judged on its own if it changed.
      if (!(was instanceof PDFRef && now instanceof PDFRef && refKey(was) === refKey(now))) {
        judgeForm(ctx, ctx.before.dict(was), ctx.after.dict(now), now instanceof PDFRef ? now.objectNumber : undefined);
      }
    } else if (DSS_KEYS.has(key)) {
      ctx.record({ kind: "dss", objectNumber, what: `the catalog's /${key} was updated` });
    } else if (key === "Metadata") {
      ctx.record({ kind: "metadata", objectNumber, what: "the catalog's /Metadata was replaced" });
    } else {
      other.push(`${key} ${was === undefined ? "added" : now === undefined ? "removed" : "changed"}`);
    }
  }
  if (other.length > 0) {
    ctx.record({ kind: "forbidden", code: "CATALOG_CHANGED", objectNumber, what: `the catalog (object ${objectNumber}): ${keyList(other)}` });
  }
}

/** Judges the trailer: a different /Root swaps the whole document; /Info is metadata; /Encrypt is never added. */
export function judgeTrailer(ctx: RuleContext, before: PDFDict, after: PDFDict): void {
  const root = [entry(before, "Root"), entry(after, "Root")];
  if (!sameValue(root[0], root[1])) {
    const name = (v: PDFObject | undefined): string => (v instanceof PDFRef ? `object ${v.objectNumber}` : "nothing");
    ctx.record({ kind: "forbidden", code: "CATALOG_CHANGED", what: `the trailer's /Root now names ${name(root[1])} instead of ${name(root[0])}` });
  }
  if (!sameValue(entry(before, "Info"), entry(after, "Info"))) {
    ctx.record({ kind: "metadata", what: "the trailer's /Info was replaced" });
  }
  if (!sameValue(entry(before, "Encrypt"), entry(after, "Encrypt"))) {
    ctx.record({ kind: "forbidden", code: "UNSIGNED_CHANGES_AFTER_SIGNATURE", what: "the trailer's /Encrypt was changed" });
  }
}
