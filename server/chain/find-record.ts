// Finds a certificate's anchoring from its record key (record-key.ts) using chain data alone: the
// key's own leaf through the ledger's logs, then the leaf anchored just before it by the same
// department — in the same batch, or the last of that department's previous batch when the queue
// closed a batch between the two — and that document's checked anchoring. Read-only.
import { DocumentLedger__factory } from "../../typechain-types";
import { batchesInLogs, lookupDocumentAnchors, LedgerDataError, type AnchorLookup, type AnchorRecord, type LogFields } from "./anchor-lookup";
import { latestBlockNumber, searchLogs } from "./search-logs";

/** The certificate a record key names, as the ledger shows it. */
export interface KeyedRecord {
  /** The certificate file's hash, as anchored. */
  docHashHex: string;
  /** Its anchoring (batch, proof, block, time) rebuilt and checked from chain data. */
  anchor: AnchorRecord;
}

export interface RecordFinder {
  /**
   * The certificate anchored with the record key `recordKeyHex`, or undefined when the key is not
   * on the ledger (never issued, not yet anchored, or a URL altered by hand).
   */
  findByRecordKey(recordKeyHex: string): Promise<KeyedRecord | undefined>;
}

const LEDGER = DocumentLedger__factory.createInterface();
const BATCH_ANCHORED = LEDGER.getEvent("BatchAnchored");

/** A finder over the ledger `lookup` names (the same lookup the verifier's chain reader uses). */
export function createRecordFinder(lookup: AnchorLookup): RecordFinder {
  const address = lookup.ledgerAddress.toLowerCase();

  async function entriesOfBatch(txHash: string, batchId: number) {
    const receipt = await lookup.rpc.request("eth_getTransactionReceipt", [txHash]);
    if (typeof receipt !== "object" || receipt === null || !Array.isArray((receipt as { logs?: unknown }).logs)) {
      throw new LedgerDataError(`no receipt for anchoring transaction ${txHash}`);
    }
    const batch = batchesInLogs((receipt as { logs: LogFields[] }).logs, address, txHash).find((b) => b.batchId === batchId);
    if (!batch) throw new LedgerDataError(`batch ${batchId} is not in transaction ${txHash}`);
    return batch.entries;
  }

  /** The department's batch anchored last before `beforeBatchId`, searched up to `toBlock`. */
  async function previousBatch(departmentId: string, beforeBatchId: number, toBlock: number) {
    const logs = await searchLogs({
      rpc: lookup.rpc,
      filter: { address, topics: [BATCH_ANCHORED.topicHash, null, departmentId] },
      fromBlock: lookup.fromBlock ?? 0,
      toBlock,
      maxRange: lookup.logRange,
    });
    let best: { batchId: number; txHash: string } | undefined;
    for (const log of logs as Array<{ topics?: unknown; transactionHash?: unknown }>) {
      if (!Array.isArray(log.topics) || typeof log.transactionHash !== "string") throw new LedgerDataError("the node returned a malformed log");
      const batchId = Number(BigInt(String(log.topics[1])));
      if (batchId < beforeBatchId && (!best || batchId > best.batchId)) best = { batchId, txHash: log.transactionHash.toLowerCase() };
    }
    return best;
  }

  return {
    async findByRecordKey(recordKeyHex) {
      // Both lookups of this round end their searches at the latest block as it was when asked.
      const latestBlock = latestBlockNumber(lookup.rpc);
      const [keyAnchor] = await lookupDocumentAnchors(lookup, recordKeyHex, { latestBlock });
      if (!keyAnchor) return undefined;
      let named: { docHashHex: string; kind: number; batchId: number } | undefined;
      if (keyAnchor.index > 0) {
        const entries = await entriesOfBatch(keyAnchor.txHash, keyAnchor.batchId);
        named = { ...entries[keyAnchor.index - 1], batchId: keyAnchor.batchId };
      } else {
        const previous = await previousBatch(keyAnchor.departmentId, keyAnchor.batchId, keyAnchor.blockNumber);
        if (previous) {
          const entries = await entriesOfBatch(previous.txHash, previous.batchId);
          named = { ...entries[entries.length - 1], batchId: previous.batchId };
        }
      }
      // The issuer anchors the key under its certificate's kind: another kind is not its certificate.
      if (!named || named.kind !== keyAnchor.kind) {
        throw new LedgerDataError(`record key ${recordKeyHex} has no certificate anchored just before it`);
      }
      const target = named;
      const anchors = await lookupDocumentAnchors(lookup, target.docHashHex, { latestBlock });
      const anchor = anchors.find((a) => a.batchId === target.batchId && a.departmentId === keyAnchor.departmentId && a.kind === target.kind);
      if (!anchor) throw new LedgerDataError(`the certificate before record key ${recordKeyHex} has no anchoring of its own`);
      return { docHashHex: target.docHashHex, anchor };
    },
  };
}
