// The one error for chain data that contradicts the ledger's own rules or JSON-RPC's shapes: a
// receipt from another block, a root that differs, a log search that is no list. Never a verdict
// on a document (502, LEDGER_DATA_INCONSISTENT).
import { ZeroSignError } from "../errors";

/** The chain returned data that contradicts the ledger's own rules: never a verdict on a document. */
export class LedgerDataError extends ZeroSignError {
  constructor(message: string) {
    super("LEDGER_DATA_INCONSISTENT", message, { httpStatus: 502 });
  }
}
