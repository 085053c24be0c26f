// The checks the verifier runs, in order: each may read the results of those before it
// (ctx.earlier). Adding a check is one line here; report.ts decides which ones are required.
import type { Check } from "../context";
import { anchorCheck } from "./anchor";
import { byteRangeCheck } from "./byte-range";
import { modificationsCheck } from "./modifications";
import { revocationCheck } from "./revocation";
import { signatureIntegrityCheck } from "./signature-integrity";
import { signerKeyCheck } from "./signer-key";
import { structureCheck } from "./structure";

/** Every check, in the order the verifier runs them. */
export const CHECKS: readonly Check[] = [
  structureCheck,
  byteRangeCheck,
  signatureIntegrityCheck,
  modificationsCheck,
  anchorCheck,
  signerKeyCheck,
  revocationCheck,
];
