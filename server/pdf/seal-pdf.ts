// Seal an existing PDF (盖章): the department's visible seal on a chosen page and position, bound to
// a signature by the department's seal key, appended as an incremental update so the original
// bytes, and any signatures already in them, stay as they were.
import type { Signer } from "../pki/signer";
import type { LoadedFont } from "./fonts";
import { drawSealOperators } from "./seal-appearance";
import { signPdf } from "./sign/sign-pdf";

/** Diameter of a 42 mm official round seal, in points. */
export const DEFAULT_SEAL_SIZE_PT = 119;

/** Parameters of {@link sealPdf}. */
export interface SealPdfParams {
  /** The department's seal key. */
  signer: Signer;
  /** Name lettered along the seal's arc, e.g. 市场监督管理局. */
  sealName: string;
  /** Font whose outlines letter the seal (the bold certificate font). */
  sealFont: LoadedFont;
  /** 1-based page number. */
  page: number;
  /** Lower-left corner of the seal in points; default: bottom right of the page. */
  x?: number;
  y?: number;
  /** Seal diameter in points; default {@link DEFAULT_SEAL_SIZE_PT}. */
  size?: number;
  signingTime: Date;
  /** Makes the seal a certification signature (DocMDP P 2); for documents not yet signed. */
  certify?: boolean;
  maxPdfBytes?: number;
}

/**
 * Stamps and signs `pdfBytes`; returns the new file, of which `pdfBytes` is an unchanged prefix.
 * Throws the typed errors of {@link signPdf} (PDF_NOT_PDF, PDF_TRUNCATED, PDF_MALFORMED,
 * PDF_ENCRYPTED, PDF_TOO_LARGE, PDF_TOO_COMPLEX, PDF_WORK_LIMIT, PAGE_OUT_OF_RANGE,
 * SEAL_OUTSIDE_PAGE, PDF_CERTIFIED_NO_CHANGES).
 */
export async function sealPdf(pdfBytes: Uint8Array, params: SealPdfParams): Promise<Uint8Array> {
  const size = params.size ?? DEFAULT_SEAL_SIZE_PT;
  return signPdf(pdfBytes, {
    signer: params.signer,
    page: params.page,
    appearance: {
      x: params.x,
      y: params.y,
      width: size,
      height: size,
      operators: drawSealOperators({ name: params.sealName, diameterPt: size, font: params.sealFont, label: "电子印章" }),
    },
    fieldNamePrefix: "Seal",
    reason: `${params.sealName} 电子印章`,
    certify: params.certify ?? false,
    signingTime: params.signingTime,
    maxPdfBytes: params.maxPdfBytes,
  });
}
