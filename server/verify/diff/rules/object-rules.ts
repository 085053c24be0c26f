// The dispatcher: a changed or deleted object of the earlier revision is judged by the rule for
// its role there. Objects with no role that still change (unreachable bodies a later xref section
// points somewhere else, or staged objects) are reported as overridden: nothing may redefine
// what the signer signed, whether or not a reader shows it today.
import { PDFArray, PDFDict, PDFRawStream, type PDFObject } from "../../../pdf/read/pdf-objects";
import { onPage, type RuleContext } from "../change";
import { changedKeys, entry, keyList, nameEntry } from "../pdf-values";
import type { ObjectRole } from "../roles";
import { judgeCatalog } from "./catalog-rules";
import { judgeEmptySignaturePart, judgeField, judgeFieldList, judgeForm } from "./form-rules";
import { judgeAnnots, judgePage } from "./page-rules";

/**
 * Judges object `objectNumber`, whose value went from `before` to `after` (undefined: deleted).
 * `role` is its role in the earlier revision, undefined when nothing reached it.
 */
export function judgeObject(
  ctx: RuleContext,
  objectNumber: number,
  role: ObjectRole | undefined,
  before: PDFObject,
  after: PDFObject | undefined,
): void {
  const changed = after === undefined ? "was deleted" : "was changed";
  const what = `${describe(before)} (object ${objectNumber})`;
  const asDict = (v: PDFObject | undefined): PDFDict | undefined => (v instanceof PDFDict ? v : undefined);
  const asArray = (v: PDFObject | undefined): PDFArray | undefined => (v instanceof PDFArray ? v : undefined);
  switch (role?.role) {
    case "catalog":
      if (before instanceof PDFDict) return judgeCatalog(ctx, objectNumber, before, after);
      break;
    case "page-tree":
      return ctx.record({ kind: "forbidden", code: "PAGE_CONTENT_CHANGED", objectNumber, what: `the page tree node (object ${objectNumber}) ${changed}${keysOf(before, after)}` });
    case "page":
      if (before instanceof PDFDict) return judgePage(ctx, objectNumber, role.page, before, asDict(after));
      break;
    case "page-content":
      return ctx.record({ kind: "forbidden", code: "PAGE_CONTENT_CHANGED", objectNumber, what: `${what}, drawn by ${role.page === undefined ? "the pages" : `page ${role.page}`}, ${changed}` });
    case "annots":
      return judgeAnnots(ctx, role.page, asArray(before), asArray(after), objectNumber);
    case "annotation":
    case "annotation-part":
      return ctx.record({ kind: "annotation", objectNumber, what: `${what}${onPage(role.page)} ${changed}` });
    case "acroform":
      return judgeForm(ctx, asDict(before), asDict(after), objectNumber);
    case "fields":
      return judgeFieldList(ctx, asArray(before), asArray(after), objectNumber);
    case "field":
    case "empty-sig-field":
    case "signed-field":
      if (before instanceof PDFDict) return judgeField(ctx, objectNumber, role, before, asDict(after));
      break;
    case "empty-sig-part":
      return judgeEmptySignaturePart(ctx, objectNumber, role, what);
    case "field-part":
      return ctx.record({ kind: "form-fill", objectNumber, what: `${what} of form field ${role.label ?? "?"} ${changed}` });
    case "form-resources":
      return ctx.record({ kind: "forbidden", code: "FORM_VALUE_CHANGED", objectNumber, what: `${what} in the form's default resources ${changed}` });
    case "signature":
      return ctx.record({ kind: "forbidden", code: "SIGNED_OBJECT_OVERRIDDEN", objectNumber, what: `the signature dictionary of ${role.label ?? "a signature"} (object ${objectNumber}) ${changed}` });
    case "signed-part":
      return ctx.record({ kind: "forbidden", code: "SIGNED_OBJECT_OVERRIDDEN", objectNumber, what: `${what} of signed field ${role.label ?? "?"} ${changed}` });
    case "dss":
      return ctx.record({ kind: "dss", objectNumber, what: `DSS data (object ${objectNumber}) ${changed}` });
    case "metadata":
      return ctx.record({ kind: "metadata", objectNumber, what: `document metadata (object ${objectNumber}) ${changed}` });
    case "catalog-part":
      return ctx.record({ kind: "forbidden", code: "CATALOG_CHANGED", objectNumber, what: `${what}, reached from the catalog, ${changed}` });
    case undefined:
      // Object and xref streams are containers: their members are compared one by one.
      if (before instanceof PDFRawStream && ["ObjStm", "XRef"].includes(nameEntry(before.dict, "Type") ?? "")) return;
      break;
  }
  ctx.record({ kind: "forbidden", code: "SIGNED_OBJECT_OVERRIDDEN", objectNumber, what: `${what} of the signed revision ${changed}` });
}

/** A short name for what an object is, for reasons: "content stream", "font", "image XObject"… */
export function describe(value: PDFObject): string {
  const dict = value instanceof PDFRawStream ? value.dict : value instanceof PDFDict ? value : undefined;
  const type = nameEntry(dict, "Type");
  const subtype = nameEntry(dict, "Subtype");
  if (subtype === "Image") return "image XObject";
  if (subtype === "Form") return "form XObject";
  if (type === "Font" || type === "FontDescriptor") return "font";
  if (entry(dict, "Length1") || subtype === "OpenType" || subtype === "CIDFontType0C" || subtype === "Type1C") return "font program";
  if (type === "Annot" || (subtype && entry(dict, "Rect"))) return `/${subtype ?? "untyped"} annotation`;
  if (type) return `/${type} object`;
  if (value instanceof PDFRawStream) return "content stream";
  if (entry(dict, "Font") || entry(dict, "XObject") || entry(dict, "ProcSet") || entry(dict, "ExtGState")) return "resources dictionary";
  if (value instanceof PDFArray) return "array";
  return "object";
}

function keysOf(before: PDFObject, after: PDFObject | undefined): string {
  if (!(before instanceof PDFDict) || !(after instanceof PDFDict)) return "";
  return `: ${keyList(changedKeys(before, after))}`;
}
