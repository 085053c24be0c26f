// Reads what a new signature field has to change in an existing document: the page's /Annots,
// the AcroForm (/Fields, /SigFlags) and, for a certification, the catalog's /Perms. Every
// reference is resolved through the reader (as the newest revision sees it); each changed object
// is cloned and returned for the incremental update, and the read originals stay untouched.
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFHexString, PDFString, PDFRef } from "pdf-lib";
import { ConflictError } from "../../errors";
import type { PdfForUpdate } from "./pdf-input";

/** A replaced or new object of the update, still as a pdf-lib object. */
export interface ChangedObject {
  ref: PDFRef;
  object: PDFDict | PDFArray;
}

/** What the form changes read from the opened file. */
export type FormSource = Pick<PdfForUpdate, "context" | "catalog" | "resolve">;

/** Adds `widgetRef` to the page's /Annots; returns the page or its /Annots array, changed. */
export function addAnnotation(pdf: FormSource, pageRef: PDFRef, page: PDFDict, widgetRef: PDFRef): ChangedObject {
  const { context } = pdf;
  const raw = page.get(PDFName.of("Annots"));
  if (raw instanceof PDFRef) {
    const annots = pdf.resolve(raw);
    if (annots instanceof PDFArray) {
      const copy = annots.clone(context);
      copy.push(widgetRef);
      return { ref: raw, object: copy };
    }
  }
  const copy = page.clone(context);
  const annots = raw instanceof PDFArray ? raw.clone(context) : context.obj([]);
  annots.push(widgetRef);
  copy.set(PDFName.of("Annots"), annots);
  return { ref: pageRef, object: copy };
}

/** The names of the AcroForm's top-level fields, to pick a new unique one. */
export function existingFieldNames(pdf: FormSource): Set<string> {
  const names = new Set<string>();
  for (const item of formFields(pdf)?.asArray() ?? []) {
    const field = pdf.resolve(item);
    const t = field instanceof PDFDict ? pdf.resolve(field.get(PDFName.of("T"))) : undefined;
    if (t instanceof PDFString || t instanceof PDFHexString) names.add(t.decodeText());
  }
  return names;
}

/**
 * Registers `fieldRef` in the AcroForm with SigFlags 3 (signatures exist, append only) and, when
 * `certifyWith` is given, points the catalog's /Perms /DocMDP at that signature dictionary.
 * `allocate` hands out a new object number if the document has no AcroForm object yet.
 */
export function registerSignatureField(
  pdf: FormSource,
  rootRef: PDFRef,
  fieldRef: PDFRef,
  certifyWith: PDFRef | undefined,
  allocate: () => PDFRef,
): ChangedObject[] {
  const { context, catalog } = pdf;
  const raw = catalog.get(PDFName.of("AcroForm"));
  const current = acroForm(pdf);
  const form = current ? current.clone(context) : context.obj({});
  const fields = formFields(pdf)?.clone(context) ?? context.obj([]);
  fields.push(fieldRef);
  form.set(PDFName.of("Fields"), fields);
  const flags = current ? pdf.resolve(current.get(PDFName.of("SigFlags"))) : undefined;
  form.set(PDFName.of("SigFlags"), PDFNumber.of((flags instanceof PDFNumber ? flags.asNumber() : 0) | 3));

  const changed: ChangedObject[] = [];
  let newCatalog: PDFDict | undefined;
  if (raw instanceof PDFRef) {
    changed.push({ ref: raw, object: form });
  } else {
    newCatalog = catalog.clone(context);
    if (raw instanceof PDFDict) {
      newCatalog.set(PDFName.of("AcroForm"), form);
    } else {
      const formRef = allocate();
      changed.push({ ref: formRef, object: form });
      newCatalog.set(PDFName.of("AcroForm"), formRef);
    }
  }
  if (certifyWith) {
    newCatalog = newCatalog ?? catalog.clone(context);
    const oldPerms = pdf.resolve(catalog.get(PDFName.of("Perms")));
    const perms = oldPerms instanceof PDFDict ? oldPerms.clone(context) : context.obj({});
    perms.set(PDFName.of("DocMDP"), certifyWith);
    newCatalog.set(PDFName.of("Perms"), perms);
  }
  if (newCatalog) changed.push({ ref: rootRef, object: newCatalog });
  return changed;
}

/**
 * Refuses a document certified with DocMDP P 1 (no changes at all): a new signature would break
 * the certification. P 2 and P 3 allow signing. Any /Reference entry with P 1 counts, whatever
 * its /TransformMethod says: refusing is the side that cannot break a signature.
 */
export function assertSigningPermitted(pdf: FormSource): void {
  const perms = pdf.resolve(pdf.catalog.get(PDFName.of("Perms")));
  const sig = perms instanceof PDFDict ? pdf.resolve(perms.get(PDFName.of("DocMDP"))) : undefined;
  const refs = sig instanceof PDFDict ? pdf.resolve(sig.get(PDFName.of("Reference"))) : undefined;
  for (const item of refs instanceof PDFArray ? refs.asArray() : []) {
    const ref = pdf.resolve(item);
    const params = ref instanceof PDFDict ? pdf.resolve(ref.get(PDFName.of("TransformParams"))) : undefined;
    const p = params instanceof PDFDict ? pdf.resolve(params.get(PDFName.of("P"))) : undefined;
    if (p instanceof PDFNumber && p.asNumber() === 1) {
      throw new ConflictError("PDF_CERTIFIED_NO_CHANGES", "The PDF is certified with no changes permitted; it cannot be signed again");
    }
  }
}

function acroForm(pdf: FormSource): PDFDict | undefined {
  const form = pdf.resolve(pdf.catalog.get(PDFName.of("AcroForm")));
  return form instanceof PDFDict ? form : undefined;
}

function formFields(pdf: FormSource): PDFArray | undefined {
  const form = acroForm(pdf);
  const fields = form ? pdf.resolve(form.get(PDFName.of("Fields"))) : undefined;
  return fields instanceof PDFArray ? fields : undefined;
}
