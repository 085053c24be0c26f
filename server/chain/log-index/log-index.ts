// A per-node index of the ledger's and registry's logs, so a lookup costs the same on a year-old
// chain as on a new one: it tails both contracts' logs from the deployment block in chunks no
// wider than the node's cap (shrinking the chunk when the node refuses one), resumes from its
// high-water mark after a restart or a crash, follows new blocks, and unwinds what it took from
// blocks a reorganisation replaced. It is a map of where to look: anchor-lookup.ts still confirms
// every fact on the chain (receipt, block hash, stored root) and searches the un-indexed tail live.
import type { Logger } from "pino";
import type { Clock } from "../../clock";
import type { DocumentIndex, IndexedLocation } from "../anchor-lookup";
import { JsonRpcCallError, type JsonRpc } from "../json-rpc";
import { LedgerDataError } from "../ledger-data-error";
import { DEFAULT_LOG_RANGE, latestBlockNumber, quantity, type RawLog } from "../search-logs";
import { openIndexDb, type ChunkLog, type IndexDb, type IndexIdentity } from "./index-db";

/** Blocks below the latest within which a reorganisation is looked for and unwound. */
export const DEFAULT_REORG_DEPTH = 128;
/** Chunks asked at once while catching up (one batch POST over the HTTP client), at most. */
const CHUNKS_IN_FLIGHT = 8;
/**
 * Logs one chunk, and one round of chunks, should bring back: a ledger log is ~700 bytes of JSON,
 * and a POST's answer must stay far below the client's 64 MiB limit. On a chain dense with
 * batches (one in every block) a full 1000-block chunk brings back 65,000 logs, eight of them 300 MB.
 */
const TARGET_LOGS_PER_CHUNK = 10_000;
const TARGET_LOGS_PER_ROUND = 20_000;
/** Stored block hashes checked against the chain each pass, at most. */
const CHECKED_BLOCKS = 64;

/** Parameters of {@link createLogIndex}. */
export interface LogIndexParams {
  rpc: JsonRpc;
  /** The index's SQLite file (main.ts: log-index.sqlite in the data folder). */
  file: string;
  identity: IndexIdentity;
  /** Blocks per eth_getLogs at most to begin with (CHAIN_LOG_RANGE); halved when the node refuses. */
  logRange?: number;
  clock: Clock;
  log: Logger;
  /** Wait between passes once caught up; default 1000. */
  pollMs?: number;
  reorgDepth?: number;
}

/** The index as main.ts, the benchmark and tests hold it. */
export interface LogIndex extends DocumentIndex {
  /** Indexes up to the node's latest block once (unwinding a reorganisation first); resolves with the last block indexed. */
  syncOnce(): Promise<number>;
  /** Starts following the chain in the background. */
  start(): void;
  /** Stops following and closes the file; waits for a pass in flight. */
  stop(): Promise<void>;
  /** The last block indexed, and the chunk width in use. */
  status(): { indexedTo: number; logRange: number };
  /** Non-document logs of `address` with first topic `topic0`, in chain order, as the node sent them. */
  events(address: string, topic0: string): Array<Record<string, unknown>>;
}

/** Opens the index at `params.file` (emptied if it was built for another chain or ledger); nothing runs until start() or syncOnce(). */
export function createLogIndex(params: LogIndexParams): LogIndex {
  const { rpc, clock, log } = params;
  const identity = { ...params.identity, ledgerAddress: params.identity.ledgerAddress.toLowerCase(), registryAddress: params.identity.registryAddress.toLowerCase() };
  const db: IndexDb = openIndexDb(params.file, identity, log);
  const reorgDepth = params.reorgDepth ?? DEFAULT_REORG_DEPTH;
  const pollMs = params.pollMs ?? 1000;
  let logRange = params.logRange ?? DEFAULT_LOG_RANGE;
  /** Logs per block in the last round read; unknown at first, so the first round is one chunk. */
  let density: number | undefined;
  let stopping: AbortController | undefined;
  let loop: Promise<void> | undefined;
  let pass: Promise<number> | undefined;
  let closed = false;

  /** One range's logs of both contracts; a refused range shrinks the chunk width for good and is asked in halves. */
  async function logsIn(from: number, to: number): Promise<RawLog[]> {
    try {
      const answer = await rpc.request("eth_getLogs", [{ address: [identity.ledgerAddress, identity.registryAddress], fromBlock: hex(from), toBlock: hex(to) }]);
      if (!Array.isArray(answer)) throw new LedgerDataError("eth_getLogs did not return a list");
      return answer as RawLog[];
    } catch (err) {
      if (!(err instanceof JsonRpcCallError) || from === to) throw err;
      const half = Math.max(1, Math.floor((to - from + 1) / 2));
      if (half < logRange) {
        logRange = half;
        log.warn({ from, to, logRange }, "the node refused a log search: indexing in smaller chunks");
      }
      return [...(await logsIn(from, from + half - 1)), ...(await logsIn(from + half, to))];
    }
  }

  async function hashOf(number: number): Promise<string | undefined> {
    const block = await rpc.request("eth_getBlockByNumber", [hex(number), false]);
    if (block === null) return undefined;
    if (typeof block !== "object" || typeof (block as { hash?: unknown }).hash !== "string") throw new LedgerDataError(`block ${number} is malformed`);
    return (block as { hash: string }).hash.toLowerCase();
  }

  /** A chunk near the tip is read between two looks at its last block's hash, so its logs and that hash are of one chain. */
  async function readChunk(from: number, to: number, nearTip: boolean): Promise<{ logs: ChunkLog[]; hashes: Map<number, string> }> {
    if (!nearTip) return { logs: (await logsIn(from, to)).map((l) => chunkLog(l, identity.ledgerAddress)), hashes: new Map() };
    for (let attempt = 1; ; attempt++) {
      const before = await hashOf(to);
      const raw = await logsIn(from, to);
      const after = await hashOf(to);
      // A block gone (the chain reorganised to a shorter one) or replaced while we read: the pass
      // fails and the next one starts over from the reorganisation check.
      if (before === undefined || after === undefined || (before !== after && attempt === 3)) {
        throw new LedgerDataError(`block ${to} changed while the index read it`);
      }
      if (before === after) return { logs: raw.map((l) => chunkLog(l, identity.ledgerAddress)), hashes: new Map([[to, after]]) };
    }
  }

  /** Compares the newest stored block hashes with the chain's and forgets everything from the first that changed. */
  async function unwindReorg(latest: number): Promise<void> {
    const indexedTo = db.indexedTo();
    const floor = Math.max(identity.fromBlock - 1, latest - reorgDepth);
    const stored = db.blocksDownFrom(indexedTo, CHECKED_BLOCKS).filter((b) => b.number > floor);
    if (stored.length === 0 && indexedTo <= latest) return;
    const onChain = await Promise.all(stored.map((b) => hashOf(b.number)));
    // The lowest block whose hash changed (a chain now shorter than the index counts from its end),
    // then the newest unchanged one beneath it: everything above that goes.
    const changed = stored.filter((b, i) => onChain[i] !== b.hash).map((b) => b.number);
    if (indexedTo > latest) changed.push(latest + 1);
    if (changed.length === 0) return;
    const changedAt = Math.min(...changed);
    let agreedBelow = floor;
    for (const [i, b] of stored.entries()) {
      if (b.number < changedAt && onChain[i] === b.hash) {
        agreedBelow = b.number;
        break;
      }
    }
    db.unwindTo(agreedBelow);
    log.warn({ changedAt, unwoundTo: agreedBelow, indexedTo }, "chain reorganisation: the index forgot the replaced blocks");
  }

  async function sync(): Promise<number> {
    const latest = await latestBlockNumber(rpc);
    await unwindReorg(latest);
    let from = db.indexedTo() + 1;
    while (from <= latest && !closed && !stopping?.signal.aborted) {
      // Chunks as wide as the cap allows on a sparse chain, narrower and fewer where logs are dense.
      const width = density === undefined || density === 0 ? logRange : clamp(Math.floor(TARGET_LOGS_PER_CHUNK / density), 1, logRange);
      const inFlight = density === undefined ? 1 : clamp(Math.floor(TARGET_LOGS_PER_ROUND / Math.max(1, density * width)), 1, CHUNKS_IN_FLIGHT);
      const chunks: Array<[number, number]> = [];
      for (let i = 0; i < inFlight && from <= latest; i++) {
        const to = Math.min(latest, from + width - 1);
        chunks.push([from, to]);
        from = to + 1;
      }
      const read = await Promise.all(chunks.map(([f, t]) => readChunk(f, t, t > latest - reorgDepth)));
      density = Math.max(...read.map(({ logs }, i) => logs.length / (chunks[i][1] - chunks[i][0] + 1)));
      // Written in block order, each with its high-water mark: a crash between two keeps a prefix.
      read.forEach(({ logs, hashes }, i) => db.writeChunk(chunks[i][1], logs, hashes));
    }
    db.pruneBlocks(latest - reorgDepth);
    return db.indexedTo();
  }

  const syncOnce = (): Promise<number> => {
    // One pass at a time: the loop and a caller (the benchmark, a test) share it.
    pass ??= sync().finally(() => {
      pass = undefined;
    });
    return pass;
  };

  return {
    syncOnce,
    start() {
      if (loop) return;
      stopping = new AbortController();
      const signal = stopping.signal;
      loop = (async () => {
        let failures = 0;
        while (!signal.aborted) {
          try {
            await syncOnce();
            failures = 0;
          } catch (err) {
            failures++;
            log.warn({ err, failures }, "log index pass failed; retrying");
          }
          await clock.sleep(Math.min(30_000, pollMs * 2 ** failures), signal);
        }
      })();
    },
    async stop() {
      stopping?.abort();
      await loop;
      await pass?.catch(() => undefined);
      if (!closed) db.close();
      closed = true;
    },
    status: () => ({ indexedTo: db.indexedTo(), logRange }),
    events: (address, topic0) => db.events(address, topic0),
    locate(docHashHex): IndexedLocation | undefined {
      if (closed) return undefined;
      const indexedTo = db.indexedTo();
      if (indexedTo < identity.fromBlock) return undefined;
      return { indexedTo, indexedToHash: db.blockHash(indexedTo), logs: db.documentLogs(docHashHex.toLowerCase()) };
    },
  };
}

/** A node's log as the index keeps it: document logs by their topics, other logs whole. */
function chunkLog(raw: RawLog, ledgerAddress: string): ChunkLog {
  const { address, blockHash, transactionHash, topics, data } = raw;
  if (typeof address !== "string" || typeof blockHash !== "string" || typeof transactionHash !== "string" || !Array.isArray(topics) || typeof data !== "string") {
    throw new LedgerDataError("the node returned a malformed log");
  }
  const base = {
    address: address.toLowerCase(),
    blockNumber: quantity(raw.blockNumber, "log blockNumber"),
    blockHash: blockHash.toLowerCase(),
    txHash: transactionHash.toLowerCase(),
    logIndex: quantity(raw.logIndex, "logIndex"),
    topics: (topics as unknown[]).map((t) => String(t).toLowerCase()),
  };
  // The ledger's document logs are anonymous and carry no data (anchor-lookup.ts's isDocumentLog).
  const documentLog = base.address === ledgerAddress && data === "0x" && base.topics.length >= 1;
  return documentLog ? base : { ...base, json: JSON.stringify(raw) };
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}

function hex(n: number): string {
  return "0x" + n.toString(16);
}
