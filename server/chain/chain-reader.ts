// The verifier's view of the chain (verify/chain-reader.ts's ChainReader) over the typechain
// contracts: anchorings from logs, key windows, revocations, department names. It owns one
// distinction: a node that cannot be reached is ChainUnavailableError CHAIN_UNREACHABLE (never a
// verdict); a contract that answers, even with a revert, is an answer. It knows nothing of PDFs.
import { isError } from "ethers";
import type { DocumentLedger, TrustRegistry } from "../../typechain-types";
import { ChainUnavailableError } from "../errors";
import type { ChainReader, KeyAtTime, KeyStatusName } from "../verify/chain-reader";
import { findDocumentAnchors } from "./anchor-lookup";
import { decodeRevert } from "./decode-revert";
import { keyRoleName } from "./roles";

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

/** Parameters of {@link createChainReader}: contracts connected to a provider (signers not needed). */
export interface ChainReaderParams {
  registry: TrustRegistry;
  ledger: DocumentLedger;
  /** The ledger's deployment block: log searches start there. */
  fromBlock: number;
  /** Per-question limit; a slower answer is CHAIN_UNREACHABLE. Default {@link DEFAULT_CHAIN_TIMEOUT_MS}. */
  timeoutMs?: number;
}

/** Reads the verifier's facts from one JSON-RPC endpoint. Throws ChainUnavailableError on outages. */
export function createChainReader(params: ChainReaderParams): ChainReader {
  const { registry, ledger, fromBlock } = params;
  const timeoutMs = params.timeoutMs ?? DEFAULT_CHAIN_TIMEOUT_MS;
  const ask = <T>(what: string, question: () => Promise<T>) => askChain(what, timeoutMs, question);
  return {
    findAnchors: (docHashHex) => ask("document anchors", () => findDocumentAnchors(ledger, docHashHex, { fromBlock })),

    keyAt: (keyIdHex, timeSec) =>
      ask("signing key", async (): Promise<KeyAtTime> => {
        const [key, status] = await registry.keyAt(keyIdHex, BigInt(timeSec));
        return {
          departmentId: key.departmentId,
          role: keyRoleName(Number(key.role)),
          validFromSec: Number(key.validFrom),
          validUntilSec: Number(key.validUntil),
          revokedAtSec: Number(key.revokedAt),
          status: keyStatusName(status),
        };
      }),

    revocation: (docHashHex, departmentId) =>
      ask("document revocation", async () => {
        const record = await ledger.revocation(docHashHex, departmentId);
        if (record.revokedAt === 0n) return undefined;
        return {
          revokedAtSec: Number(record.revokedAt),
          reasonCode: Number(record.reasonCode),
          batchId: Number(record.batchId),
        };
      }),

    departmentName: (departmentId) =>
      ask("department", async () => {
        try {
          return (await registry.department(departmentId)).name;
        } catch (err) {
          // The registry's own answer "no such department", decoded from its custom error.
          if (decodeRevert(registry.interface, err)?.name === "TrustRegistryUnknownDepartment") return undefined;
          throw err;
        }
      }),
  };
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
  };
}

/** True when `err` (or an error in its cause chain) says the transport failed, not the contract. */
export function isChainOutage(err: unknown): boolean {
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
