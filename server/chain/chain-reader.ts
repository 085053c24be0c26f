// The verifier's view of the chain (verify/chain-reader.ts's ChainReader) over raw JSON-RPC
// (json-rpc.ts): anchorings from logs, key windows, revocations, department names. It owns one
// distinction: a node that cannot be reached is ChainUnavailableError CHAIN_UNREACHABLE (never a
// verdict); a contract that answers, even with a revert, is an answer. It knows nothing of PDFs.
import { isError } from "ethers";
import { DocumentLedger__factory, TrustRegistry__factory } from "../../typechain-types";
import { ChainUnavailableError } from "../errors";
import type { ChainReader, KeyAtTime, KeyStatusName } from "../verify/chain-reader";
import { createVerifiedBatchCache, lookupDocumentAnchors, type DocumentIndex, type VerifiedBatchCache } from "./anchor-lookup";
import { decodeRevert } from "./decode-revert";
import type { Deployment } from "./deploy";
import type { JsonRpc } from "./json-rpc";
import { keyRoleName } from "./roles";
import { latestBlockNumber } from "./search-logs";

/** ITrustRegistry.KeyStatus in declaration order; the index is the on-chain number. */
const KEY_STATUS_NAMES: readonly KeyStatusName[] = [
  "valid",
  "unknown-key",
  "wrong-department",
  "wrong-role",
  "not-yet-valid",
  "expired",
  "revoked",
  "department-inactive",
];

/** Socket-level failures: the node is down, unreachable or hung up. */
const NETWORK_ERROR_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/** ethers' codes for "the transport failed", as opposed to CALL_EXCEPTION (the contract answered). */
const ETHERS_OUTAGE_CODES = ["NETWORK_ERROR", "SERVER_ERROR", "TIMEOUT"] as const;

/** A node that does not answer within this time counts as unreachable. */
export const DEFAULT_CHAIN_TIMEOUT_MS = 10_000;

const REGISTRY = TrustRegistry__factory.createInterface();
const LEDGER = DocumentLedger__factory.createInterface();

/** Parameters of {@link createChainReader}. */
export interface ChainReaderParams {
  rpc: JsonRpc;
  /** The contracts' addresses, and the ledger's deployment block: log searches start there. */
  deployment: Pick<Deployment, "registryAddress" | "ledgerAddress" | "deployBlock">;
  /** Blocks per eth_getLogs at most (CHAIN_LOG_RANGE); default search-logs.ts's DEFAULT_LOG_RANGE. */
  logRange?: number;
  /** The node's log index, asked before the live search (anchor-lookup.ts confirms what it names). */
  index?: DocumentIndex;
  /** Per-question limit; a slower answer is CHAIN_UNREACHABLE. Default {@link DEFAULT_CHAIN_TIMEOUT_MS}. */
  timeoutMs?: number;
  /**
   * Anchoring transactions already rebuilt and checked, reused by every lookup of this reader
   * (see VerifiedBatchCache: only what a block fixes). Default: a cache of its own.
   */
  batches?: VerifiedBatchCache;
}

/** Reads the verifier's facts through `rpc`. Throws ChainUnavailableError on outages. */
export function createChainReader(params: ChainReaderParams): ChainReader {
  const { rpc, deployment } = params;
  const timeoutMs = params.timeoutMs ?? DEFAULT_CHAIN_TIMEOUT_MS;
  const lookup = {
    rpc,
    ledgerAddress: deployment.ledgerAddress,
    fromBlock: deployment.deployBlock,
    logRange: params.logRange,
    index: params.index,
    batches: params.batches ?? createVerifiedBatchCache(),
  };
  const ask = <T>(what: string, question: () => Promise<T>) => askChain(what, timeoutMs, question);
  const call = async (to: string, data: string) => String(await rpc.request("eth_call", [{ to, data }, "latest"]));
  const reader: ChainReader = {
    findAnchors: (docHashHex) => ask("document anchors", () => lookupDocumentAnchors(lookup, docHashHex)),

    round() {
      const latestBlock = ask("latest block", () => latestBlockNumber(rpc));
      // Asked ahead: a lookup that awaits it reports its failure; a round that never looks up (an unreadable file) drops it.
      latestBlock.catch(() => undefined);
      return { ...reader, findAnchors: (docHashHex) => ask("document anchors", () => lookupDocumentAnchors(lookup, docHashHex, { latestBlock })) };
    },

    keyAt: (keyIdHex, timeSec) =>
      ask("signing key", async (): Promise<KeyAtTime> => {
        const answer = await call(deployment.registryAddress, REGISTRY.encodeFunctionData("keyAt", [keyIdHex, timeSec]));
        const [key, status] = REGISTRY.decodeFunctionResult("keyAt", answer);
        return {
          departmentId: String(key.departmentId),
          role: keyRoleName(Number(key.role)),
          validFromSec: Number(key.validFrom),
          validUntilSec: Number(key.validUntil),
          revokedAtSec: Number(key.revokedAt),
          status: keyStatusName(BigInt(status)),
        };
      }),

    revocation: (docHashHex, departmentId) =>
      ask("document revocation", async () => {
        const answer = await call(deployment.ledgerAddress, LEDGER.encodeFunctionData("revocation", [docHashHex, departmentId]));
        const [record] = LEDGER.decodeFunctionResult("revocation", answer);
        if (BigInt(record.revokedAt) === 0n) return undefined;
        return {
          revokedAtSec: Number(record.revokedAt),
          reasonCode: Number(record.reasonCode),
          batchId: Number(record.batchId),
        };
      }),

    departmentName: (departmentId) =>
      ask("department", async () => {
        try {
          const answer = await call(deployment.registryAddress, REGISTRY.encodeFunctionData("department", [departmentId]));
          return String(REGISTRY.decodeFunctionResult("department", answer)[0].name);
        } catch (err) {
          // The registry's own answer "no such department", decoded from its custom error.
          if (decodeRevert(REGISTRY, err)?.name === "TrustRegistryUnknownDepartment") return undefined;
          throw err;
        }
      }),
  };
  return reader;
}

/**
 * A reader that asks `readers` in order and moves to the next only when one is unreachable, so a
 * verifier configured with several RPC endpoints survives one node's outage (DESIGN.md: an
 * outage is not a verdict). Throws the last ChainUnavailableError when none answers.
 */
export function createFallbackChainReader(readers: readonly ChainReader[]): ChainReader {
  if (readers.length === 0) throw new RangeError("createFallbackChainReader needs at least one reader");
  const first = async <T>(question: (reader: ChainReader) => Promise<T>): Promise<T> => {
    let lastOutage: ChainUnavailableError | undefined;
    for (const reader of readers) {
      try {
        return await question(reader);
      } catch (err) {
        if (!(err instanceof ChainUnavailableError)) throw err;
        lastOutage = err;
      }
    }
    throw lastOutage;
  };
  return {
    findAnchors: (docHashHex) => first((r) => r.findAnchors(docHashHex)),
    keyAt: (keyIdHex, timeSec) => first((r) => r.keyAt(keyIdHex, timeSec)),
    revocation: (docHashHex, departmentId) => first((r) => r.revocation(docHashHex, departmentId)),
    departmentName: (departmentId) => first((r) => r.departmentName(departmentId)),
    // The first node's round starts now; a later node is asked for its latest block only if the round falls back to it.
    round: () => createFallbackChainReader(readers.map((r, i) => (i === 0 ? (r.round?.() ?? r) : roundWhenAsked(r)))),
  };
}

/** `reader`'s round, started by the first question it is asked (or `reader` itself, if it has no rounds). */
function roundWhenAsked(reader: ChainReader): ChainReader {
  let round: ChainReader | undefined;
  const get = () => (round ??= reader.round?.() ?? reader);
  return {
    findAnchors: (docHashHex) => get().findAnchors(docHashHex),
    keyAt: (keyIdHex, timeSec) => get().keyAt(keyIdHex, timeSec),
    revocation: (docHashHex, departmentId) => get().revocation(docHashHex, departmentId),
    departmentName: (departmentId) => get().departmentName(departmentId),
  };
}

/** True when `err` (or an error in its cause chain) says the transport failed, not the contract. */
export function isChainOutage(err: unknown): boolean {
  if (err instanceof ChainUnavailableError) return true;
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; depth++) {
    if (ETHERS_OUTAGE_CODES.some((code) => isError(e, code))) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK_ERROR_CODES.has(code)) return true;
    // ethers wraps transport errors in `error`, Node's fetch in `cause`.
    e = (e as { error?: unknown }).error ?? e.cause;
  }
  return false;
}

async function askChain<T>(what: string, timeoutMs: number, question: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ChainUnavailableError("CHAIN_UNREACHABLE", `The chain did not answer (${what}) within ${timeoutMs} ms`)),
      timeoutMs,
    );
    timer.unref();
  });
  try {
    return await Promise.race([question(), timeout]);
  } catch (err) {
    if (err instanceof ChainUnavailableError) throw err;
    if (isChainOutage(err)) {
      throw new ChainUnavailableError("CHAIN_UNREACHABLE", `The chain could not be reached (${what})`, { cause: err });
    }
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

function keyStatusName(status: bigint): KeyStatusName {
  const name = KEY_STATUS_NAMES[Number(status)];
  if (name === undefined) throw new RangeError(`unknown TrustRegistry.KeyStatus ${status}`);
  return name;
}
