// The durable anchoring queue: one worker per department this node serves, each anchoring that
// department's pending documents in batches (by size and by age) with its operator's key.
// Exactly-once rests on an order of writes: a batch's transaction is signed locally with a fixed
// nonce and recorded (hash + raw bytes) in SQLite BEFORE it is broadcast, so after a crash at any
// point the worker settles it from the chain (settle-batch.ts) before anything new is sent.
// Chain outages are retried with capped exponential backoff; documents stay pending meanwhile.
import { encodeBytes32String, isError, Transaction, type Provider, type Signer } from "ethers";
import type { Logger } from "pino";
import type { DocumentLedger } from "../../typechain-types";
import { findDocumentAnchors, type AnchorRecord } from "../chain/anchor-lookup";
import { isChainOutage } from "../chain/chain-reader";
import { decodeRevert } from "../chain/decode-revert";
import { DOCUMENT_KINDS } from "../chain/merkle";
import type { Clock } from "../clock";
import { BadRequestError } from "../errors";
import type { Db } from "../store/database";
import { createQueueRows, type EntryRow, type QueueRows } from "./queue-rows";
import { settleOpenBatch, type DepartmentChain } from "./settle-batch";
import type { AnchorQueue, AnchorState } from "./types";

/** Parameters of {@link createAnchorQueue}. */
export interface AnchorQueueParams {
  db: Db;
  /** Per department code this node serves, the DocumentLedger connected to its operator's signer. */
  ledgers: Readonly<Record<string, DocumentLedger>>;
  /**
   * The provider the signers use. Build it with `cacheTimeout: -1`: ethers otherwise answers a
   * repeated question (the pending nonce, a receipt) from a 250 ms cache.
   */
  provider: Provider;
  clock: Clock;
  log: Logger;
  /** The ledger's deployment block: log searches start there. */
  fromBlock: number;
  /** Blocks per eth_getLogs at most (CHAIN_LOG_RANGE); default search-logs.ts's DEFAULT_LOG_RANGE. */
  logRange?: number;
  /**
   * How settlement finds a dropped batch's documents on the ledger (main.ts gives the one with the
   * node's log index); default a live search over the operator's provider from `fromBlock`.
   */
  findAnchors?: (docHashHex: string) => Promise<AnchorRecord[]>;
  maxBatchSize?: number;
  maxWaitMs?: number;
  /** First retry delay after a failure; doubles per consecutive failure up to retryMaxMs. */
  retryInitialMs?: number;
  retryMaxMs?: number;
  /** How often to ask for the receipt of a broadcast transaction that is not mined yet. */
  receiptPollMs?: number;
}

/** The queue as main.ts, tests and the benchmark hold it. */
export interface RunningAnchorQueue extends AnchorQueue {
  /** Resolves once every entry of the served departments is confirmed (none pending or submitted). */
  drain(): Promise<void>;
}

const HASH_HEX = /^0x[0-9a-f]{64}$/;
/**
 * The service's ceiling for a batch, a quarter of the ledger's MAX_BATCH_SIZE (4096, enforced by
 * DocumentLedger.sol): past 1024 a document's gas barely falls (1 553 against the 1 280 calldata
 * floor, README's table), while a 4096-leaf transaction (~6 M gas) is slower to mine and costlier
 * to resend. config.ts's ANCHOR_BATCH_SIZE has the same ceiling.
 */
const LEDGER_MAX_BATCH = 1024;

/** Builds the queue; nothing runs until start(). */
export function createAnchorQueue(params: AnchorQueueParams): RunningAnchorQueue {
  const { clock, log, provider } = params;
  const maxBatchSize = params.maxBatchSize ?? 256;
  const maxWaitMs = params.maxWaitMs ?? 2000;
  const retryInitialMs = params.retryInitialMs ?? 500;
  const retryMaxMs = params.retryMaxMs ?? 30_000;
  const receiptPollMs = params.receiptPollMs ?? 250;
  if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1 || maxBatchSize > LEDGER_MAX_BATCH) {
    throw new RangeError(`maxBatchSize must be 1..${LEDGER_MAX_BATCH}`);
  }
  const rows = createQueueRows(params.db);
  const departments = Object.entries(params.ledgers).map(([code, ledger]) => departmentChain(code, ledger));
  const wakers = new Map<string, () => void>();
  const drainWaiters: (() => void)[] = [];
  let stopping: AbortController | undefined;
  let workers: Promise<void>[] = [];

  const checkDrained = () => {
    if (drainWaiters.length === 0 || departments.some((d) => rows.unsettledCount(d.code) > 0)) return;
    drainWaiters.splice(0).forEach((resolve) => resolve());
  };

  async function runDepartment(dept: DepartmentChain, stop: AbortSignal): Promise<void> {
    let failures = 0;
    while (!stop.aborted) {
      let waitMs: number;
      try {
        waitMs = await step(dept, rows);
        if (failures > 0) log.info({ department: dept.code }, "anchoring resumed");
        failures = 0;
      } catch (err) {
        failures += 1;
        waitMs = Math.min(retryInitialMs * 2 ** (failures - 1), retryMaxMs);
        const reason = publicReason(dept.ledger, err);
        rows.noteError(dept.code, reason);
        log.warn({ department: dept.code, err, retryInMs: waitMs, failures }, `anchoring failed: ${reason}`);
      }
      checkDrained();
      if (waitMs > 0 && !stop.aborted) await sleepUnlessWoken(dept.code, waitMs, stop);
    }
  }

  /** One unit of work; returns how long to wait before the next (0: go on at once). */
  async function step(dept: DepartmentChain, queueRows: QueueRows): Promise<number> {
    const open = queueRows.openBatch(dept.code);
    if (open) {
      const settled = await settleOpenBatch(dept, open, queueRows, clock, log);
      return settled ? 0 : receiptPollMs;
    }
    const entries = queueRows.pending(dept.code, maxBatchSize);
    if (entries.length === 0) return maxWaitMs; // also picks up rows written by another process
    const ageMs = clock.now() - entries[0].enqueued_at_ms;
    if (entries.length < maxBatchSize && ageMs < maxWaitMs) return maxWaitMs - ageMs;
    await submitBatch(dept, entries, queueRows);
    return 0;
  }

  async function submitBatch(dept: DepartmentChain, entries: readonly EntryRow[], queueRows: QueueRows): Promise<void> {
    const data = dept.ledger.interface.encodeFunctionData("anchorBatch", [
      entries.map((e) => e.doc_hash),
      Uint8Array.from(entries.map((e) => e.kind)),
    ]);
    const nonce = await provider.getTransactionCount(dept.address, "pending");
    // populateTransaction estimates gas, so a batch the ledger would refuse fails here, unsent.
    const tx = await dept.signer.populateTransaction({ to: dept.ledgerAddress, data, nonce });
    const rawTx = await dept.signer.signTransaction(tx);
    const txHash = Transaction.from(rawTx).hash;
    if (!txHash) throw new Error("a signed transaction has no hash");
    const batchRowId = queueRows.recordSubmitted({ departmentCode: dept.code, nonce, txHash, rawTx, entries }, clock.now());
    log.info({ department: dept.code, batchRowId, size: entries.length, nonce, txHash }, "anchoring batch signed and recorded");
    // A failed broadcast is settled like a crash right here: the next step finds the open batch.
    try {
      await provider.broadcastTransaction(rawTx);
    } catch (err) {
      // Another transaction of the operator (a revocation) was mined with this nonce after we read
      // it: routine, not a failure. The next step settles the batch from the ledger's logs at once.
      if (!isError(err, "NONCE_EXPIRED")) throw err;
      log.info({ department: dept.code, batchRowId, nonce, txHash }, "the batch's nonce was taken by another transaction; settling from the chain");
    }
  }

  function sleepUnlessWoken(code: string, ms: number, stop: AbortSignal): Promise<void> {
    const wake = new AbortController();
    const onStop = () => wake.abort();
    stop.addEventListener("abort", onStop, { once: true });
    wakers.set(code, () => wake.abort());
    return clock.sleep(ms, wake.signal).finally(() => {
      stop.removeEventListener("abort", onStop);
      wakers.delete(code);
    });
  }

  function departmentChain(code: string, ledger: DocumentLedger): DepartmentChain {
    const signer = ledger.runner as Signer | null;
    if (!signer || typeof signer.signTransaction !== "function") {
      throw new TypeError(`the ledger for ${code} must be connected to its operator's signer`);
    }
    const address = "address" in signer && typeof signer.address === "string" ? signer.address : undefined;
    if (!address) throw new TypeError(`the operator signer for ${code} must expose its address (an ethers Wallet)`);
    return {
      code,
      departmentId: encodeBytes32String(code),
      ledger,
      signer,
      address,
      ledgerAddress: String(ledger.target),
      provider,
      findAnchors: params.findAnchors ?? ((docHashHex) => findDocumentAnchors(ledger, docHashHex, { fromBlock: params.fromBlock, logRange: params.logRange })),
    };
  }

  return {
    enqueue({ docHashHex, kind, departmentCode }): AnchorState {
      if (!HASH_HEX.test(docHashHex)) throw new BadRequestError("INVALID_DOC_HASH", "A document hash is 0x and 64 lowercase hex digits");
      if (!(departmentCode in params.ledgers)) {
        throw new BadRequestError("DEPARTMENT_NOT_SERVED", `This node does not anchor for department ${departmentCode}`);
      }
      rows.insert(docHashHex, DOCUMENT_KINDS[kind], departmentCode, clock.now());
      wakers.get(departmentCode)?.();
      const state = rows.state(docHashHex);
      if (!state) throw new Error(`queue entry for ${docHashHex} vanished after insert`);
      return state;
    },
    state: (docHashHex) => rows.state(docHashHex.toLowerCase()),
    async start() {
      if (stopping) throw new Error("the anchoring queue is already running");
      const stop = new AbortController();
      stopping = stop;
      workers = departments.map((dept) => runDepartment(dept, stop.signal));
      log.info({ departments: departments.map((d) => d.code), maxBatchSize, maxWaitMs }, "anchoring queue started");
    },
    async stop() {
      stopping?.abort();
      await Promise.all(workers);
      workers = [];
      stopping = undefined;
    },
    drain() {
      return new Promise<void>((resolve) => {
        drainWaiters.push(resolve);
        checkDrained();
      });
    },
  };
}

/** What the API may show about a failure: no RPC URLs, no stack, no raw error. */
function publicReason(ledger: DocumentLedger, err: unknown): string {
  if (isChainOutage(err)) return "chain unreachable, retrying";
  const revert = decodeRevert(ledger.interface, err);
  if (revert) return `the ledger refused the batch (${revert.name}), retrying`;
  return "anchoring failed, retrying";
}
