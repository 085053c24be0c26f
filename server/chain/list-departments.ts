// The registry view a public client sees: every department with its name and whether it is active,
// and each one's signing keys with role, validity window and revocation time, read from the
// TrustRegistry's storage and its KeyRegistered logs (searched live in capped chunks, or taken
// from the node's log index). Public data only; no operator addresses.
import { decodeBytes32String } from "ethers";
import { TrustRegistry__factory, type TrustRegistry } from "../../typechain-types";
import { ChainUnavailableError } from "../errors";
import { isChainOutage } from "./chain-reader";
import type { JsonRpc } from "./json-rpc";
import { LedgerDataError } from "./ledger-data-error";
import { searchLogs } from "./search-logs";
import { keyRoleName, type KeyRoleName } from "./roles";

/** One registered signing key. */
export interface RegistryKeyView {
  keyIdHex: string;
  role: KeyRoleName;
  validFromSec: number;
  validUntilSec: number;
  /** 0 when not revoked. */
  revokedAtSec: number;
}

/** One registered department. */
export interface RegistryDepartmentView {
  /** bytes32 id as 0x-hex. */
  departmentId: string;
  /** The id decoded as text (ZeroSign registers codes as bytes32 strings), if it is one. */
  code?: string;
  name: string;
  active: boolean;
  registeredAtSec: number;
  deactivatedAtSec: number;
  keys: RegistryKeyView[];
}

/** A registered key as its KeyRegistered log names it. */
export interface KeyRegistration {
  keyIdHex: string;
  departmentId: string;
  role: number;
}

/** Where the registry's KeyRegistered logs come from: a live chunked search, or the node's log index. */
export type KeyRegistrations = () => Promise<KeyRegistration[]>;

const REGISTRY = TrustRegistry__factory.createInterface();
const KEY_REGISTERED = REGISTRY.getEvent("KeyRegistered");

/** The part of the node's log index (log-index/log-index.ts) the listing reads. */
export interface RegistryEventIndex {
  status(): { indexedTo: number };
  events(address: string, topic0: string): Array<Record<string, unknown>>;
}

/**
 * The registry's KeyRegistered logs: from `index` up to the block it has indexed and live after
 * it, or all live from `fromBlock` without an index; live searches in chunks of at most `logRange`
 * blocks. What a log claims is checked against the registry's storage by {@link listDepartments}.
 */
export function searchKeyRegistrations(rpc: JsonRpc, registryAddress: string, fromBlock: number, logRange?: number, index?: RegistryEventIndex): KeyRegistrations {
  const address = registryAddress.toLowerCase();
  return async () => {
    const indexedTo = index?.status().indexedTo ?? fromBlock - 1;
    const indexed = indexedTo >= fromBlock ? (index?.events(address, KEY_REGISTERED.topicHash) ?? []) : [];
    const live = await searchLogs({ rpc, filter: { address, topics: [KEY_REGISTERED.topicHash] }, fromBlock: Math.max(fromBlock, indexedTo + 1), maxRange: logRange });
    return [...indexed, ...live].map(keyRegistrationOf);
  };
}

/** A KeyRegistered log decoded; LedgerDataError for one that is not. */
export function keyRegistrationOf(log: { topics?: unknown; data?: unknown }): KeyRegistration {
  const event = Array.isArray(log.topics) && typeof log.data === "string" ? REGISTRY.parseLog({ topics: log.topics as string[], data: log.data }) : null;
  if (event?.name !== "KeyRegistered") throw new LedgerDataError("the node returned a malformed KeyRegistered log");
  return { keyIdHex: String(event.args.keyId), departmentId: String(event.args.departmentId), role: Number(event.args.role) };
}

/** Reads every department from `registry`'s storage and each one's keys from `registrations`. */
export async function listDepartments(registry: TrustRegistry, registrations: KeyRegistrations): Promise<RegistryDepartmentView[]> {
  try {
    const ids = await registry.departmentIds();
    const [departments, keyEvents] = await Promise.all([Promise.all(ids.map((id) => registry.department(id))), registrations()]);
    const keyRecords = await Promise.all(keyEvents.map((e) => registry.keyAt(e.keyIdHex, 0)));
    return departments.map((d) => ({
      departmentId: d.id,
      code: codeOf(d.id),
      name: d.name,
      active: d.active,
      registeredAtSec: Number(d.registeredAt),
      deactivatedAtSec: Number(d.deactivatedAt),
      keys: keyEvents.flatMap((e, i): RegistryKeyView[] => {
        const role = keyRoleName(e.role);
        const [record] = keyRecords[i];
        // The registry's storage, not the log, says whose key it is (a log from an index that lags a reorganisation is no such key).
        if (e.departmentId !== d.id || String(record.departmentId) !== d.id || role === undefined) return [];
        return [{
          keyIdHex: e.keyIdHex,
          role,
          validFromSec: Number(record.validFrom),
          validUntilSec: Number(record.validUntil),
          revokedAtSec: Number(record.revokedAt),
        }];
      }),
    }));
  } catch (err) {
    if (isChainOutage(err)) throw new ChainUnavailableError("CHAIN_UNREACHABLE", "The chain could not be reached (registry)", { cause: err });
    throw err;
  }
}

function codeOf(departmentId: string): string | undefined {
  try {
    return decodeBytes32String(departmentId);
  } catch {
    // Not a bytes32 string (another registry's id scheme): the hex id is the only name.
    return undefined;
  }
}
