// The anchor check: is the document (its newest anchored revision, docs/verification.md) on the
// ledger, does the Merkle proof rebuilt from chain data hold against the stored root, and did the
// department that signed that revision anchor it? It stops a certificate that was never issued,
// and one department passing off its own anchoring as another's document.
import { verifyBatchProof } from "../../chain/merkle";
import { anchoringFacts, departmentName, signingDepartment } from "../anchoring";
import { checkResult } from "../check-result";
import type { Check, VerifyContext } from "../context";
import type { CheckResult } from "../types";

/** What a valid anchor result reports: public chain facts only. */
export type AnchorData = {
  docHashHex: string;
  /** The anchored revision and whether it is the whole file (else later revisions follow it). */
  revision: number;
  endOffset: number;
  coversWholeFile: boolean;
  departmentId: string;
  departmentName?: string;
  batchId: number;
  kind: number;
  anchoredAtSec: number;
  blockNumber: number;
  txHash: string;
  /** The Merkle proof of the leaf that held against the batch's stored root (what a contract citing the document takes). */
  proof: string[];
};

/** The anchor check (needs the chain). */
export const anchorCheck: Check = {
  id: "anchor",
  needsChain: true,
  run: runAnchor,
};

async function runAnchor(ctx: VerifyContext): Promise<CheckResult> {
  const facts = await anchoringFacts(ctx);
  const newest = facts.anchored[0];
  if (!newest) {
    return checkResult("anchor", "unknown", "NOT_ANCHORED", { data: { docHashHex: ctx.pdf.sha256Hex.toLowerCase() } });
  }
  // findDocumentAnchors already rebuilt each proof; checking it again here keeps the claim
  // "the proof holds against the stored root" in the check that reports it.
  for (const revision of facts.anchored) {
    for (const a of revision.anchorings) {
      if (!verifyBatchProof(a.rootHex, { docHashHex: revision.docHashHex, kind: a.kind }, a.proof)) {
        return checkResult("anchor", "invalid", "ANCHOR_PROOF_INVALID", {
          data: { docHashHex: revision.docHashHex, batchId: a.batchId },
        });
      }
    }
  }

  const signer = await signingDepartment(ctx, facts, newest);
  if (signer === undefined) {
    return checkResult("anchor", "unknown", "SIGNER_UNKNOWN_KEY", {
      reason: "The document is anchored, but the signature that closes the anchored revision has no registered key to compare departments with.",
      data: { docHashHex: newest.docHashHex, departmentId: newest.anchorings[0].departmentId },
    });
  }
  // Only the signing department's own anchoring counts; any department may anchor any hash.
  const own = newest.anchorings.find((a) => a.departmentId.toLowerCase() === signer);
  if (!own) {
    return checkResult("anchor", "invalid", "ANCHOR_DEPARTMENT_MISMATCH", {
      data: {
        docHashHex: newest.docHashHex,
        anchoringDepartmentIds: [...new Set(newest.anchorings.map((a) => a.departmentId))],
        signingDepartmentId: signer,
      },
    });
  }
  const data: AnchorData = {
    docHashHex: newest.docHashHex,
    revision: newest.revisionIndex,
    endOffset: newest.endOffset,
    coversWholeFile: newest.endOffset === ctx.pdf.bytes.length,
    departmentId: own.departmentId,
    departmentName: await departmentName(ctx, own.departmentId),
    batchId: own.batchId,
    kind: own.kind,
    anchoredAtSec: own.anchoredAtSec,
    blockNumber: own.blockNumber,
    txHash: own.txHash,
    proof: own.proof,
  };
  return checkResult("anchor", "valid", undefined, { data });
}
