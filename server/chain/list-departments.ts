// The registry view a public client sees: every department with its name and whether it is active,
// and each one's signing keys with role, validity window and revocation time, read from the
// TrustRegistry's storage and its KeyRegistered logs. Public data only; no operator addresses.
import { decodeBytes32String } from "ethers";
import type { TrustRegistry } from "../../typechain-types";
import { ChainUnavailableError } from "../errors";
import { isChainOutage } from "./chain-reader";
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

/** Reads every department and key from `registry`; logs are searched from `fromBlock`. */
export async function listDepartments(registry: TrustRegistry, fromBlock: number): Promise<RegistryDepartmentView[]> {
  try {
    const ids = await registry.departmentIds();
    const [departments, keyEvents] = await Promise.all([
      Promise.all(ids.map((id) => registry.department(id))),
      registry.queryFilter(registry.filters.KeyRegistered(), fromBlock),
    ]);
    const keyRecords = await Promise.all(keyEvents.map((e) => registry.keyAt(e.args.keyId, 0)));
    return departments.map((d) => ({
      departmentId: d.id,
      code: codeOf(d.id),
      name: d.name,
      active: d.active,
      registeredAtSec: Number(d.registeredAt),
      deactivatedAtSec: Number(d.deactivatedAt),
      keys: keyEvents.flatMap((e, i): RegistryKeyView[] => {
        const role = keyRoleName(Number(e.args.role));
        if (e.args.departmentId !== d.id || role === undefined) return [];
        const [record] = keyRecords[i];
        return [{
          keyIdHex: e.args.keyId,
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
