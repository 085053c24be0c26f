// What each object of a revision is for: the catalog, the page tree, what a page draws, its
// annotations, the form's fields and signatures, DSS, metadata. A change to an object is judged by
// its role in the revision before the change (pyHanko's diff_analysis does the same), so a font or
// XObject replaced under a signed page is caught even though the page dictionary never changed.
import { PDFArray, PDFDict, PDFHexString, PDFRawStream, PDFRef, PDFString, type PDFObject } from "../../pdf/read/pdf-objects";
import { entry, nameEntry, refsIn, type RevisionView } from "./pdf-values";

export type RoleName =
  | "catalog"
  | "page-tree"
  | "page"
  | "page-content"
  | "annots"
  | "annotation"
  | "annotation-part"
  | "acroform"
  | "fields"
  | "field"
  | "field-part"
  | "form-resources"
  | "empty-sig-field"
  | "empty-sig-part"
  | "signed-field"
  | "signature"
  | "signed-part"
  | "dss"
  | "metadata"
  | "catalog-part";

/** An object's role, with the 1-based page it belongs to when it belongs to one. */
export interface ObjectRole {
  role: RoleName;
  page?: number;
  /** e.g. the field name, for reasons. */
  label?: string;
  /** For a part (appearance, …) of a field or widget: that field's or widget's object number. */
  owner?: number;
}

/** Upper bound on objects visited, so a hostile graph cannot keep the verifier busy. */
const MAX_VISITS = 200_000;

/**
 * Assigns a role to every object reachable from revision `view`'s trailer, in priority order
 * (page content before annotations before form before DSS…); the first role found wins. Stops
 * early once every object in `wanted` has a role.
 */
export function assignRoles(view: RevisionView, wanted: ReadonlySet<number>): Map<number, ObjectRole> {
  const roles = new Map<number, ObjectRole>();
  let visits = 0;
  const done = (): boolean => [...wanted].every((n) => roles.has(n));

  /**
   * Gives `ref` the role unless it has one; true when newly assigned. Does not parse the object:
   * a signature dictionary (kilobytes of /Contents) is claimed without ever being read.
   */
  const claim = (ref: PDFObject | undefined, role: ObjectRole): boolean => {
    if (!(ref instanceof PDFRef) || roles.has(ref.objectNumber)) return false;
    if (++visits > MAX_VISITS) return false;
    roles.set(ref.objectNumber, role);
    return true;
  };

  /** Claims every object reachable from `value` for `role`, skipping `skip` keys of dictionaries. */
  const walk = (value: PDFObject | undefined, role: ObjectRole, skip: ReadonlySet<string> = NO_SKIP, depth = 0): void => {
    if (value === undefined || depth > 48) return;
    if (value instanceof PDFRef) {
      if (claim(value, role)) walk(view.resolve(value), role, skip, depth + 1);
    } else if (value instanceof PDFArray) {
      for (const v of value.asArray()) walk(v, role, skip, depth + 1);
    } else if (value instanceof PDFDict || value instanceof PDFRawStream) {
      const dict = value instanceof PDFRawStream ? value.dict : value;
      for (const [k, v] of dict.entries()) if (!skip.has(k.decodeText())) walk(v, role, skip, depth + 1);
    }
  };

  const trailer = view.objects.trailer(view.index);
  const rootRef = entry(trailer, "Root");
  claim(rootRef, { role: "catalog" });
  const catalog = view.dict(rootRef);

  // Page tree and pages. A node that cannot be claimed (the visit bound is spent) is not entered:
  // nothing under it could be claimed either, and a page tree DAG would be walked path by path.
  const pages: { dict: PDFDict; page?: number }[] = [];
  let pageCount = 0;
  const visitTree = (ref: PDFObject | undefined, depth: number): void => {
    if (depth > 32 || !(ref instanceof PDFRef) || roles.has(ref.objectNumber)) return;
    const node = view.dict(view.resolve(ref));
    if (!node) return;
    if (nameEntry(node, "Type") === "Pages" || entry(node, "Kids")) {
      if (!claim(ref, { role: "page-tree" })) return;
      pages.push({ dict: node });
      for (const kid of refsIn(view.array(entry(node, "Kids")))) visitTree(kid, depth + 1);
    } else {
      if (!claim(ref, { role: "page", page: pageCount + 1 })) return;
      pageCount++;
      pages.push({ dict: node, page: pageCount });
    }
  };
  visitTree(entry(catalog, "Pages"), 0);
  for (const p of pages) walk(p.dict, { role: "page-content", page: p.page }, PAGE_SKIP);
  if (done()) return roles;

  // Annotations, by page. An /Annots array object or an annotation met again (pages may share
  // them) is not walked again: the first walk claimed all it could, so a second claims nothing,
  // while walking every page's shared array cost pages × annotations.
  const annotsWalked = new Set<number>();
  const annotationsWalked = new Set<number>();
  for (const p of pages) {
    if (p.page === undefined) continue;
    const annotsValue = entry(p.dict, "Annots");
    claim(annotsValue, { role: "annots", page: p.page });
    if (annotsValue instanceof PDFRef) {
      if (annotsWalked.has(annotsValue.objectNumber)) continue;
      annotsWalked.add(annotsValue.objectNumber);
    }
    for (const ref of refsIn(view.array(annotsValue))) {
      if (annotationsWalked.has(ref.objectNumber)) continue;
      annotationsWalked.add(ref.objectNumber);
      const annot = view.dict(ref);
      const kind = annotationRole(view, annot);
      const label = fieldName(annot);
      claim(ref, { role: kind, page: p.page, label });
      walkParts(annot, kind, p.page, label, ref.objectNumber);
    }
  }
  if (done()) return roles;

  // The form: fields (with kids), their values and appearances, default resources. A field (or
  // a /Kids array object) met again no shallower than before is not visited again: in a tree that
  // never happens, and in a DAG the first visit did all a later one would, while visiting it per
  // path cost 2^depth (a 2 KB file of fields whose /Kids name one child twice ran for hours).
  const fieldDepth = new Map<number, number>();
  const kidsDepth = new Map<number, number>();
  const firstVisit = (seen: Map<number, number>, objectNumber: number, depth: number): boolean => {
    const before = seen.get(objectNumber);
    if (before !== undefined && before <= depth) return false;
    seen.set(objectNumber, depth);
    return true;
  };
  const formValue = entry(catalog, "AcroForm");
  claim(formValue, { role: "acroform" });
  const form = view.dict(formValue);
  claim(entry(form, "Fields"), { role: "fields" });
  const visitField = (ref: PDFRef, depth: number): void => {
    if (depth > 32 || !firstVisit(fieldDepth, ref.objectNumber, depth)) return;
    const field = view.dict(ref);
    const kind = fieldRole(view, field);
    const label = fieldName(field);
    claim(ref, { role: kind, label });
    walkParts(field, kind, undefined, label, ref.objectNumber);
    const kids = entry(field, "Kids");
    if (kids instanceof PDFRef && !firstVisit(kidsDepth, kids.objectNumber, depth)) return;
    for (const kid of refsIn(view.array(kids))) visitField(kid, depth + 1);
  };
  for (const ref of refsIn(view.array(entry(form, "Fields")))) visitField(ref, 0);
  walk(entry(form, "DR"), { role: "form-resources" });
  if (done()) return roles;

  walk(entry(catalog, "DSS"), { role: "dss" });
  walk(entry(trailer, "Info"), { role: "metadata" });
  walk(entry(catalog, "Metadata"), { role: "metadata" });
  if (done()) return roles;
  walk(catalog, { role: "catalog-part" }, CATALOG_SKIP);
  return roles;

  /** The appearance, value and other parts of an annotation or field (object `owner`), by its role. */
  function walkParts(dict: PDFDict | undefined, kind: RoleName, page: number | undefined, label: string | undefined, owner: number): void {
    if (kind === "signed-field") {
      claim(entry(dict, "V"), { role: "signature", page, label });
      walk(dict, { role: "signed-part", page, label }, PART_SKIP);
    } else if (kind === "empty-sig-field") {
      walk(dict, { role: "empty-sig-part", page, label, owner }, PART_SKIP);
    } else if (kind === "annotation") {
      walk(dict, { role: "annotation-part", page }, PART_SKIP);
    } else {
      walk(dict, { role: "field-part", page, label }, PART_SKIP);
    }
  }
}

const NO_SKIP = new Set<string>();
/** Keys of page and page-tree dictionaries that do not draw the page (links up, annotations). */
const PAGE_SKIP = new Set(["Parent", "Kids", "Annots", "B", "StructParents", "Metadata", "PieceInfo"]);
/** Keys of annotations and fields that lead to other objects with roles of their own. */
const PART_SKIP = new Set(["P", "Parent", "Kids", "V", "IRT", "Popup"]);
/** Catalog keys with roles of their own; whatever else it reaches is catalog-part. */
const CATALOG_SKIP = new Set(["Pages", "AcroForm", "DSS", "Metadata"]);

/** The role of an annotation: a signature field's widget (signed or not), a form widget, or other. */
export function annotationRole(view: RevisionView, annot: PDFDict | undefined): RoleName {
  if (nameEntry(annot, "Subtype") !== "Widget") return "annotation";
  return fieldRole(view, annot);
}

/** The role of a field dictionary, following /Parent for an inherited /FT and /V. */
export function fieldRole(view: RevisionView, field: PDFDict | undefined): RoleName {
  if (inherited(view, field, (node) => nameEntry(node, "FT")) !== "Sig") return "field";
  return inherited(view, field, (node) => entry(node, "V")) === undefined ? "empty-sig-field" : "signed-field";
}

/**
 * The first defined `read(node)` from `field` up its /Parent chain (at most 32 levels): how a
 * field inherits /FT, /V and the other inheritable entries (ISO 32000-1 §12.7.3.1).
 */
export function inherited<T>(view: RevisionView, field: PDFDict | undefined, read: (node: PDFDict) => T | undefined): T | undefined {
  let node = field;
  for (let i = 0; node && i < 32; i++) {
    const value = read(node);
    if (value !== undefined) return value;
    node = view.dict(entry(node, "Parent"));
  }
  return undefined;
}

/** A field's partial name (/T) as text, when it has one. */
export function fieldName(field: PDFDict | undefined): string | undefined {
  const t = entry(field, "T");
  return t instanceof PDFString || t instanceof PDFHexString ? t.decodeText() : undefined;
}
