// Reads what a new signature field has to change in an existing document: the page's /Annots,
// the AcroForm (/Fields, /SigFlags) and, for a certification, the catalog's /Perms. Each changed
// object is cloned and returned for the incremental update; the loaded originals stay untouched.
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFHexString, PDFString, PDFRef, type PDFContext } from "pdf-lib";
import { ConflictError } from "../../errors";

/** A replaced or new object of the update, still as a pdf-lib object. */
export interface ChangedObject {
  ref: PDFRef;
  object: PDFDict | PDFArray;
}

/** Adds `widgetRef` to the page's /Annots; returns the page or its /Annots array, changed. */
export function addAnnotation(context: PDFContext, pageRef: PDFRef, page: PDFDict, widgetRef: PDFRef): ChangedObject {
  const raw = page.get(PDFName.of("Annots"));
  if (raw instanceof PDFRef) {
    const annots = context.lookup(raw);
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
export function existingFieldNames(context: PDFContext, catalog: PDFDict): Set<string> {
  const names = new Set<string>();
  const fields = acroForm(context, catalog)?.lookupMaybe(PDFName.of("Fields"), PDFArray);
  for (const item of fields?.asArray() ?? []) {
    const field = context.lookupMaybe(item, PDFDict);
    const t = field?.get(PDFName.of("T"));
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
  context: PDFContext,
  rootRef: PDFRef,
  catalog: PDFDict,
  fieldRef: PDFRef,
  certifyWith: PDFRef | undefined,
  allocate: () => PDFRef,
): ChangedObject[] {
  const raw = catalog.get(PDFName.of("AcroForm"));
  const current = acroForm(context, catalog);
  const form = current ? current.clone(context) : context.obj({});
  const fields = current?.lookupMaybe(PDFName.of("Fields"), PDFArray)?.clone(context) ?? context.obj([]);
  fields.push(fieldRef);
  form.set(PDFName.of("Fields"), fields);
  const flags = current?.lookupMaybe(PDFName.of("SigFlags"), PDFNumber)?.asNumber() ?? 0;
  form.set(PDFName.of("SigFlags"), PDFNumber.of(flags | 3));

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
    const perms = catalog.lookupMaybe(PDFName.of("Perms"), PDFDict)?.clone(context) ?? context.obj({});
    perms.set(PDFName.of("DocMDP"), certifyWith);
    newCatalog.set(PDFName.of("Perms"), perms);
  }
  if (newCatalog) changed.push({ ref: rootRef, object: newCatalog });
  return changed;
}

/**
 * Refuses a document certified with DocMDP P 1 (no changes at all): a new signature would break
 * the certification. P 2 and P 3 allow signing.
 */
export function assertSigningPermitted(context: PDFContext, catalog: PDFDict): void {
  const sig = catalog.lookupMaybe(PDFName.of("Perms"), PDFDict)?.lookupMaybe(PDFName.of("DocMDP"), PDFDict);
  const refs = sig?.lookupMaybe(PDFName.of("Reference"), PDFArray)?.asArray() ?? [];
  for (const item of refs) {
    const params = context.lookupMaybe(item, PDFDict)?.lookupMaybe(PDFName.of("TransformParams"), PDFDict);
    if (params?.lookupMaybe(PDFName.of("P"), PDFNumber)?.asNumber() === 1) {
      throw new ConflictError("PDF_CERTIFIED_NO_CHANGES", "The PDF is certified with no changes permitted; it cannot be signed again");
    }
  }
}

function acroForm(context: PDFContext, catalog: PDFDict): PDFDict | undefined {
  return context.lookupMaybe(catalog.get(PDFName.of("AcroForm")), PDFDict);
}
