// The judge: derives a Report's verdict from its check results, nothing else. Checks decide facts;
// this file decides what they add up to (STYLE.md: invalid beats unknown beats valid).
import { reasonText, type ReasonCode } from "./reasons";
import type { CheckResult, Report, SignatureSummary, Verdict } from "./types";

/** Checks whose silence (unknown, skipped, error) keeps a verdict from being valid. */
const REQUIRED_CHECKS = new Set<CheckResult["id"]>([
  "structure",
  "byte-range",
  "signature-integrity",
  "modifications",
  "anchor",
  "signer-key",
  "revocation",
]);

/**
 * The verdict: invalid if any check found a fault; else unknown if a required check could not
 * decide (unknown, skipped or error); else valid. A file that could not be read is reported by
 * {@link errorReport} instead.
 */
export function buildReport(
  checks: CheckResult[],
  signatures: SignatureSummary[],
  document: Report["document"],
): Report {
  const invalid = checks.find((c) => c.status === "invalid");
  const undecided = checks.find((c) => REQUIRED_CHECKS.has(c.id) && c.status !== "valid");
  const deciding = invalid ?? undecided;
  const verdict: Verdict = invalid ? "invalid" : undecided ? "unknown" : "valid";
  return {
    verdict,
    code: deciding?.code,
    reason: deciding ? (deciding.reason ?? describe(deciding.code)) : "Every check passed.",
    checks,
    signatures,
    document,
  };
}

/** The report for input that is not a readable PDF at all. */
export function errorReport(code: ReasonCode, reason: string): Report {
  return {
    verdict: "error",
    code,
    reason,
    checks: [{ id: "structure", status: "error", code, reason }],
    signatures: [],
  };
}

function describe(code: ReasonCode | undefined): string {
  return code ? reasonText(code) : "A check did not pass.";
}
