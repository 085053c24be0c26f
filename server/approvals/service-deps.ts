// What the approvals service is built from (main.ts and tests wire real parts), and the helpers
// its stages share: the matter's definition, the owning department, the decision message.
import { encodeBytes32String } from "ethers";
import type { Logger } from "pino";
import { APPROVAL_PATHS, DECISION_OUTCOMES, type DecisionMessage } from "../chain/approval-typed-data";
import { ChainUnavailableError, NotFoundError } from "../errors";
import type { AnchorQueue } from "../anchor/types";
import type { ApplicationRecord, ApplicationStore } from "../store/application-store";
import type { IntakeQueue } from "../store/intake-queue";
import type { ApprovalsChain } from "./approvals-chain";
import type { IssueTracker } from "./decide";
import type { EvidenceDeps } from "./evidence";
import type { ApprovalDepartment, IssueDeps } from "./issue";
import type { MatterDefinition } from "./types";

export interface ApprovalServiceDeps extends EvidenceDeps, IssueDeps {
  applications: ApplicationStore;
  /** Applications accepted while the chain was unreachable, waiting for their review. */
  intakeQueue: IntakeQueue;
  anchors: AnchorQueue;
  chain: ApprovalsChain;
  catalog: readonly MatterDefinition[];
  /** The departments this node signs for. */
  departments: readonly ApprovalDepartment[];
  /** The approval bureau's hall, which accepts and decides for other departments (委托受理 / 授权审批). */
  hallDepartmentCode: string;
  clock: { now(): number };
  log: Logger;
  /** How long intake waits for a document the path cites itself (the commitment letter) to be anchored. */
  anchorWaitMs?: number;
  /** The certificates being issued now (the service makes it). */
  issuing: IssueTracker;
}

/** Seconds a signed decision stays recordable after it is proposed. */
export const DECISION_VALIDITY_SEC = 7 * 86_400;

export function matterOf(deps: ApprovalServiceDeps, code: string): MatterDefinition {
  const matter = deps.catalog.find((m) => m.code === code);
  if (!matter) throw new NotFoundError("MATTER_NOT_FOUND", `No matter ${code} in the catalog`);
  return matter;
}

export function departmentOf(deps: ApprovalServiceDeps, code: string): ApprovalDepartment {
  const department = deps.departments.find((d) => d.code === code);
  if (!department) throw new NotFoundError("DEPARTMENT_NOT_SERVED", `This node does not sign for department ${code}`);
  return department;
}

/** The EIP-712 decision of an application, approved unless said otherwise. */
export function decisionMessage(app: ApplicationRecord, outcome: keyof typeof DECISION_OUTCOMES = "approved"): DecisionMessage {
  return {
    applicationHash: app.applicationHashHex,
    matter: encodeBytes32String(app.matterCode),
    path: APPROVAL_PATHS[app.path],
    ruleVersion: app.ruleVersion,
    outcome: DECISION_OUTCOMES[outcome],
    evidence: app.evidence.map((e) => e.docHashHex),
    deadline: app.deadlineSec,
  };
}

/** Resolves once `docHashHex` is confirmed on chain; rejects after `timeoutMs`. */
export async function waitAnchored(anchors: AnchorQueue, docHashHex: string, timeoutMs: number): Promise<NonNullable<ReturnType<AnchorQueue["state"]>>> {
  const started = Date.now();
  for (;;) {
    const state = anchors.state(docHashHex);
    if (state?.status === "confirmed" && state.anchor) return state;
    if (Date.now() - started > timeoutMs) {
      throw new ChainUnavailableError("ANCHOR_PENDING", `Document ${docHashHex} is not anchored yet; try again`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
