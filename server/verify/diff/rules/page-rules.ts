// Rules for pages after a signature: a page may only gain, in /Annots, the widgets of signature
// fields added in the same revision (or, for DocMDP P3, annotations). Every other change to a page
// dictionary changes what the page shows (/Contents, /Resources, /MediaBox, /Rotate…).
import { PDFArray, PDFDict, PDFRef, type PDFObject } from "../../../pdf/read/pdf-objects";
import { onPage, type RuleContext } from "../change";
import { changedKeys, entry, keyList, nameEntry, refKey, refsIn, sameValue } from "../pdf-values";
import { annotationRole } from "../roles";

/** Judges a changed page dictionary (object `objectNumber`, page `page`). */
export function judgePage(ctx: RuleContext, objectNumber: number, page: number | undefined, before: PDFDict, after: PDFDict | undefined): void {
  if (!after) {
    ctx.record({ kind: "forbidden", code: "PAGE_CONTENT_CHANGED", objectNumber, what: `page ${page ?? "?"} (object ${objectNumber}) was deleted` });
    return;
  }
  const other: string[] = [];
  for (const key of changedKeys(before, after)) {
    if (key === "Annots") judgeAnnotsEntry(ctx, page, entry(before, "Annots"), entry(after, "Annots"));
    else other.push(key);
  }
  if (other.length > 0) {
    ctx.record({ kind: "forbidden", code: "PAGE_CONTENT_CHANGED", objectNumber, what: `page ${page ?? "?"} (object ${objectNumber}): ${keyList(other)} changed` });
  }
}

/** Judges a changed /Annots value; an /Annots array object kept by ref is judged on its own. */
function judgeAnnotsEntry(ctx: RuleContext, page: number | undefined, before: PDFObject | undefined, after: PDFObject | undefined): void {
  if (before instanceof PDFRef && after instanceof PDFRef && refKey(before) === refKey(after)) return;
  judgeAnnots(ctx, page, ctx.before.array(before), ctx.after.array(after));
}

/** A page's annotation list: only new signature widgets are signing; other additions are annotations. */
export function judgeAnnots(ctx: RuleContext, page: number | undefined, before: PDFArray | undefined, after: PDFArray | undefined, objectNumber?: number): void {
  const beforeKeys = new Set(refsIn(before).map(refKey));
  const afterKeys = new Set(refsIn(after).map(refKey));
  for (const ref of refsIn(before)) {
    if (!afterKeys.has(refKey(ref))) {
      ctx.record({ kind: "annotation", objectNumber: ref.objectNumber, what: `annotation ${ref.objectNumber} was removed${onPage(page)}` });
    }
  }
  for (const ref of refsIn(after)) {
    if (beforeKeys.has(refKey(ref))) continue;
    if (ctx.newSignatureWidgets.has(refKey(ref))) {
      ctx.record({ kind: "signing", objectNumber: ref.objectNumber, what: `the widget of a new signature field was added${onPage(page)}` });
      continue;
    }
    const annot = ctx.after.dict(ref);
    const subtype = nameEntry(annot, "Subtype") ?? "untyped";
    if (annotationRole(ctx.after, annot) === "field") {
      ctx.record({ kind: "forbidden", code: "FORM_VALUE_CHANGED", objectNumber: ref.objectNumber, what: `a form field widget (object ${ref.objectNumber}) was added${onPage(page)}` });
    } else {
      ctx.record({ kind: "annotation", objectNumber: ref.objectNumber, what: `a /${subtype} annotation (object ${ref.objectNumber}) was added${onPage(page)}` });
    }
  }
  const direct = (a: PDFArray | undefined): PDFObject[] => (a?.asArray() ?? []).filter((v) => !(v instanceof PDFRef));
  const [was, now] = [direct(before), direct(after)];
  if (was.length !== now.length || !was.every((v, i) => sameValue(v, now[i]))) ctx.record({ kind: "annotation", objectNumber, what: `direct annotation dictionaries were added${onPage(page)}` });
}
