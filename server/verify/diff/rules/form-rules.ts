// Rules for the interactive form after a signature: the AcroForm may gain signature fields and
// /SigFlags; a field may be filled (a form-fill change, for DocMDP to allow or not); a signed
// signature field never changes; anything else about the form is a forbidden change.
// An unsigned signature field is only a place for a signature: one that gains something to show
// without being signed (a new field with a visible appearance, a new appearance on an empty one)
// draws on the page like an annotation and is judged as one. "Signed" means signed in that very
// revision: the field's /V names a signature dictionary the revision defines and whose signed
// ranges end with it (RuleContext.signaturesHere); any other /V is a claim, not a signature. That is the "sneaky signature"
// attack on certified documents (Mainka et al., IEEE S&P 2021), which DocMDP P2 would otherwise
// let through as "signing".
import { PDFArray, PDFDict, PDFNumber, PDFRef, type PDFObject } from "../../../pdf/read/pdf-objects";
import { onPage, type RuleContext } from "../change";
import { changedKeys, entry, keyList, nameEntry, refKey, refsIn, type RevisionView } from "../pdf-values";
import { fieldName, fieldRole, inherited, type ObjectRole } from "../roles";

/**
 * The widgets of the signature fields that `after`'s /Fields gained over `before`'s. A field
 * listed twice, or a /Kids array object shared by several fields, is read once: reading it per
 * listing cost fields × kids.
 */
export function newSignatureWidgets(before: RevisionView, after: RevisionView): Set<string> {
  const fieldsOf = (v: RevisionView): PDFRef[] => refsIn(v.array(entry(v.dict(entry(catalogOf(v), "AcroForm")), "Fields")));
  const old = new Set(fieldsOf(before).map(refKey));
  const widgets = new Set<string>();
  const kidsRead = new Set<number>();
  for (const ref of fieldsOf(after)) {
    if (old.has(refKey(ref))) continue;
    old.add(refKey(ref));
    const field = after.dict(ref);
    if (fieldRole(after, field) === "field") continue;
    if (nameEntry(field, "Subtype") === "Widget") widgets.add(refKey(ref));
    const kids = entry(field, "Kids");
    if (kids instanceof PDFRef) {
      if (kidsRead.has(kids.objectNumber)) continue;
      kidsRead.add(kids.objectNumber);
    }
    for (const kid of refsIn(after.array(kids))) widgets.add(refKey(kid));
  }
  return widgets;
}

/** The catalog of a revision. */
export function catalogOf(v: RevisionView): PDFDict | undefined {
  return v.dict(entry(v.objects.trailer(v.index), "Root"));
}

/** Judges an AcroForm dictionary that changed (indirect object `objectNumber`, or inline). */
export function judgeForm(ctx: RuleContext, before: PDFDict | undefined, after: PDFDict | undefined, objectNumber?: number): void {
  const where = objectNumber === undefined ? "the form (AcroForm)" : `the form (AcroForm, object ${objectNumber})`;
  if (!after) {
    ctx.record({ kind: "forbidden", code: "FORM_VALUE_CHANGED", objectNumber, what: `${where} was removed` });
    return;
  }
  const other: string[] = [];
  for (const key of changedKeys(before, after)) {
    if (key === "Fields") judgeFieldsEntry(ctx, entry(before, "Fields"), entry(after, "Fields"));
    else if (key === "SigFlags") ctx.record({ kind: "signing", objectNumber, what: `${where} /SigFlags was set` });
    else other.push(key);
  }
  if (other.length > 0) {
    ctx.record({ kind: "forbidden", code: "FORM_VALUE_CHANGED", objectNumber, what: `${where}: ${keyList(other)} changed` });
  }
}

/** Judges a changed /Fields value; when both sides name the same array object, that object is judged on its own. */
export function judgeFieldsEntry(ctx: RuleContext, before: PDFObject | undefined, after: PDFObject | undefined): void {
  if (before instanceof PDFRef && after instanceof PDFRef && refKey(before) === refKey(after)) return;
  judgeFieldList(ctx, ctx.before.array(before), ctx.after.array(after));
}

/** The form's field list: it may only gain signature fields. */
export function judgeFieldList(ctx: RuleContext, before: PDFArray | undefined, after: PDFArray | undefined, objectNumber?: number): void {
  const beforeRefs = refsIn(before);
  const afterRefs = refsIn(after);
  const afterKeys = new Set(afterRefs.map(refKey));
  const beforeKeys = new Set(beforeRefs.map(refKey));
  const visibleKids = new Map<number, boolean>();
  for (const ref of beforeRefs) {
    if (!afterKeys.has(refKey(ref))) {
      ctx.record({ kind: "forbidden", code: "FORM_VALUE_CHANGED", objectNumber: ref.objectNumber, what: `form field ${label(ctx.before, ref)} was removed from the form` });
    }
  }
  for (const ref of afterRefs) {
    if (beforeKeys.has(refKey(ref))) continue;
    const field = ctx.after.dict(ref);
    const name = label(ctx.after, ref);
    const role = fieldRole(ctx.after, field);
    if (role === "field") {
      ctx.record({ kind: "forbidden", code: "FORM_VALUE_CHANGED", objectNumber: ref.objectNumber, what: `a new form field ${name} (/FT /${nameEntry(field, "FT") ?? "none"}) was added` });
    } else if (signedHere(ctx, field)) {
      ctx.record({ kind: "signing", objectNumber: ref.objectNumber, what: `signature field ${name} was added` });
    } else if (role === "signed-field") {
      ctx.record({ kind: "forbidden", code: "FORM_VALUE_CHANGED", objectNumber: ref.objectNumber, what: `signature field ${name} was added with a /V that is no signature of this revision` });
    } else if (hasVisibleWidget(ctx.after, field, visibleKids)) {
      ctx.record({ kind: "annotation", objectNumber: ref.objectNumber, what: `an unsigned signature field ${name} with a visible appearance was added` });
    } else {
      ctx.record({ kind: "signing", objectNumber: ref.objectNumber, what: `signature field ${name} was added` });
    }
  }
  const inline = (after?.size() ?? 0) - afterRefs.length;
  if (inline > 0) ctx.record({ kind: "forbidden", code: "FORM_VALUE_CHANGED", objectNumber, what: "the form's /Fields holds direct (non-reference) entries" });
}

/** Keys a filled-in field may change: its value, appearance state and appearance. */
const FILL_KEYS = new Set(["V", "AS", "AP"]);
/** Keys signing an empty signature field changes. */
const SIGN_KEYS = new Set(["V", "AP"]);

/** Judges a changed field dictionary by its role before the change. */
export function judgeField(ctx: RuleContext, objectNumber: number, role: ObjectRole, before: PDFDict, after: PDFDict | undefined): void {
  const name = `${role.label ?? `object ${objectNumber}`}${onPage(role.page)}`;
  const keys = changedKeys(before, after);
  if (!after) {
    ctx.record({ kind: "forbidden", code: role.role === "signed-field" ? "SIGNED_OBJECT_OVERRIDDEN" : "FORM_VALUE_CHANGED", objectNumber, what: `field ${name} (object ${objectNumber}) was deleted` });
  } else if (role.role === "signed-field") {
    ctx.record({ kind: "forbidden", code: "SIGNED_OBJECT_OVERRIDDEN", objectNumber, what: `signed signature field ${name} (object ${objectNumber}) was changed: ${keyList(keys)}` });
  } else if (role.role === "empty-sig-field") {
    const other = keys.filter((k) => !SIGN_KEYS.has(k));
    if (other.length === 0 && signedHere(ctx, after)) ctx.record({ kind: "signing", objectNumber, what: `empty signature field ${name} was signed` });
    else if (other.length === 0 && keys.includes("V")) ctx.record({ kind: "forbidden", code: "FORM_VALUE_CHANGED", objectNumber, what: `signature field ${name} (object ${objectNumber}) got a /V that is no signature of this revision` });
    else if (other.length === 0) ctx.record({ kind: "annotation", objectNumber, what: `the appearance of unsigned signature field ${name} (object ${objectNumber}) was changed` });
    else ctx.record({ kind: "forbidden", code: "FORM_VALUE_CHANGED", objectNumber, what: `signature field ${name} (object ${objectNumber}): ${keyList(other)} changed` });
  } else {
    const other = keys.filter((k) => !FILL_KEYS.has(k));
    if (other.length === 0) ctx.record({ kind: "form-fill", objectNumber, what: `the value of form field ${name} (object ${objectNumber}) was changed` });
    else ctx.record({ kind: "forbidden", code: "FORM_VALUE_CHANGED", objectNumber, what: `form field ${name} (object ${objectNumber}): ${keyList(other)} changed` });
  }
}

/**
 * Judges a changed part (appearance stream, /MK …) of an empty signature field or its widget
 * (`role.owner`): a new appearance is signing only when the field is signed in the same revision.
 */
export function judgeEmptySignaturePart(ctx: RuleContext, objectNumber: number, role: ObjectRole, what: string): void {
  const owner = role.owner === undefined ? undefined : ctx.after.dict(PDFRef.of(role.owner));
  const name = `${role.label ?? "?"}${onPage(role.page)}`;
  if (owner && signedHere(ctx, owner)) {
    ctx.record({ kind: "signing", objectNumber, what: `${what} of signature field ${name} was replaced as it was signed` });
  } else {
    ctx.record({ kind: "annotation", objectNumber, what: `${what} of unsigned signature field ${name} was changed` });
  }
}

/**
 * True when `field` (or, for a widget, the field above it) is signed in this revision: the first
 * /V up its /Parent chain names a signature dictionary of RuleContext.signaturesHere.
 */
function signedHere(ctx: RuleContext, field: PDFDict | undefined): boolean {
  const value = inherited(ctx.after, field, (node) => entry(node, "V"));
  return value instanceof PDFRef && ctx.signaturesHere.has(value.objectNumber);
}

/**
 * True when a signature field shows something: it, or one of its /Kids, is a widget with an
 * appearance (/AP with any of /N, /R, /D: a rollover or down appearance draws too), a /Rect of
 * non-zero area, and neither the Hidden nor the NoView flag. `kidsMemo` keeps the answer for a
 * /Kids array object by its number, so fields sharing one are not each read through it.
 */
function hasVisibleWidget(view: RevisionView, field: PDFDict | undefined, kidsMemo: Map<number, boolean>): boolean {
  if (isVisibleWidget(view, field)) return true;
  const kids = entry(field, "Kids");
  const known = kids instanceof PDFRef ? kidsMemo.get(kids.objectNumber) : undefined;
  if (known !== undefined) return known;
  const visible = refsIn(view.array(kids)).some((ref) => isVisibleWidget(view, view.dict(ref)));
  if (kids instanceof PDFRef) kidsMemo.set(kids.objectNumber, visible);
  return visible;
}

function isVisibleWidget(view: RevisionView, widget: PDFDict | undefined): boolean {
  const appearances = view.dict(entry(widget, "AP"));
  if (!widget || !["N", "R", "D"].some((state) => entry(appearances, state) !== undefined)) return false;
  const rect = (view.array(entry(widget, "Rect"))?.asArray() ?? []).map((v) => {
    const n = view.resolve(v);
    return n instanceof PDFNumber ? n.asNumber() : Number.NaN;
  });
  if (rect.length !== 4 || rect.some((n) => !Number.isFinite(n)) || rect[0] === rect[2] || rect[1] === rect[3]) return false;
  const flags = view.resolve(entry(widget, "F"));
  const hidden = flags instanceof PDFNumber && (flags.asNumber() & (2 | 32)) !== 0;
  return !hidden;
}

function label(view: RevisionView, ref: PDFRef): string {
  const name = fieldName(view.dict(ref));
  return name === undefined ? `object ${ref.objectNumber}` : `"${name}" (object ${ref.objectNumber})`;
}
