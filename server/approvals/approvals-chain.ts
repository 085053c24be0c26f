// The approval contracts as the service uses them: reads of a matter's path rules, and the
// decision transactions sent as the owning department's approval operator. A transaction is first
// estimated (which runs every check the contract makes, so a refusal comes back as its custom
// error before anything is sent), then signed with the next nonce under a per-department lock
// and broadcast; the lock is released before mining, so a department's transactions pipeline.
// Decisions that arrive while a department's previous decision transaction is being mined wait
// and go out together in one recordDecisions call (all or none; a refused batch is sent again one
// by one, so each decision gets its own answer): under load one transaction per block, not one per
// application. Transactions are signed here and sent raw: ethers' sendTransaction recovers the
// sender from each signed transaction it sends (an ECDSA recovery per send, on the HTTP loop).
import { encodeBytes32String, keccak256, Wallet, type Interface, type JsonRpcProvider, type TransactionReceipt, type TypedDataDomain } from "ethers";
import type { IApprovalRules } from "../../typechain-types";
import { APPROVAL_PATHS, DECISION_OUTCOMES, approvalDomain, type ApprovalPathName, type DecisionMessage } from "../chain/approval-typed-data";
import type { ApprovalContracts } from "../chain/deploy";
import { ChainUnavailableError, ForbiddenError } from "../errors";
import { onApprovalChain } from "./chain-errors";
import { createDecisionBatcher, type DecisionBatcher } from "./decision-batcher";

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
  /**
   * How long a sent transaction may take to be mined before it counts as an outage (default
   * {@link DEFAULT_MINING_TIMEOUT_MS}): a department's later decisions wait for its batch, so no
   * wait may be endless.
   */
  miningTimeoutMs?: number;
}

/** Default of {@link ApprovalsChainParams.miningTimeoutMs}: many blocks of any consortium chain. */
export const DEFAULT_MINING_TIMEOUT_MS = 60_000;

export function createApprovalsChain(params: ApprovalsChainParams): ApprovalsChain {
  const { contracts, provider } = params;
  const miningTimeoutMs = params.miningTimeoutMs ?? DEFAULT_MINING_TIMEOUT_MS;
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

  /**
   * The receipt once mined, asked at growing intervals (25 ms up to half a second): an instant-mining
   * chain answers on the first or second ask, a chain of 2-second blocks within a block and a half
   * (ethers' block polling waits 4 s). Undefined past the mining timeout.
   */
  const minedReceipt = async (txHash: string): Promise<TransactionReceipt | undefined> => {
    const deadline = Date.now() + miningTimeoutMs;
    for (let waitMs = 25; ; waitMs = Math.min(500, waitMs * 2)) {
      const receipt = await provider.getTransactionReceipt(txHash);
      if (receipt) return receipt;
      if (Date.now() + waitMs > deadline) return undefined;
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  };

  const send = async (departmentCode: string, method: string, args: readonly unknown[], target: Target = rules): Promise<SentApproval> => {
    const wallet = wallets.get(departmentCode);
    if (!wallet) throw new ForbiddenError("DEPARTMENT_NOT_SERVED", `This node holds no approval operator for department ${departmentCode}`);
    const data = target.iface.encodeFunctionData(method, args);
    const request = { from: wallet.address, to: target.address, data };
    // Fees asked per transaction (a batch is one): a fee kept from a few blocks back can fall
    // under the base fee, and the chain then holds the transaction unmined.
    const [gas, fee] = await onApprovalChain(method, () => Promise.all([provider.estimateGas(request), provider.getFeeData()]));
    const pricing =
      fee.maxFeePerGas !== null ? { type: 2, maxFeePerGas: fee.maxFeePerGas, maxPriorityFeePerGas: fee.maxPriorityFeePerGas ?? 0n } : { type: 0, gasPrice: fee.gasPrice ?? 0n };
    const txHash = await onApprovalChain(method, () =>
      locked(departmentCode, async () => {
        const nonce = nonces.get(departmentCode) ?? (await provider.getTransactionCount(wallet.address, "pending"));
        try {
          const signed = await wallet.signTransaction({ ...request, ...pricing, nonce, gasLimit: (gas * 12n) / 10n, chainId: params.chainId });
          await provider.send("eth_sendRawTransaction", [signed]);
          nonces.set(departmentCode, nonce + 1);
          return keccak256(signed);
        } catch (err) {
          nonces.delete(departmentCode);
          throw err;
        }
      }),
    );
    const receipt = await onApprovalChain(method, () => minedReceipt(txHash));
    if (!receipt) {
      // Dropped (a chain restarted from an older state) or stuck: the next send asks the chain
      // for the nonce, and a retry asks first whether the decision was recorded after all.
      nonces.delete(departmentCode);
      throw new ChainUnavailableError("CHAIN_NOT_MINED", `${method}: transaction ${txHash} was not mined within ${miningTimeoutMs} ms`);
    }
    if (receipt.status !== 1) {
      // Mined but reverted (a revocation raced the decision): ask again for the contract's reason.
      await onApprovalChain(method, () => provider.call(request));
      // It no longer reverts (the state that refused it has moved on): retried like an outage.
      throw new ChainUnavailableError("CHAIN_TX_REVERTED", `${method}: transaction ${txHash} reverted on chain, and no longer does; it is sent again`);
    }
    const block = await onApprovalChain(method, () => provider.getBlock(receipt.blockNumber));
    return { txHash: receipt.hash, blockNumber: receipt.blockNumber, blockTimeSec: block?.timestamp ?? 0, receipt };
  };

  const batches = new Map<string, DecisionBatcher>();
  const batcherOf = (departmentCode: string) => {
    let batcher = batches.get(departmentCode);
    if (!batcher) {
      batcher = createDecisionBatcher({
        sendOne: (d) => send(departmentCode, "recordDecision", [d.decision, d.evidence, d.signatures]),
        sendMany: (ds) => send(departmentCode, "recordDecisions", [ds]),
      });
      batches.set(departmentCode, batcher);
    }
    return batcher;
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
      if (!wallets.has(departmentCode)) {
        return Promise.reject(new ForbiddenError("DEPARTMENT_NOT_SERVED", `This node holds no approval operator for department ${departmentCode}`));
      }
      return batcherOf(departmentCode).record({ decision, evidence, signatures });
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
