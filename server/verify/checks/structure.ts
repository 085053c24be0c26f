// The structure check: the file was read (a file that cannot be read never reaches the checks; it
// gets an error report), it carries at least one signature, and every signature dictionary is
// usable as one. It stops forged dictionaries whose /Contents no /ByteRange can exclude: inside
// an object stream, not a direct hex string, or stated twice so that readers disagree.
import type { SignatureDictDefect } from "../../pdf/read/types";
import { checkResult } from "../check-result";
import type { Check } from "../context";

const DEFECT_REASON: Record<SignatureDictDefect, string> = {
  "in-object-stream": "A signature dictionary is stored inside an object stream, where no byte range can exclude its value.",
  "contents-not-hex-string": "A signature dictionary's /Contents is not a hexadecimal string.",
  "duplicate-key": "A signature dictionary states /Contents or /ByteRange twice.",
};

/** The structure check: signatures present and every signature dictionary well formed. */
export const structureCheck: Check = {
  id: "structure",
  needsChain: false,
  async run(ctx) {
    const { signatures, revisions, pageCount } = ctx.pdf;
    const data = { revisions: revisions.length, pages: pageCount, signatures: signatures.length };
    if (signatures.length === 0) return checkResult("structure", "unknown", "NO_SIGNATURES", { data });
    const defective = signatures.filter((s) => s.defect !== undefined);
    if (defective.length === 0) return checkResult("structure", "valid", undefined, { data });
    return defective.map((s) =>
      checkResult("structure", "invalid", "SIGNATURE_DICT_MALFORMED", {
        signature: s.index,
        reason: s.defect ? DEFECT_REASON[s.defect] : undefined,
        data: { defect: s.defect },
      }),
    );
  },
};
