// Converts a catalog definition to what MatterCatalog.setMatter takes (codes as bytes32, paths as
// a bitmask, kinds as the ledger's numbers), and back the other way for the answers of the API.
import { encodeBytes32String } from "ethers";
import type { IMatterCatalog } from "../../typechain-types";
import { APPROVAL_PATHS, type ApprovalPathName } from "../chain/approval-typed-data";
import { DOCUMENT_KINDS } from "../chain/merkle";
import type { MatterDefinition } from "./types";

/** The bitmask of `paths` (bit 1 << path number). */
export function pathMask(paths: readonly ApprovalPathName[]): number {
  return paths.reduce((mask, path) => mask | (1 << APPROVAL_PATHS[path]), 0);
}

/** The path names in `mask`, fewest signatures first. */
export function pathsOfMask(mask: number): ApprovalPathName[] {
  return (Object.keys(APPROVAL_PATHS) as ApprovalPathName[]).filter((name) => (mask & (1 << APPROVAL_PATHS[name])) !== 0);
}

/** The on-chain rules of `matter`. */
export function matterRulesOf(matter: MatterDefinition): IMatterCatalog.MatterRulesStruct {
  return {
    departmentId: encodeBytes32String(matter.departmentCode),
    name: matter.name,
    baselineSignatures: matter.baselineSignatures,
    allowedPaths: pathMask(matter.paths),
    postCheckPeriodSec: matter.postCheckPeriodSec,
    noticePeriodSec: matter.noticePeriodSec,
    evidence: matter.evidence.map((e) => ({
      kind: DOCUMENT_KINDS[e.kind],
      departmentId: encodeBytes32String(e.departmentCode),
      paths: pathMask(e.paths),
    })),
  };
}

/** Human signatures a path needs. */
export const PATH_SIGNATURES: Readonly<Record<ApprovalPathName, number>> = {
  instant: 0,
  commitment: 0,
  filing: 0,
  signOnce: 1,
  signTwice: 2,
};
