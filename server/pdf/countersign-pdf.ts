// Countersign (签两次): a second signer, e.g. the chief representative, adds an invisible signature
// in its own uniquely named field as a further incremental update; earlier signatures keep their
// byte ranges and stay valid.
import type { SigningRole } from "../pki/dev-pki";
import type { Signer } from "../pki/signer";
import { signPdf } from "./sign/sign-pdf";

const ROLE_FIELD: Record<SigningRole, { prefix: string; reason: string }> = {
  staff: { prefix: "Staff", reason: "派驻工作人员签署" },
  chief: { prefix: "Chief", reason: "首席代表签署" },
  seal: { prefix: "Seal", reason: "电子印章" },
};

/** Parameters of {@link countersignPdf}. */
export interface CountersignPdfParams {
  signer: Signer;
  /** The signer's role; names the field (Chief1, Staff1…) and the /Reason. */
  role: SigningRole;
  signingTime: Date;
  maxPdfBytes?: number;
}

/**
 * Adds an invisible signature by `signer` to `pdfBytes` (any PDF, usually one already sealed) and
 * returns the new file. Throws the typed errors of {@link signPdf}.
 */
export async function countersignPdf(pdfBytes: Uint8Array, params: CountersignPdfParams): Promise<Uint8Array> {
  const field = ROLE_FIELD[params.role];
  return signPdf(pdfBytes, {
    signer: params.signer,
    page: 1,
    fieldNamePrefix: field.prefix,
    reason: field.reason,
    certify: false,
    signingTime: params.signingTime,
    maxPdfBytes: params.maxPdfBytes,
  });
}
