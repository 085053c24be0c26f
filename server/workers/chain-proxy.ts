// The verifier's ChainReader across the thread boundary: a worker gets a ChainReader whose every
// method is a host call, and the main thread answers it with the real reader (its JSON-RPC
// connection, or Hardhat's in-process provider in tests), so no worker opens connections of its
// own. Answers are plain data; a ChainUnavailableError comes back as one, with its code.
import type { AnchorRecord } from "../chain/anchor-lookup";
import type { ChainReader, DocumentRevocation, KeyAtTime } from "../verify/chain-reader";
import type { HostFunctions } from "./worker-pool";
import type { HostCall } from "./worker-runtime";

/** Main thread: the host functions a verify job's chain proxy calls. */
export function chainHostFunctions(chain: ChainReader): HostFunctions {
  return {
    "chain.findAnchors": (docHashHex) => chain.findAnchors(docHashHex as string),
    "chain.keyAt": (keyIdHex, timeSec) => chain.keyAt(keyIdHex as string, timeSec as number),
    "chain.revocation": (docHashHex, departmentId) => chain.revocation(docHashHex as string, departmentId as string),
    "chain.departmentName": (departmentId) => chain.departmentName(departmentId as string),
  };
}

/** Worker: a ChainReader that asks the main thread's reader. */
export function chainReaderOverHost(callHost: HostCall): ChainReader {
  return {
    findAnchors: (docHashHex) => callHost("chain.findAnchors", [docHashHex]) as Promise<AnchorRecord[]>,
    keyAt: (keyIdHex, timeSec) => callHost("chain.keyAt", [keyIdHex, timeSec]) as Promise<KeyAtTime>,
    revocation: (docHashHex, departmentId) => callHost("chain.revocation", [docHashHex, departmentId]) as Promise<DocumentRevocation | undefined>,
    departmentName: (departmentId) => callHost("chain.departmentName", [departmentId]) as Promise<string | undefined>,
  };
}
