// Decodes the custom error a contract reverted with, from whichever error shape the provider threw:
// ethers' JSON-RPC provider decodes it itself (CALL_EXCEPTION with `revert`), Hardhat's in-process
// provider leaves the revert data on the error or its causes. chain/ maps the decoded name to a
// typed ZeroSign error once per call site; nothing outside chain/ sees revert data.
import { isError, type Interface, type Result } from "ethers";

/** A decoded custom error: its name (e.g. DocumentLedgerNotIssuer) and arguments. */
export interface DecodedRevert {
  name: string;
  args: Result | readonly unknown[];
}

/** The custom error of `iface` that `err` carries, or undefined (not a revert, or another contract's). */
export function decodeRevert(iface: Interface, err: unknown): DecodedRevert | undefined {
  if (isError(err, "CALL_EXCEPTION") && err.revert) {
    // ethers decodes with every ABI it knows; keep only this contract's errors.
    if (iface.getError(err.revert.name)) return { name: err.revert.name, args: err.revert.args };
  }
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; depth++) {
    const data = (e as { data?: unknown }).data;
    if (typeof data === "string" && /^0x[0-9a-fA-F]{8}/.test(data)) {
      const parsed = iface.parseError(data);
      if (parsed) return { name: parsed.name, args: parsed.args };
    }
    e = (e as { error?: unknown }).error ?? e.cause;
  }
  return undefined;
}
