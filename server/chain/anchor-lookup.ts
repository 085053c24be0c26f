// Finds where a document was anchored using chain data alone: the ledger's anonymous logs that
// carry document hashes as topics, the anchoring transaction's receipt, and the batch root in
// the ledger's storage. No ZeroSign server is asked, so a verifier trusts nobody's database.
import type { Log, Provider, TransactionReceipt } from "ethers";
import type { DocumentLedger } from "../../typechain-types";
import { ZeroSignError } from "../errors";
import { buildBatchTree, type BatchEntry } from "./merkle";

/** One anchoring of a document, rebuilt and checked from chain data. */
export interface AnchorRecord {
  batchId: number;
  departmentId: string;
  kind: number;
  /** The document's position in its batch. */
  index: number;
  batchSize: number;
  /** The batch root as stored by the ledger (the proof checks against it). */
  rootHex: string;
  proof: string[];
  txHash: string;
  blockNumber: number;
  /** The anchoring block's timestamp: the moment a verifier judges keys at. */
  anchoredAtSec: number;
}

/** The chain returned data that contradicts the ledger's own rules: never a verdict on a document. */
export class LedgerDataError extends ZeroSignError {
  constructor(message: string) {
    super("LEDGER_DATA_INCONSISTENT", message, { httpStatus: 502 });
  }
}

interface BatchFromLogs {
  batchId: number;
  departmentId: string;
  rootHex: string;
  entries: BatchEntry[];
}

const TOPIC_POSITIONS = [0, 1, 2, 3] as const;

/**
 * Lists every anchoring of `docHashHex` by `ledger`, earliest first, each with a Merkle proof
 * rebuilt from the anchoring transaction's logs and checked against the root in storage.
 * `fromBlock` should be the ledger's deployment block, so the node's log index is searched
 * from there rather than from genesis.
 */
export async function findDocumentAnchors(
  ledger: DocumentLedger,
  docHashHex: string,
  options: { fromBlock?: number } = {},
): Promise<AnchorRecord[]> {
  const provider = requireProvider(ledger);
  const address = await ledger.getAddress();
  const docHash = docHashHex.toLowerCase();
  const logs = await Promise.all(
    TOPIC_POSITIONS.map((position) =>
      provider.getLogs({
        address,
        fromBlock: options.fromBlock ?? 0,
        toBlock: "latest",
        topics: TOPIC_POSITIONS.slice(0, position + 1).map((p) => (p === position ? docHash : null)),
      }),
    ),
  );
  const txHashes = [...new Set(logs.flat().filter(isDocumentLog).map((log) => log.transactionHash))];
  // Transactions, and the questions about each, are independent: asked together, not in turn.
  const perTransaction = await Promise.all(txHashes.map((txHash) => anchoringsIn(ledger, provider, address, txHash, docHash)));
  return perTransaction.flat().sort((a, b) => a.blockNumber - b.blockNumber || a.batchId - b.batchId || a.index - b.index);
}

/** Every anchoring of `docHash` by the transaction `txHash`, its proofs checked against the ledger's roots. */
async function anchoringsIn(
  ledger: DocumentLedger,
  provider: Provider,
  address: string,
  txHash: string,
  docHash: string,
): Promise<AnchorRecord[]> {
  const receipt = await provider.getTransactionReceipt(txHash);
  if (!receipt) throw new LedgerDataError(`no receipt for anchoring transaction ${txHash}`);
  const batches = batchesInReceipt(ledger, address, receipt).filter((b) => b.entries.some((e) => e.docHashHex === docHash));
  if (batches.length === 0) return [];
  const answers = Promise.all([provider.getBlock(receipt.blockNumber), Promise.all(batches.map((b) => ledger.batch(b.batchId)))]);
  // Rebuilding the trees is the costly part; it runs while the node answers.
  const trees = batches.map((b) => buildBatchTree(b.entries));
  const [block, stored] = await answers;
  if (!block) throw new LedgerDataError(`block ${receipt.blockNumber} of transaction ${txHash} not found`);
  const records: AnchorRecord[] = [];
  for (const [i, batch] of batches.entries()) {
    const tree = trees[i];
    if (tree.root !== batch.rootHex || stored[i].root !== tree.root || stored[i].departmentId !== batch.departmentId) {
      throw new LedgerDataError(`batch ${batch.batchId}: the root rebuilt from its logs differs from the ledger's`);
    }
    // A batch may hold the same hash more than once (e.g. under two kinds): each is an anchoring.
    for (const [index, entry] of batch.entries.entries()) {
      if (entry.docHashHex !== docHash) continue;
      records.push({
        batchId: batch.batchId,
        departmentId: batch.departmentId,
        kind: entry.kind,
        index,
        batchSize: batch.entries.length,
        rootHex: stored[i].root,
        proof: tree.getProof(index),
        txHash: receipt.hash,
        blockNumber: receipt.blockNumber,
        anchoredAtSec: block.timestamp,
      });
    }
  }
  return records;
}

/** Every batch a transaction anchored, with its leaves in batch order. */
export function batchesInReceipt(ledger: DocumentLedger, address: string, receipt: TransactionReceipt): BatchFromLogs[] {
  const batchTopic = ledger.interface.getEvent("BatchAnchored").topicHash;
  const batches: BatchFromLogs[] = [];
  let pendingHashes: string[] = [];
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== address.toLowerCase()) continue;
    if (isDocumentLog(log)) {
      pendingHashes.push(...log.topics.map((topic) => topic.toLowerCase()));
    } else if (log.topics[0] === batchTopic) {
      const event = ledger.interface.parseLog(log);
      if (!event) throw new LedgerDataError(`undecodable BatchAnchored log in ${receipt.hash}`);
      const kinds = Uint8Array.from(Buffer.from(String(event.args.kinds).slice(2), "hex"));
      const size = Number(event.args.size);
      if (pendingHashes.length !== size || kinds.length !== size) {
        throw new LedgerDataError(
          `batch ${event.args.batchId} in ${receipt.hash}: ${pendingHashes.length} hashes and ${kinds.length} kinds for size ${size}`,
        );
      }
      batches.push({
        batchId: Number(event.args.batchId),
        departmentId: String(event.args.departmentId),
        rootHex: String(event.args.root),
        entries: pendingHashes.map((docHashHex, i) => ({ docHashHex, kind: kinds[i] })),
      });
      pendingHashes = [];
    }
  }
  return batches;
}

/** The ledger's document-hash logs are anonymous and carry no data; its declared events all do. */
function isDocumentLog(log: Log): boolean {
  return log.data === "0x" && log.topics.length >= 1;
}

function requireProvider(ledger: DocumentLedger): Provider {
  const provider = ledger.runner?.provider;
  if (!provider) throw new Error("the ledger contract is not connected to a provider");
  return provider;
}
