// Settles a batch recorded as submitted, whether it was sent a moment ago or before a crash:
//   1. its transaction has a receipt → confirmed from that receipt (or re-queued if it reverted);
//   2. no receipt and its nonce is still unused → broadcast the stored raw transaction again;
//   3. the nonce was used by another transaction (ours was dropped or replaced) → look each hash
//      up in the ledger's own logs: found ones are confirmed from there, the rest re-queued.
// Only case 3 can re-queue a document that might be on chain, and it asks the chain first, so
// each document is anchored exactly once.
import type { Provider, Signer, TransactionReceipt } from "ethers";
import type { Logger } from "pino";
import type { DocumentLedger } from "../../typechain-types";
import { batchesInLogs, type AnchorRecord } from "../chain/anchor-lookup";
import { isChainOutage } from "../chain/chain-reader";
import { buildBatchTree } from "../chain/merkle";
import type { Clock } from "../clock";
import type { BatchRow, EntryRow, QueueRows } from "./queue-rows";

/** One department's anchoring identity on the chain. */
export interface DepartmentChain {
  code: string;
  /** bytes32 department id (encodeBytes32String(code)). */
  departmentId: string;
  ledger: DocumentLedger;
  signer: Signer;
  address: string;
  ledgerAddress: string;
  provider: Provider;
  /** Every anchoring of a document on the ledger, checked on chain (anchor-lookup.ts). */
  findAnchors(docHashHex: string): Promise<AnchorRecord[]>;
}

/** Returns true when the batch is settled, false while its transaction waits to be mined. */
export async function settleOpenBatch(dept: DepartmentChain, batch: BatchRow, rows: QueueRows, clock: Clock, log: Logger): Promise<boolean> {
  const entries = rows.batchEntries(batch.id);
  let receipt = await dept.provider.getTransactionReceipt(batch.tx_hash);
  if (receipt) return settleFromReceipt(dept, batch, entries, receipt, rows, clock, log);

  const minedNonce = await dept.provider.getTransactionCount(dept.address, "latest");
  if (minedNonce <= batch.nonce) {
    // Not in the node's pool (never sent, or lost with a node restart): send the recorded bytes.
    if (!(await dept.provider.getTransaction(batch.tx_hash))) await rebroadcast(dept, batch, log);
    receipt = await dept.provider.getTransactionReceipt(batch.tx_hash);
    return receipt ? settleFromReceipt(dept, batch, entries, receipt, rows, clock, log) : false;
  }
  // Mined between the two questions?
  receipt = await dept.provider.getTransactionReceipt(batch.tx_hash);
  if (receipt) return settleFromReceipt(dept, batch, entries, receipt, rows, clock, log);

  const found = new Map<string, AnchorRecord>();
  for (const entry of entries) {
    const anchors = await dept.findAnchors(entry.doc_hash);
    const ours = anchors.find((a) => a.departmentId === dept.departmentId && a.kind === entry.kind);
    if (ours) found.set(entry.doc_hash, ours);
  }
  rows.settle(batch.id, "abandoned", found, "anchoring transaction was dropped; queued again", clock.now());
  log.warn(
    { department: dept.code, batchRowId: batch.id, txHash: batch.tx_hash, nonce: batch.nonce, foundOnChain: found.size, requeued: entries.length - found.size },
    "anchoring transaction replaced or dropped: settled from the ledger's logs",
  );
  return true;
}

async function settleFromReceipt(
  dept: DepartmentChain,
  batch: BatchRow,
  entries: readonly EntryRow[],
  receipt: TransactionReceipt,
  rows: QueueRows,
  clock: Clock,
  log: Logger,
): Promise<boolean> {
  if (receipt.status !== 1) {
    rows.settle(batch.id, "abandoned", new Map(), "the anchoring transaction reverted; queued again", clock.now());
    log.warn({ department: dept.code, batchRowId: batch.id, txHash: batch.tx_hash }, "anchoring transaction reverted");
    return true;
  }
  const [onChain] = batchesInLogs(receipt.logs, dept.ledgerAddress, receipt.hash);
  const expected = entries.map((e) => ({ docHashHex: e.doc_hash, kind: e.kind }));
  const tree = buildBatchTree(expected);
  if (!onChain || onChain.rootHex !== tree.root || onChain.departmentId !== dept.departmentId) {
    throw new Error(`transaction ${batch.tx_hash} did not anchor the recorded batch ${batch.id}`);
  }
  const block = await dept.provider.getBlock(receipt.blockNumber);
  if (!block) throw new Error(`block ${receipt.blockNumber} of ${batch.tx_hash} not found`);
  const anchors = new Map<string, AnchorRecord>();
  expected.forEach((entry, index) => {
    anchors.set(entry.docHashHex, {
      batchId: onChain.batchId,
      departmentId: onChain.departmentId,
      kind: entry.kind,
      index,
      batchSize: expected.length,
      rootHex: onChain.rootHex,
      proof: tree.getProof(index),
      txHash: receipt.hash,
      blockNumber: receipt.blockNumber,
      anchoredAtSec: block.timestamp,
    });
  });
  rows.settle(batch.id, "confirmed", anchors, "", clock.now());
  log.info(
    { department: dept.code, batchRowId: batch.id, batchId: onChain.batchId, size: expected.length, block: receipt.blockNumber },
    "anchoring batch confirmed",
  );
  return true;
}

/** Sends the stored transaction again; "already known" and "nonce too low" answers are expected. */
async function rebroadcast(dept: DepartmentChain, batch: BatchRow, log: Logger): Promise<void> {
  try {
    await dept.provider.broadcastTransaction(batch.raw_tx);
    log.info({ department: dept.code, batchRowId: batch.id, txHash: batch.tx_hash }, "anchoring transaction broadcast (again)");
  } catch (err) {
    if (isChainOutage(err)) throw err;
    // The node already has it, or mined something with this nonce meanwhile: the receipt and nonce
    // checks of the next step decide.
    log.debug({ department: dept.code, txHash: batch.tx_hash, err }, "rebroadcast refused");
  }
}
