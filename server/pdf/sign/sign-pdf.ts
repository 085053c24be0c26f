// Adds one signature to any PDF as an incremental update: an appearance XObject, a signature
// field merged with its widget on the chosen page, the updated page (or its /Annots), AcroForm and
// catalog, and the signature dictionary, then the digest over /ByteRange and the CMS in /Contents.
// The original is read by the verifier's reader (pdf-input.ts); pdf-lib objects only model the
// changed ones, and every byte of the update is written by incremental-writer.ts.
import { PDFRef, PDFString } from "pdf-lib";
import { BadRequestError } from "../../errors";
import type { Signer } from "../../pki/signer";
import type { PageLeaf } from "../read/page-tree";
import { PdfReadError } from "../read/pdf-read-error";
import { buildAppearanceStream } from "./appearance";
import { addAnnotation, assertSigningPermitted, existingFieldNames, registerSignatureField } from "./form-update";
import { serializeObject, writeIncrementalUpdate, type UpdateObject } from "./incremental-writer";
import { readPdfForUpdate, type PdfForUpdate } from "./pdf-input";
import { readPageLayout, type PageLayout } from "./page-layout";
import { buildSignatureDict, DEFAULT_CONTENTS_BYTES, fillSignature } from "./signature-dict";

/** A visible signature: a box on the page and the content-stream operators drawn in it. */
export interface SignatureAppearance {
  /** Lower-left corner, in PDF points from the page's lower-left corner; default: bottom right. */
  x?: number;
  y?: number;
  /** Width and height of the box in points (a seal's box is square). */
  width: number;
  height: number;
  /** Content-stream operators drawing into [0 0 width height]. */
  operators: string;
}

/** Parameters of {@link signPdf}. */
export interface SignPdfParams {
  signer: Signer;
  /** 1-based page number the widget goes on. */
  page: number;
  /**
   * Omitted: an invisible signature (zero-size widget). A function is given the page's box and
   * the annotations already on it, to place (and size) the appearance around them.
   */
  appearance?: SignatureAppearance | ((layout: PageLayout) => SignatureAppearance);
  /** Field names are `<prefix><n>` with the first n not yet used in the document, e.g. Seal1. */
  fieldNamePrefix: string;
  reason?: string;
  /** Makes this a certification signature (DocMDP P 2); only for a document not yet signed. */
  certify: boolean;
  signingTime: Date;
  maxPdfBytes?: number;
  contentsBytes?: number;
}

/**
 * Signs `pdfBytes` and returns the new file; `pdfBytes` is a byte-for-byte prefix of it and is
 * never modified. Throws the PdfReadError codes of readPdfForUpdate (PDF_TOO_LARGE, PDF_NOT_PDF,
 * PDF_ENCRYPTED, PDF_TRUNCATED, PDF_MALFORMED, PDF_TOO_COMPLEX, PDF_WORK_LIMIT), BadRequestError
 * PAGE_OUT_OF_RANGE or SEAL_OUTSIDE_PAGE, ConflictError PDF_CERTIFIED_NO_CHANGES, ZeroSignError
 * SIGNATURE_TOO_LARGE.
 */
export async function signPdf(pdfBytes: Uint8Array, params: SignPdfParams): Promise<Uint8Array> {
  const pdf = await readPdfForUpdate(pdfBytes, params.maxPdfBytes);
  const { context, trailer } = pdf;
  assertSigningPermitted(pdf);

  const leaf = findPage(pdf, params.page);
  const pageRef = leaf.ref;
  const box = params.appearance ? placedBox(readPageLayout(pdf, leaf, params.page), params.appearance) : undefined;

  let next = trailer.size;
  const allocate = (): PDFRef => PDFRef.of(next++, 0);
  const apRef = allocate();
  const sigRef = allocate();
  const widgetRef = allocate();

  const rect = box ? [box.x, box.y, box.x + box.width, box.y + box.height] : [0, 0, 0, 0];
  const appearance = buildAppearanceStream(context, box?.width ?? 0, box?.height ?? 0, box?.operators ?? "");
  const fieldName = uniqueFieldName(existingFieldNames(pdf), params.fieldNamePrefix);
  const widget = context.obj({
    Type: "Annot",
    Subtype: "Widget",
    FT: "Sig",
    T: PDFString.of(fieldName),
    V: sigRef,
    // Print (4) + Locked (128): the seal prints and cannot be moved in a viewer.
    F: 132,
    P: pageRef,
    Rect: rect,
    AP: { N: apRef },
  });
  const sigDict = buildSignatureDict({
    signingTime: params.signingTime,
    reason: params.reason,
    certify: params.certify,
    contentsBytes: params.contentsBytes ?? DEFAULT_CONTENTS_BYTES,
  });

  const changed = [
    addAnnotation(pdf, pageRef, leaf.node, widgetRef),
    ...registerSignatureField(pdf, trailer.root, widgetRef, params.certify ? sigRef : undefined, allocate),
  ];
  const objects: UpdateObject[] = [
    { ref: apRef, body: serializeObject(appearance) },
    { ref: sigRef, body: sigDict.body },
    { ref: widgetRef, body: serializeObject(widget) },
    ...changed.map((c) => ({ ref: c.ref, body: serializeObject(c.object) })),
  ];
  const written = writeIncrementalUpdate(pdfBytes, trailer, objects, next);
  const sigOffset = written.bodyOffsets.get(sigRef.objectNumber) ?? 0;
  await fillSignature(written.bytes, sigOffset, sigDict, params.signer, params.signingTime);
  return written.bytes;
}

/** The page numbered `pageNumber` (1-based), as an indirect object the update can replace. */
function findPage(pdf: PdfForUpdate, pageNumber: number): PageLeaf & { ref: PDFRef } {
  const { pages } = pdf;
  const found = Number.isInteger(pageNumber) ? pages[pageNumber - 1] : undefined;
  if (!found) {
    throw new BadRequestError(
      "PAGE_OUT_OF_RANGE",
      `Page ${pageNumber} does not exist; the PDF has ${pages.length} page${pages.length === 1 ? "" : "s"}`,
    );
  }
  const { ref } = found;
  // A page tree's /Kids must be references (ISO 32000-1 §7.7.3.2); a direct page has no number to replace.
  if (!ref) throw malformed(`page ${pageNumber} is not an indirect object`);
  return { ...found, ref };
}

/** Margin of the default seal position from the page's bottom-right corner (about 20 mm). */
const DEFAULT_MARGIN_PT = 56;

/** Resolves the appearance and its default position and checks that the box lies inside the page's MediaBox. */
function placedBox(layout: PageLayout, given: NonNullable<SignPdfParams["appearance"]>): SignatureAppearance & { x: number; y: number } {
  const appearance = typeof given === "function" ? given(layout) : given;
  const { x0, y0, x1, y1 } = layout.mediaBox;
  const { width, height } = appearance;
  // The default corner keeps the usual margin, shrunk on a page too small for it (a receipt-size
  // page), so a seal that fits the page is placed inside it rather than refused.
  const margin = (extent: number, side: number) => Math.min(DEFAULT_MARGIN_PT, Math.max(0, (extent - side) / 2));
  const box = {
    ...appearance,
    x: appearance.x ?? x1 - width - margin(x1 - x0, width),
    y: appearance.y ?? y0 + margin(y1 - y0, height),
  };
  const ok =
    [box.x, box.y, width, height].every(Number.isFinite) &&
    width > 0 &&
    height > 0 &&
    box.x >= x0 &&
    box.y >= y0 &&
    box.x + width <= x1 &&
    box.y + height <= y1;
  if (!ok) {
    const size = width === height ? `size ${width}` : `size ${width} × ${height}`;
    throw new BadRequestError(
      "SEAL_OUTSIDE_PAGE",
      `The seal box (x ${box.x}, y ${box.y}, ${size}) is not inside the page [${x0} ${y0} ${x1} ${y1}]`,
    );
  }
  return box;
}

function uniqueFieldName(existing: Set<string>, prefix: string): string {
  let n = 1;
  while (existing.has(`${prefix}${n}`)) n++;
  return `${prefix}${n}`;
}

function malformed(detail: string): PdfReadError {
  return new PdfReadError("PDF_MALFORMED", `The PDF's structure is broken: ${detail}.`);
}
