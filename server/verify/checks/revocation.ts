// The revocation check: has the issuing department revoked the document? Every anchored revision
// is asked, not only the newest, so a countersignature anchored later cannot launder a
// certificate its issuer revoked. Only the issuer's revocation counts (the ledger keys revocations
// by department), so a department that re-anchored someone else's document cannot revoke it.
import { anchoringFacts, revisionIssuer, revocationOf } from "../anchoring";
import { checkResult } from "../check-result";
import type { Check, VerifyContext } from "../context";
import type { CheckResult } from "../types";

/** The facts of a revocation, as the report shows them. */
export type RevocationData = {
  docHashHex: string;
  revision: number;
  departmentId: string;
  reasonCode: number;
  revokedAtSec: number;
  batchId: number;
};

/** The revocation check (needs the chain). */
export const revocationCheck: Check = {
  id: "revocation",
  needsChain: true,
  run: runRevocation,
};

async function runRevocation(ctx: VerifyContext): Promise<CheckResult> {
  const facts = await anchoringFacts(ctx);
  if (facts.anchored.length === 0) return checkResult("revocation", "skipped", "NOT_ANCHORED");

  const checked: { docHashHex: string; departmentId: string }[] = [];
  for (const revision of facts.anchored) {
    const issuer = await revisionIssuer(ctx, facts, revision);
    const revoked = await revocationOf(ctx, revision.docHashHex, issuer);
    if (revoked) {
      const data: RevocationData = { docHashHex: revision.docHashHex, revision: revision.revisionIndex, departmentId: issuer, ...revoked };
      return checkResult("revocation", "invalid", "DOCUMENT_REVOKED", { data });
    }
    checked.push({ docHashHex: revision.docHashHex, departmentId: issuer });
  }
  return checkResult("revocation", "valid", undefined, { data: { checked } });
}
