// Countersign (签两次): a second signer, e.g. the chief representative, adds a signature in its own
// uniquely named field as a further incremental update, shown as a block beside the seal (role,
// department, key, time); earlier signatures keep their byte ranges and stay valid.
import type { Signer } from "../pki/signer";
import { COUNTERSIGN_BLOCK, drawCountersignBlockOperators } from "./countersign-block";
import { placeCountersignBlock, type CountersignRole } from "./countersign-rule";
import type { LoadedFont } from "./fonts";
import { signPdf } from "./sign/sign-pdf";

const ROLE_FIELD: Record<CountersignRole, { prefix: string; reason: string }> = {
  staff: { prefix: "Staff", reason: "派驻工作人员签署" },
  chief: { prefix: "Chief", reason: "首席代表签署" },
};

/** Parameters of {@link countersignPdf}. */
export interface CountersignPdfParams {
  signer: Signer;
  /** The signer's role; names the field (Chief1, Staff1…), the /Reason and the block's title. */
  role: CountersignRole;
  /** The signer's department, shown in the block, e.g. 市场监督管理局. */
  departmentName: string;
  /** The font the block is lettered with (the regular certificate font). */
  font: LoadedFont;
  signingTime: Date;
  maxPdfBytes?: number;
}

/**
 * Adds a signature by `signer` to `pdfBytes` (any PDF, usually one already sealed), shown as a
 * block placed by {@link placeCountersignBlock} next to the marks already on the page, and returns
 * the new file. Throws the typed errors of {@link signPdf} and BadRequestError COUNTERSIGN_NO_ROOM.
 */
export async function countersignPdf(pdfBytes: Uint8Array, params: CountersignPdfParams): Promise<Uint8Array> {
  const field = ROLE_FIELD[params.role];
  return signPdf(pdfBytes, {
    signer: params.signer,
    // Page 1: where a certificate's seal is, and where a reader of a printout looks for the signatures.
    page: 1,
    appearance: (layout) => {
      const { x, y, scale } = placeCountersignBlock(layout, COUNTERSIGN_BLOCK);
      const operators = drawCountersignBlockOperators({
        role: params.role,
        departmentName: params.departmentName,
        keyId: params.signer.keyId,
        signingTime: params.signingTime,
        font: params.font,
        scale,
      });
      return { x, y, width: COUNTERSIGN_BLOCK.width * scale, height: COUNTERSIGN_BLOCK.height * scale, operators };
    },
    fieldNamePrefix: field.prefix,
    reason: field.reason,
    certify: false,
    signingTime: params.signingTime,
    maxPdfBytes: params.maxPdfBytes,
  });
}
