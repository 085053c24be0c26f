// Finds where a document was anchored using chain data alone: the ledger's anonymous logs that
// carry document hashes as topics, the anchoring transaction's receipt, and the batch root in
// the ledger's storage. No ZeroSign server is asked, so a verifier trusts nobody's database; a
// node's log index (log-index/) only says where to look, and what it names is checked here.
// Everything is read as the node's raw JSON (json-rpc.ts), and a batch once rebuilt and checked
// against its stored root can be kept (VerifiedBatchCache): by the block hash it was mined in, it
// cannot change.
import type { DocumentLedger } from "../../typechain-types";
import { DocumentLedger__factory } from "../../typechain-types";
import { jsonRpcOfRunner, type JsonRpc } from "./json-rpc";
import { LedgerDataError } from "./ledger-data-error";
import { buildBatchTree, type BatchEntry, type BatchTree } from "./merkle";
import { latestBlockNumber, quantity, searchLogs } from "./search-logs";

export { LedgerDataError } from "./ledger-data-error";

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

/** The fields of a log this module reads (a node's JSON log and ethers' Log both have them). */
export interface LogFields {
  address: string;
  topics: readonly string[];
  data: string;
}

/** One batch as a transaction's logs record it. */
export interface BatchFromLogs {
  batchId: number;
  departmentId: string;
  rootHex: string;
  entries: BatchEntry[];
}

/** The batches of one anchoring transaction, rebuilt from its logs and checked against the stored roots. */
export interface VerifiedTransaction {
  txHash: string;
  blockNumber: number;
  anchoredAtSec: number;
  batches: Array<BatchFromLogs & { tree: BatchTree }>;
}

/**
 * Anchoring transactions already rebuilt and checked, by ledger, block hash and transaction hash. What
 * such an entry holds — the transaction's logs, its block's time, the roots it stored — is fixed
 * once that block exists: a reorganisation gives the transaction another block hash, and so
 * another key. Revocations and key status are never kept here; they are asked every time.
 */
export interface VerifiedBatchCache {
  get(key: string): Promise<VerifiedTransaction> | undefined;
  set(key: string, value: Promise<VerifiedTransaction>): void;
  delete(key: string): void;
}

/** Transactions kept by default: a batch of 256 documents costs about 40 KB. */
export const DEFAULT_BATCH_CACHE_ENTRIES = 256;

/** A least-recently-used VerifiedBatchCache of at most `maxEntries` transactions. */
export function createVerifiedBatchCache(opts: { maxEntries?: number } = {}): VerifiedBatchCache {
  const maxEntries = opts.maxEntries ?? DEFAULT_BATCH_CACHE_ENTRIES;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw new RangeError("maxEntries must be a positive integer");
  const entries = new Map<string, Promise<VerifiedTransaction>>();
  return {
    get(key) {
      const hit = entries.get(key);
      if (hit) {
        // Map order is insertion order: re-inserting marks the entry most recently used.
        entries.delete(key);
        entries.set(key, hit);
      }
      return hit;
    },
    set(key, value) {
      entries.delete(key);
      entries.set(key, value);
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
    delete: (key) => entries.delete(key),
  };
}

/** Where a node's log index saw a document hash logged, and how far it has indexed. */
export interface IndexedLocation {
  /** The last block indexed: the live search covers only the blocks after it. */
  indexedTo: number;
  /** That block's hash as the index saw it, when it kept it: compared with the chain's before "not found" is believed. */
  indexedToHash?: string;
  logs: Array<{ txHash: string; blockHash: string; blockNumber: number }>;
}

/** A map of where to look (chain/log-index/); never a source of truth: everything it names is confirmed on chain. */
export interface DocumentIndex {
  /** undefined while the index has nothing to offer (not started, nothing indexed yet). */
  locate(docHashHex: string): IndexedLocation | undefined;
}

/** Where and how to look: the node, the ledger, and optionally the batches already checked. */
export interface AnchorLookup {
  rpc: JsonRpc;
  ledgerAddress: string;
  /** The ledger's deployment block: the node's log index is searched from there, not from genesis. */
  fromBlock?: number;
  /** Blocks per eth_getLogs at most (CHAIN_LOG_RANGE); default search-logs.ts's DEFAULT_LOG_RANGE. */
  logRange?: number;
  /** Checked batches to reuse; without one every lookup rebuilds and checks its batches. */
  batches?: VerifiedBatchCache;
  /** The node's log index: asked first, with only the blocks after it searched live. */
  index?: DocumentIndex;
}

/** What the index named could not be confirmed on chain: the lookup searches live instead. */
class StaleIndexError extends Error {}

const LEDGER = DocumentLedger__factory.createInterface();
const BATCH_ANCHORED = LEDGER.getEvent("BatchAnchored");
const TOPIC_POSITIONS = [0, 1, 2, 3] as const;
const HEX32 = /^0x[0-9a-fA-F]{64}$/;

/** Options of {@link lookupDocumentAnchors}. */
export interface LookupOptions {
  /**
   * The latest block as the caller's round read it (one eth_blockNumber shared by every lookup of a
   * verification, asked before them): the live searches end there. Default: asked by this lookup.
   */
  latestBlock?: Promise<number>;
}

/**
 * Lists every anchoring of `docHashHex` by the ledger, earliest first, each with a Merkle proof
 * rebuilt from the anchoring transaction's logs and checked against the root in storage. Asks
 * `lookup.index` (if any) where the hash was logged, then searches the blocks after the index
 * (or all from `fromBlock`) up to the latest block in four chunked log searches (a hash may sit
 * at any topic position), then, for a transaction not in `lookup.batches`, its receipt and block
 * time, then the stored roots. What the index names and cannot be confirmed on chain makes it
 * search in full instead.
 */
export async function lookupDocumentAnchors(lookup: AnchorLookup, docHashHex: string, options: LookupOptions = {}): Promise<AnchorRecord[]> {
  if (!HEX32.test(docHashHex)) throw new RangeError(`a document hash is 32 bytes of 0x-hex, got ${docHashHex}`);
  const docHash = docHashHex.toLowerCase();
  const address = lookup.ledgerAddress.toLowerCase();
  const toBlock = await (options.latestBlock ?? latestBlockNumber(lookup.rpc));
  const located = lookup.index?.locate(docHash);
  if (located) {
    try {
      return await lookupFrom(lookup, address, docHash, toBlock, located);
    } catch (err) {
      // The index lags a reorganisation (or its file was damaged): the chain decides, searched in full.
      if (!(err instanceof StaleIndexError)) throw err;
    }
  }
  return lookupFrom(lookup, address, docHash, toBlock, undefined);
}

/**
 * The lookup proper: the transactions the index names (if any), plus a live search of the blocks
 * after it (or of all blocks from the deployment) up to `toBlock`, each rebuilt and checked on chain.
 */
async function lookupFrom(lookup: AnchorLookup, address: string, docHash: string, toBlock: number, located: IndexedLocation | undefined): Promise<AnchorRecord[]> {
  const searchFrom = located ? located.indexedTo + 1 : (lookup.fromBlock ?? 0);
  // The index may have taken a block mined after the round read the latest one: then nothing is
  // left to search live, and the checkpoint below confirms that block. Without a checkpoint hash,
  // an index past the chain's head cannot be told from one that lags a shorter reorganised chain.
  if (located && located.indexedTo > toBlock && located.indexedToHash === undefined) throw new StaleIndexError("the index is ahead of the chain");
  const [found, checkpoint] = await Promise.all([
    Promise.all(
      TOPIC_POSITIONS.map((position) =>
        searchLogs({
          rpc: lookup.rpc,
          filter: { address, topics: TOPIC_POSITIONS.slice(0, position + 1).map((p) => (p === position ? docHash : null)) },
          fromBlock: searchFrom,
          toBlock,
          maxRange: lookup.logRange,
        }),
      ),
    ),
    located?.indexedToHash === undefined ? undefined : lookup.rpc.request("eth_getBlockByNumber", ["0x" + located.indexedTo.toString(16), false]),
  ]);
  if (located?.indexedToHash !== undefined && String((checkpoint as { hash?: unknown } | null)?.hash).toLowerCase() !== located.indexedToHash) {
    throw new StaleIndexError(`block ${located.indexedTo} is no longer the one the index saw`);
  }
  const transactions = new Map<string, FoundTransaction & { fromIndex: boolean }>();
  for (const tx of located?.logs ?? []) {
    transactions.set(`${address}:${tx.blockHash}:${tx.txHash}`, { txHash: tx.txHash, blockHash: tx.blockHash, fromIndex: true });
  }
  for (const log of found.flat()) {
    const { documentLog, ...tx } = logLocation(log);
    if (documentLog) transactions.set(`${address}:${tx.blockHash}:${tx.txHash}`, { ...tx, fromIndex: false });
  }
  // Transactions, and the questions about each, are independent: asked together, not in turn.
  const verified = await Promise.all(
    [...transactions].map(([key, tx]) =>
      verifiedTransaction(lookup, address, key, tx).catch((err: unknown) => {
        // A transaction the index named that is not in that block any more: the index is stale.
        throw tx.fromIndex && err instanceof LedgerDataError ? new StaleIndexError(err.message) : err;
      }),
    ),
  );
  const records = verified.flatMap((tx) => recordsOf(tx, docHash));
  if (located && located.logs.length > 0 && !records.some((r) => located.logs.some((l) => l.txHash === r.txHash))) {
    throw new StaleIndexError("the transactions the index named do not anchor the document");
  }
  return records.sort((a, b) => a.blockNumber - b.blockNumber || a.batchId - b.batchId || a.index - b.index);
}

/**
 * {@link lookupDocumentAnchors} through a typechain ledger connected to a provider (the anchor
 * queue, scripts and tests hold one); nothing is kept between calls.
 */
export async function findDocumentAnchors(
  ledger: DocumentLedger,
  docHashHex: string,
  options: { fromBlock?: number; logRange?: number } = {},
): Promise<AnchorRecord[]> {
  const lookup = { rpc: jsonRpcOfRunner(ledger.runner), ledgerAddress: await ledger.getAddress(), ...options };
  return lookupDocumentAnchors(lookup, docHashHex);
}

/** The checked batches of one transaction, from the cache or rebuilt (and then kept). */
function verifiedTransaction(
  lookup: AnchorLookup,
  address: string,
  key: string,
  tx: FoundTransaction,
): Promise<VerifiedTransaction> {
  const cached = lookup.batches?.get(key);
  if (cached) return cached;
  const fresh = rebuildTransaction(lookup.rpc, address, tx);
  if (lookup.batches) {
    // Kept as a promise, so lookups racing for the same batch share one rebuild; a failure is not kept.
    const cache = lookup.batches;
    cache.set(key, fresh);
    fresh.catch(() => cache.delete(key));
  }
  return fresh;
}

/** Where a document log was found: its transaction and block (and the block's time, when the node's logs carry it). */
interface FoundTransaction {
  txHash: string;
  blockHash: string;
  blockTimestamp?: string;
}

/**
 * Reads a transaction's receipt (and its block, unless the log carried `blockTimestamp`), rebuilds
 * its batches and checks each root against storage.
 */
async function rebuildTransaction(rpc: JsonRpc, address: string, tx: FoundTransaction): Promise<VerifiedTransaction> {
  const [receipt, timestamp] = await Promise.all([
    rpc.request("eth_getTransactionReceipt", [tx.txHash]),
    tx.blockTimestamp ?? blockTimestamp(rpc, tx),
  ]);
  if (!isObject(receipt) || !Array.isArray(receipt.logs)) throw new LedgerDataError(`no receipt for anchoring transaction ${tx.txHash}`);
  if (String(receipt.blockHash).toLowerCase() !== tx.blockHash) {
    // The log and the receipt disagree on the block: the chain moved between the two questions.
    throw new LedgerDataError(`transaction ${tx.txHash} is no longer in block ${tx.blockHash}`);
  }
  const batches = batchesInLogs(receipt.logs as LogFields[], address, tx.txHash);
  const stored = Promise.all(
    batches.map((b) =>
      rpc.request("eth_call", [{ to: address, data: LEDGER.encodeFunctionData("batch", [b.batchId]) }, "latest"]),
    ),
  );
  // Rebuilding the trees is the costly part; it runs while the node answers.
  const trees = batches.map((b) => buildBatchTree(b.entries));
  const roots = await stored;
  const checked = batches.map((batch, i) => {
    const record = decodeBatchRecord(roots[i], batch.batchId);
    if (trees[i].root !== batch.rootHex || record.root !== batch.rootHex || record.departmentId !== batch.departmentId) {
      throw new LedgerDataError(`batch ${batch.batchId}: the root rebuilt from its logs differs from the ledger's`);
    }
    return { ...batch, tree: trees[i] };
  });
  return { txHash: tx.txHash, blockNumber: quantity(receipt.blockNumber, "blockNumber"), anchoredAtSec: quantity(timestamp, "timestamp"), batches: checked };
}

/** The time of the block a transaction was found in; newer nodes (geth 1.14.9+, anvil) put it in each log instead. */
async function blockTimestamp(rpc: JsonRpc, tx: FoundTransaction): Promise<string> {
  const block = await rpc.request("eth_getBlockByHash", [tx.blockHash, false]);
  if (!isObject(block) || typeof block.timestamp !== "string") throw new LedgerDataError(`block ${tx.blockHash} of ${tx.txHash} not found`);
  return block.timestamp;
}

/** The anchorings of `docHash` in a checked transaction: a batch may hold it more than once (e.g. under two kinds). */
function recordsOf(tx: VerifiedTransaction, docHash: string): AnchorRecord[] {
  const records: AnchorRecord[] = [];
  for (const batch of tx.batches) {
    for (const [index, entry] of batch.entries.entries()) {
      if (entry.docHashHex !== docHash) continue;
      records.push({
        batchId: batch.batchId,
        departmentId: batch.departmentId,
        kind: entry.kind,
        index,
        batchSize: batch.entries.length,
        rootHex: batch.rootHex,
        proof: batch.tree.getProof(index),
        txHash: tx.txHash,
        blockNumber: tx.blockNumber,
        anchoredAtSec: tx.anchoredAtSec,
      });
    }
  }
  return records;
}

/**
 * Every batch a transaction anchored, with its leaves in batch order, from its logs: the ledger's
 * document logs up to each BatchAnchored log are that batch's documents. Hex comes out lowercase.
 */
export function batchesInLogs(logs: readonly LogFields[], ledgerAddress: string, txHash: string): BatchFromLogs[] {
  const address = ledgerAddress.toLowerCase();
  const batches: BatchFromLogs[] = [];
  let pendingHashes: string[] = [];
  for (const log of logs) {
    if (!isObject(log) || typeof log.address !== "string" || log.address.toLowerCase() !== address) continue;
    if (!hasHexTopics(log) || typeof log.data !== "string") throw new LedgerDataError(`a malformed log in ${txHash}`);
    if (isDocumentLog(log)) {
      pendingHashes.push(...log.topics.map((topic) => topic.toLowerCase()));
    } else if (log.topics[0] === BATCH_ANCHORED.topicHash) {
      const event = LEDGER.parseLog({ topics: [...log.topics], data: log.data });
      if (!event) throw new LedgerDataError(`undecodable BatchAnchored log in ${txHash}`);
      const kinds = Buffer.from(String(event.args.kinds).slice(2), "hex");
      const size = Number(event.args.size);
      if (pendingHashes.length !== size || kinds.length !== size) {
        throw new LedgerDataError(`batch ${event.args.batchId} in ${txHash}: ${pendingHashes.length} hashes and ${kinds.length} kinds for size ${size}`);
      }
      batches.push({
        batchId: Number(event.args.batchId),
        departmentId: String(event.args.departmentId).toLowerCase(),
        rootHex: String(event.args.root).toLowerCase(),
        entries: pendingHashes.map((docHashHex, i) => ({ docHashHex, kind: kinds[i] })),
      });
      pendingHashes = [];
    }
  }
  return batches;
}

/** The ledger's document-hash logs are anonymous and carry no data; its declared events all do. */
function isDocumentLog(log: LogFields): boolean {
  return log.data === "0x" && log.topics.length >= 1;
}

/** Where a log found by eth_getLogs was mined, and whether it is a document log. */
function logLocation(log: unknown): FoundTransaction & { documentLog: boolean } {
  if (!isObject(log) || typeof log.transactionHash !== "string" || typeof log.blockHash !== "string" || !hasHexTopics(log) || typeof log.data !== "string") {
    throw new LedgerDataError("the node returned a malformed log");
  }
  return {
    txHash: log.transactionHash.toLowerCase(),
    blockHash: log.blockHash.toLowerCase(),
    ...(typeof log.blockTimestamp === "string" ? { blockTimestamp: log.blockTimestamp } : {}),
    documentLog: isDocumentLog({ address: String(log.address), topics: log.topics as string[], data: log.data }),
  };
}

/** The ledger's answer to batch(batchId): its stored root and department (lowercase hex), or LedgerDataError for an answer that is no such record. */
function decodeBatchRecord(answer: unknown, batchId: number): { root: string; departmentId: string } {
  try {
    const [record] = LEDGER.decodeFunctionResult("batch", String(answer));
    return { root: String(record.root).toLowerCase(), departmentId: String(record.departmentId).toLowerCase() };
  } catch {
    throw new LedgerDataError(`the ledger's record of batch ${batchId} cannot be decoded`);
  }
}

/** A log's topics are 32-byte 0x-hex strings. */
function hasHexTopics(log: Record<string, unknown>): log is Record<string, unknown> & { topics: string[] } {
  return Array.isArray(log.topics) && log.topics.every((t) => typeof t === "string" && HEX32.test(t));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
