// The per-signature summary a report shows people: who signed (from the CMS), in which field and
// revision, whether the signature covers the whole file, and the department and role when the
// signer-key check found the key in the registry. It restates facts; it judges nothing.
import type { ParsedPdf } from "../pdf/read/types";
import type { SignerFacts } from "./signer-facts";
import type { CheckResult, SignatureSummary } from "./types";

/** One summary per signature of `pdf`, from the signer facts and the checks' results. */
export function buildSignatureSummaries(
  pdf: ParsedPdf,
  facts: readonly (SignerFacts | undefined)[],
  checks: readonly CheckResult[],
): SignatureSummary[] {
  return pdf.signatures.map((signature, i) => {
    const fact = facts[i];
    const br = signature.byteRange;
    const registry = registryFacts(checks, signature.index);
    return {
      index: signature.index,
      fieldName: signature.fieldName,
      subFilter: signature.subFilter,
      signerSubject: fact?.subject,
      keyIdHex: fact?.keyIdHex,
      algorithm: fact?.algorithm,
      signingTime: fact?.signingTime ?? signature.signingTimeText,
      coversWholeFile: br.length === 4 && br[0] === 0 && br[2] + br[3] === pdf.bytes.length,
      revision: signature.revisionIndex,
      ...registry,
    };
  });
}

/** departmentId, departmentName and role from the signer-key result of this signature, if set. */
function registryFacts(checks: readonly CheckResult[], index: number): Pick<SignatureSummary, "departmentId" | "departmentName" | "role"> {
  const data = checks.find((c) => c.id === "signer-key" && c.signature === index)?.data ?? {};
  const text = (key: string): string | undefined => {
    const v: unknown = (data as Record<string, unknown>)[key];
    return typeof v === "string" ? v : undefined;
  };
  const out: Pick<SignatureSummary, "departmentId" | "departmentName" | "role"> = {};
  if (text("departmentId") !== undefined) out.departmentId = text("departmentId");
  if (text("departmentName") !== undefined) out.departmentName = text("departmentName");
  if (text("role") !== undefined) out.role = text("role");
  return out;
}
