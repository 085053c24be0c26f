// Every live log search ZeroSign makes goes through here: eth_getLogs from a block to the latest in
// chunks of at most `maxRange` blocks (CHAIN_LOG_RANGE), because Hyperledger Besu refuses a range
// over --rpc-max-logs-range (1,000 blocks by default) and every node's cost grows with the range.
// A chunk the node still refuses is halved until one block; only a refused single block is an
// answer (CHAIN_QUERY_REFUSED, never a verdict). It knows nothing of what the logs mean.
import { ChainUnavailableError } from "../errors";
import { JsonRpcCallError, type JsonRpc } from "./json-rpc";
import { LedgerDataError } from "./ledger-data-error";

/** Blocks one eth_getLogs covers at most by default: Besu's default --rpc-max-logs-range. */
export const DEFAULT_LOG_RANGE = 1000;

/** Chunks asked at once: one batch POST over the HTTP client, a bounded load on the node. */
const CHUNKS_IN_FLIGHT = 8;

/** What to search for: one address or several, and eth_getLogs topic filters. */
export interface LogFilter {
  address: string | readonly string[];
  topics?: ReadonlyArray<string | null | readonly string[]>;
}

/** A log as the node returns it; the fields every node sends are checked by the callers that read them. */
export type RawLog = Record<string, unknown>;

/** Parameters of {@link searchLogs}. */
export interface LogSearch {
  rpc: JsonRpc;
  filter: LogFilter;
  fromBlock: number;
  /** Last block searched, inclusive; default the node's latest block, asked once. */
  toBlock?: number;
  /** At most this many blocks per eth_getLogs; default {@link DEFAULT_LOG_RANGE}. */
  maxRange?: number;
}

/** The latest block number the node reports. */
export async function latestBlockNumber(rpc: JsonRpc): Promise<number> {
  return quantity(await rpc.request("eth_blockNumber", []), "eth_blockNumber");
}

/**
 * The logs matching `search.filter` from `fromBlock` to `toBlock` (the latest block when not
 * given), in block order, asked in chunks of at most `maxRange` blocks. A chunk the node refuses is
 * asked again in halves; a single block refused throws ChainUnavailableError CHAIN_QUERY_REFUSED.
 */
export async function searchLogs(search: LogSearch): Promise<RawLog[]> {
  const maxRange = search.maxRange ?? DEFAULT_LOG_RANGE;
  if (!Number.isSafeInteger(maxRange) || maxRange < 1) throw new RangeError("maxRange must be a positive integer");
  const toBlock = search.toBlock ?? (await latestBlockNumber(search.rpc));
  const chunks: Array<[number, number]> = [];
  for (let from = search.fromBlock; from <= toBlock; from += maxRange) chunks.push([from, Math.min(toBlock, from + maxRange - 1)]);
  const results: RawLog[][] = new Array(chunks.length);
  let next = 0;
  const runner = async () => {
    for (let i = next++; i < chunks.length; i = next++) results[i] = await logsInRange(search.rpc, search.filter, chunks[i][0], chunks[i][1]);
  };
  await Promise.all(Array.from({ length: Math.min(CHUNKS_IN_FLIGHT, chunks.length) }, runner));
  return results.flat();
}

/** One range; halved while the node refuses it. */
async function logsInRange(rpc: JsonRpc, filter: LogFilter, from: number, to: number): Promise<RawLog[]> {
  let answer: unknown;
  try {
    answer = await rpc.request("eth_getLogs", [{ ...filter, fromBlock: hex(from), toBlock: hex(to) }]);
  } catch (err) {
    if (!(err instanceof JsonRpcCallError)) throw err;
    // The node answered, but not with logs: a range cap (Besu), a result cap (geth's 10,000 logs).
    if (from === to) {
      throw new ChainUnavailableError("CHAIN_QUERY_REFUSED", `The chain node refused the log search of block ${from}: ${err.message}`, { cause: err });
    }
    const middle = from + Math.floor((to - from) / 2);
    return [...(await logsInRange(rpc, filter, from, middle)), ...(await logsInRange(rpc, filter, middle + 1, to))];
  }
  if (!Array.isArray(answer)) throw new LedgerDataError("eth_getLogs did not return a list");
  return answer as RawLog[];
}

function hex(n: number): string {
  return "0x" + n.toString(16);
}

/** A JSON-RPC quantity as a safe integer; LedgerDataError for anything else. */
export function quantity(value: unknown, what: string): number {
  const n = typeof value === "string" && /^0x[0-9a-fA-F]+$/.test(value) ? Number.parseInt(value, 16) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw new LedgerDataError(`the node returned a malformed ${what}`);
  return n;
}
