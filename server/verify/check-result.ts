// Builders for check results, so every check states status, code and reason the same way: the
// code's default sentence unless a check has a more precise one, and no empty fields.
import type { VerifyContext } from "./context";
import { reasonText, type ReasonCode } from "./reasons";
import type { CheckName, CheckResult, CheckStatus } from "./types";
import type { PdfSignature } from "../pdf/read/types";

/** Optional parts of a result. */
export interface ResultExtra<D extends object> {
  reason?: string;
  signature?: number;
  data?: D;
}

/** A result; with a code, its reason defaults to the code's sentence from reasons.ts. */
export function checkResult<D extends object = Record<string, unknown>>(
  id: CheckName,
  status: CheckStatus,
  code?: ReasonCode,
  extra: ResultExtra<D> = {},
): CheckResult<D> {
  const reason = extra.reason ?? (code === undefined ? undefined : reasonText(code));
  return {
    id,
    status,
    ...(code === undefined ? {} : { code }),
    ...(reason === undefined ? {} : { reason }),
    ...(extra.signature === undefined ? {} : { signature: extra.signature }),
    ...(extra.data === undefined ? {} : { data: extra.data }),
  };
}

/** One signature's verdict inside a per-signature check, before id and index are attached. */
export interface SignatureJudgement {
  status: CheckStatus;
  code?: ReasonCode;
  reason?: string;
  data?: Record<string, unknown>;
}

/**
 * Runs `judge` for every signature and returns one result each; with no signatures at all, one
 * skipped result with NO_SIGNATURES (the structure check reports their absence).
 */
export async function perSignature(
  ctx: VerifyContext,
  id: CheckName,
  judge: (signature: PdfSignature) => Promise<SignatureJudgement> | SignatureJudgement,
): Promise<CheckResult[]> {
  if (ctx.pdf.signatures.length === 0) return [checkResult(id, "skipped", "NO_SIGNATURES")];
  const out: CheckResult[] = [];
  for (const signature of ctx.pdf.signatures) {
    const j = await judge(signature);
    out.push(checkResult(id, j.status, j.code, { reason: j.reason, signature: signature.index, data: j.data }));
  }
  return out;
}
