// Builds the approvals part from what main.ts (or a test) already holds: the approval contracts
// with one approval operator per served department, the application store in the service's
// database, and the service over the store, the verifier pool, the anchoring queue and the chain.
import type { JsonRpcProvider } from "ethers";
import type { ApprovalContracts } from "../chain/deploy";
import type { RevokeOnChain } from "../chain/revoke-document";
import { createApplicationStore, type ApplicationStore } from "../store/application-store";
import { createIntakeQueue } from "../store/intake-queue";
import type { Db } from "../store/database";
import { createApprovalService, type ApprovalService } from "./approval-service";
import { createApprovalsChain, type ApprovalsChain } from "./approvals-chain";
import type { ApprovalServiceDeps } from "./service-deps";

export interface CreateApprovalsParams
  extends Omit<ApprovalServiceDeps, "applications" | "intakeQueue" | "chain" | "issuing"> {
  db: Db;
  contracts: ApprovalContracts;
  /** Without a request cache (`cacheTimeout: -1`). */
  provider: JsonRpcProvider;
  chainId: number;
  /** Per department code, its approval operator's private key. */
  operatorKeys: Readonly<Record<string, string>>;
  revokeOnChain: RevokeOnChain;
}

export function createApprovals(params: CreateApprovalsParams): { service: ApprovalService; chain: ApprovalsChain; applications: ApplicationStore } {
  const chain = createApprovalsChain({ contracts: params.contracts, provider: params.provider, chainId: params.chainId, operatorKeys: params.operatorKeys });
  const { db: _db, contracts: _contracts, provider: _provider, chainId: _chainId, operatorKeys: _keys, ...rest } = params;
  const applications = createApplicationStore(params.db);
  const intakeQueue = createIntakeQueue(params.db);
  const service = createApprovalService({
    ...rest,
    applications,
    intakeQueue,
    chain,
  });
  return { service, chain, applications };
}
