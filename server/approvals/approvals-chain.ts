// The approval contracts as the service uses them: reads of a matter's path rules, and the
// decision transactions sent as the owning department's approval operator. A transaction is first
// estimated (which runs every check the contract makes, so a refusal comes back as its custom
// error before anything is sent), then signed with the next nonce under a per-department lock
// and broadcast; the lock is released before mining, so decisions of one department pipeline.
import { encodeBytes32String, Wallet, type Interface, type JsonRpcProvider, type TransactionReceipt, type TypedDataDomain } from "ethers";
import type { IApprovalRules } from "../../typechain-types";
import { APPROVAL_PATHS, DECISION_OUTCOMES, approvalDomain, type ApprovalPathName, type DecisionMessage } from "../chain/approval-typed-data";
import type { ApprovalContracts } from "../chain/deploy";
import { ForbiddenError } from "../errors";
import { decodeApprovalRevert, onApprovalChain } from "./chain-errors";

/** A path of a matter as the chain judges decisions on it (IMatterCatalog.PathRules). */
export interface ChainPathRules {
  departmentId: string;
  version: number;
  baselineSignatures: number;
  allowed: boolean;
  suspendedReason: number;
  postCheckPeriodSec: number;
  noticePeriodSec: number;
  evidence: Array<{ kind: number; departmentId: string }>;
}

/** A mined approval transaction. */
export interface SentApproval {
  txHash: string;
  blockNumber: number;
  blockTimeSec: number;
  receipt: TransactionReceipt;
}

export interface ApprovalsChain {
  /** The EIP-712 domain signers sign decisions in. */
  readonly domain: TypedDataDomain;
  /** The departments this node can send decisions for. */
  readonly departmentCodes: readonly string[];
  pathRules(matterCode: string, path: ApprovalPathName): Promise<ChainPathRules>;
  /** The decision the chain holds for an application hash, if any. */
  decisionOf(applicationHash: string): Promise<{ outcome: "approved" | "refused"; decidedAtSec: number; postCheckDueSec: number } | undefined>;
  /** The chain's latest block time: deadlines are set against it, not the wall clock. */
  latestBlockTimeSec(): Promise<number>;
  recordDecision(
    departmentCode: string,
    message: DecisionMessage,
    evidence: IApprovalRules.EvidenceStruct[],
    signatures: IApprovalRules.SignatureStruct[],
  ): Promise<SentApproval>;
  recordPostCheck(departmentCode: string, applicationHash: string, passed: boolean, certificateDocHash: string): Promise<SentApproval>;
  fileForNotice(
    departmentCode: string,
    applicationHash: string,
    matterCode: string,
    ruleVersion: number,
    evidence: IApprovalRules.EvidenceStruct[],
  ): Promise<SentApproval>;
  fileObjection(departmentCode: string, applicationHash: string, objectionHash: string): Promise<SentApproval>;
  resolveObjection(departmentCode: string, applicationHash: string, objectionHash: string, upheld: boolean): Promise<SentApproval>;
  closeFiling(departmentCode: string, applicationHash: string, evidence: IApprovalRules.EvidenceRefStruct[]): Promise<SentApproval>;
  /** The circuit breaker (熔断): stops decisions on one path of a matter, publicly, with a reason code. */
  suspendPath(departmentCode: string, matterCode: string, path: ApprovalPathName, reasonCode: number): Promise<SentApproval>;
  resumePath(departmentCode: string, matterCode: string, path: ApprovalPathName): Promise<SentApproval>;
}

/** A contract the service sends approval transactions to. */
interface Target {
  address: string;
  iface: Interface;
}

/** Parameters of {@link createApprovalsChain}. */
export interface ApprovalsChainParams {
  contracts: ApprovalContracts;
  /** Without a request cache (`cacheTimeout: -1`): nonces and receipts must be fresh. */
  provider: JsonRpcProvider;
  chainId: number;
  /** Per served department, the private key of its approval operator. */
  operatorKeys: Readonly<Record<string, string>>;
}

export function createApprovalsChain(params: ApprovalsChainParams): ApprovalsChain {
  const { contracts, provider } = params;
  const rules: Target = { address: contracts.approvalRules.target as string, iface: contracts.approvalRules.interface };
  const catalog: Target = { address: contracts.catalog.target as string, iface: contracts.catalog.interface };
  const wallets = new Map(Object.entries(params.operatorKeys).map(([code, key]) => [code, new Wallet(key, provider)]));
  const nonces = new Map<string, number>();
  const locks = new Map<string, Promise<unknown>>();

  /** Runs `fn` after the department's previous holder of the lock. */
  const locked = <T>(code: string, fn: () => Promise<T>): Promise<T> => {
    const previous = locks.get(code) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    locks.set(code, next.catch(() => undefined));
    return next;
  };

  const send = async (departmentCode: string, method: string, args: readonly unknown[], target: Target = rules): Promise<SentApproval> => {
    const wallet = wallets.get(departmentCode);
    if (!wallet) throw new ForbiddenError("DEPARTMENT_NOT_SERVED", `This node holds no approval operator for department ${departmentCode}`);
    const data = target.iface.encodeFunctionData(method, args);
    const request = { from: wallet.address, to: target.address, data };
    const gas = await onApprovalChain(method, () => provider.estimateGas(request));
    const response = await onApprovalChain(method, () =>
      locked(departmentCode, async () => {
        const nonce = nonces.get(departmentCode) ?? (await provider.getTransactionCount(wallet.address, "pending"));
        try {
          const sent = await wallet.sendTransaction({ to: target.address, data, nonce, gasLimit: (gas * 12n) / 10n, chainId: params.chainId });
          nonces.set(departmentCode, nonce + 1);
          return sent;
        } catch (err) {
          nonces.delete(departmentCode);
          throw err;
        }
      }),
    );
    const receipt = await onApprovalChain(method, async () => {
      try {
        return await response.wait();
      } catch (err) {
        // Mined but reverted (a revocation raced the decision): ask again for the contract's reason.
        await provider.call(request).catch((callErr: unknown) => {
          if (decodeApprovalRevert(callErr)) throw callErr;
        });
        throw err;
      }
    });
    if (!receipt) throw new Error(`${method}: no receipt`);
    const block = await provider.getBlock(receipt.blockNumber);
    return { txHash: receipt.hash, blockNumber: receipt.blockNumber, blockTimeSec: block?.timestamp ?? 0, receipt };
  };

  return {
    domain: approvalDomain(params.chainId, rules.address),
    departmentCodes: [...wallets.keys()],
    async pathRules(matterCode, path) {
      const r = await onApprovalChain("pathRules", () => contracts.catalog.pathRules(encodeBytes32String(matterCode), APPROVAL_PATHS[path]));
      return {
        departmentId: r.departmentId,
        version: Number(r.version),
        baselineSignatures: Number(r.baselineSignatures),
        allowed: r.allowed,
        suspendedReason: Number(r.suspendedReason),
        postCheckPeriodSec: Number(r.postCheckPeriodSec),
        noticePeriodSec: Number(r.noticePeriodSec),
        evidence: r.evidence.map((e) => ({ kind: Number(e.kind), departmentId: e.departmentId })),
      };
    },
    async decisionOf(applicationHash) {
      const record = await onApprovalChain("decision", () => contracts.approvalRules.decision(applicationHash));
      if (record.decidedAt === 0n) return undefined;
      return {
        outcome: Number(record.outcome) === DECISION_OUTCOMES.approved ? "approved" : "refused",
        decidedAtSec: Number(record.decidedAt),
        postCheckDueSec: Number(record.postCheckDue),
      };
    },
    async latestBlockTimeSec() {
      const block = await onApprovalChain("latest block", () => provider.getBlock("latest"));
      return block?.timestamp ?? 0;
    },
    recordDecision(departmentCode, message, evidence, signatures) {
      const decision: IApprovalRules.DecisionStruct = {
        applicationHash: message.applicationHash,
        matter: message.matter,
        path: message.path,
        ruleVersion: message.ruleVersion,
        outcome: message.outcome,
        deadline: message.deadline,
      };
      return send(departmentCode, "recordDecision", [decision, evidence, signatures]);
    },
    recordPostCheck: (code, applicationHash, passed, certificateDocHash) =>
      send(code, "recordPostCheck", [applicationHash, passed, certificateDocHash]),
    fileForNotice: (code, applicationHash, matterCode, ruleVersion, evidence) =>
      send(code, "fileForNotice", [applicationHash, encodeBytes32String(matterCode), ruleVersion, evidence]),
    fileObjection: (code, applicationHash, objectionHash) => send(code, "fileObjection", [applicationHash, objectionHash]),
    resolveObjection: (code, applicationHash, objectionHash, upheld) =>
      send(code, "resolveObjection", [applicationHash, objectionHash, upheld]),
    closeFiling: (code, applicationHash, evidence) => send(code, "closeFiling", [applicationHash, evidence]),
    suspendPath: (code, matterCode, path, reasonCode) =>
      send(code, "suspendPath", [encodeBytes32String(matterCode), APPROVAL_PATHS[path], reasonCode], catalog),
    resumePath: (code, matterCode, path) => send(code, "resumePath", [encodeBytes32String(matterCode), APPROVAL_PATHS[path]], catalog),
  };
}
