// What the verifier asks the chain, as an interface: server/chain/chain-reader.ts implements it
// over JSON-RPC; verify/ never sees a provider. Implementations throw ChainUnavailableError
// (server/errors.ts) when the chain cannot be reached, which checks report as unknown, never invalid.
import type { AnchorRecord } from "../chain/anchor-lookup";
import type { KeyRoleName } from "../chain/roles";

export type KeyStatusName =
  | "valid"
  | "unknown-key"
  | "wrong-department"
  | "wrong-role"
  | "not-yet-valid"
  | "expired"
  | "revoked"
  | "department-inactive";

/** A registry key record with its status at the asked time. */
export interface KeyAtTime {
  departmentId: string;
  role?: KeyRoleName;
  validFromSec: number;
  validUntilSec: number;
  /** 0 when not revoked. */
  revokedAtSec: number;
  status: KeyStatusName;
}

export interface DocumentRevocation {
  revokedAtSec: number;
  reasonCode: number;
  batchId: number;
}

export interface ChainReader {
  /** Every anchoring of a document hash, earliest first, each with a checked Merkle proof. */
  findAnchors(docHashHex: string): Promise<AnchorRecord[]>;
  /** The key's registry record and its status at `timeSec`. */
  keyAt(keyIdHex: string, timeSec: number): Promise<KeyAtTime>;
  /** The department's revocation of the document, if any. */
  revocation(docHashHex: string, departmentId: string): Promise<DocumentRevocation | undefined>;
  /** A department's public name, or undefined if not registered. */
  departmentName(departmentId: string): Promise<string | undefined>;
  /**
   * A reader for one verification round: its anchor lookups end their log searches at one latest
   * block, read once and asked now, so the read is answered while the round's file is read and
   * checked offline instead of costing each lookup a round trip before its searches. Readers that
   * ask nothing before their searches (a worker's proxy of the main thread's round) have none.
   */
  round?(): ChainReader;
}
