// Revokes a document on the DocumentLedger as the issuing department's operator: finds the
// document's anchoring from chain data, sends revoke() with the rebuilt Merkle proof, and turns the
// ledger's custom errors into typed errors once (not the issuer → 403, not anchored → 409). A nonce
// taken by the anchoring queue's batch meanwhile costs another send, not the request. It knows
// nothing of PDFs or of the service's store: a document is its hash and kind here.
import { encodeBytes32String, isError, zeroPadValue, type ContractTransaction, type TransactionReceipt } from "ethers";
import { DocumentLedger__factory, type DocumentLedger } from "../../typechain-types";
import { ChainUnavailableError, ConflictError, ForbiddenError, NotFoundError, ZeroSignError } from "../errors";
import { findDocumentAnchors, type AnchorRecord } from "./anchor-lookup";
import { isChainOutage } from "./chain-reader";
import { decodeRevert } from "./decode-revert";
import { jsonRpcOfRunner } from "./json-rpc";
import { DOCUMENT_KINDS, type DocumentKindName } from "./merkle";
import { searchLogs } from "./search-logs";

const DOCUMENT_REVOKED = DocumentLedger__factory.createInterface().getEvent("DocumentRevoked");

/** What a revocation needs to know about the document. */
export interface RevocableDocument {
  docHashHex: string;
  kind: DocumentKindName;
}

/** A revocation as the chain recorded it. */
export interface ChainRevocation {
  txHash: string;
  revokedAtSec: number;
  batchId: number;
  /** The reason the ledger recorded: the request's own, or an earlier revocation's when one came first. */
  reasonCode: number;
}

/** Revokes `document` for `departmentCode` with `reasonCode` (1..65535). */
export type RevokeOnChain = (departmentCode: string, document: RevocableDocument, reasonCode: number) => Promise<ChainRevocation>;

/**
 * Sends of one revocation before giving up with OPERATOR_NONCE_CONFLICT. The queue has at most one
 * transaction in flight per department and waits for it before the next, so a second attempt
 * normally wins; the third covers an unlucky turn of the queue, not a steady loss.
 */
const SEND_ATTEMPTS = 3;

/** Parameters of {@link createDocumentRevoker}. */
export interface DocumentRevokerParams {
  /**
   * The ledger connected to the signer of `departmentCode`'s operator, or undefined when this node
   * holds no operator key for it. Share the signer with the anchoring queue: one nonce sequence.
   * Its provider must not cache answers (`cacheTimeout: -1`), or a retry reads the stale nonce.
   */
  ledgerFor(departmentCode: string): DocumentLedger | undefined;
  /** The ledger's deployment block: log searches start there. */
  fromBlock: number;
  /** Blocks per eth_getLogs at most (CHAIN_LOG_RANGE); default search-logs.ts's DEFAULT_LOG_RANGE. */
  logRange?: number;
}

/**
 * Builds the revoke capability. The revoker picks the department's own anchoring of the document;
 * when the document was anchored only by others it still asks the ledger, which is the authority
 * and refuses with DocumentLedgerNotIssuer (→ ForbiddenError DOCUMENT_NOT_ISSUER). Revoking twice
 * is idempotent: an earlier revocation by the same department is returned as it was recorded.
 */
export function createDocumentRevoker(params: DocumentRevokerParams): RevokeOnChain {
  return async (departmentCode, document, reasonCode) => {
    const ledger = params.ledgerFor(departmentCode);
    if (!ledger) {
      throw new ForbiddenError("DEPARTMENT_NOT_SERVED", `This node holds no operator key for department ${departmentCode}`);
    }
    const departmentId = encodeBytes32String(departmentCode);
    const kind = DOCUMENT_KINDS[document.kind];
    const anchors = await onChain("document anchors", () => findDocumentAnchors(ledger, document.docHashHex, { fromBlock: params.fromBlock, logRange: params.logRange }));
    const matching = anchors.filter((a) => a.kind === kind);
    const anchor: AnchorRecord | undefined = matching.find((a) => a.departmentId === departmentId) ?? matching[0];
    if (!anchor) {
      throw new ConflictError("DOCUMENT_NOT_ANCHORED", "The document is not anchored on the chain yet; revoke it once it is");
    }
    try {
      const request = await ledger.revoke.populateTransaction(document.docHashHex, kind, anchor.batchId, anchor.proof, reasonCode);
      const receipt = await sendWithFreshNonce(ledger, request);
      return revocationFromReceipt(ledger, receipt, document.docHashHex);
    } catch (err) {
      const revert = decodeRevert(ledger.interface, err);
      if (revert?.name === "DocumentLedgerAlreadyRevoked") return earlierRevocation(ledger, document.docHashHex, departmentId, params);
      if (revert) throw ledgerError(revert.name, departmentCode, err);
      // A mined revert carries no reason. On a chain that mines in blocks, another revocation of
      // this document (a second request, another clerk) may have been mined first in the same
      // block: when the ledger now holds this department's revocation, that is the answer.
      if (isError(err, "CALL_EXCEPTION") && err.receipt) {
        if (await revokedBy(ledger, document.docHashHex, departmentId)) return earlierRevocation(ledger, document.docHashHex, departmentId, params);
        // Refused in its block for another reason (e.g. the operator or department deactivated in
        // the same block): the ledger's answer, even without a reason, is not a fault of ZeroSign.
        throw new ZeroSignError("LEDGER_REVERTED", `The ledger refused the revocation in block ${err.receipt.blockNumber} without giving a reason`, {
          cause: err,
          httpStatus: 502,
        });
      }
      throw err;
    }
  };
}

/**
 * Sends the revocation and waits for it, sending again while the operator's nonce is taken by
 * another transaction of the same account. The anchoring queue signs its batches with the pending
 * nonce too, so a batch sent between our nonce read and our broadcast takes the nonce first: the
 * node then refuses ours ("nonce too low", or an underpriced replacement while the batch waits in
 * the pool), or mines the batch in its place. Each attempt reads the pending nonce again (ethers
 * fills it; the provider must not cache it). The queue settles a batch that lost its nonce by
 * itself (anchor/settle-batch.ts), so neither side loses anything. Sent through the signer, not the
 * contract method: ethers' contract responses never notice being replaced and would wait forever.
 */
async function sendWithFreshNonce(ledger: DocumentLedger, request: ContractTransaction): Promise<TransactionReceipt> {
  const signer = ledger.runner;
  const send = signer?.sendTransaction?.bind(signer);
  if (!send) throw new TypeError("the ledger must be connected to the operator's signer");
  for (let attempt = 1; ; attempt++) {
    try {
      const tx = await onChain("revoke", () => send(request));
      const receipt = await onChain("revoke receipt", () => tx.wait());
      if (!receipt) throw new ZeroSignError("REVOCATION_NOT_MINED", `The revocation ${tx.hash} has no receipt`);
      return receipt;
    } catch (err) {
      if (!isNonceTaken(err)) throw err;
      if (attempt === SEND_ATTEMPTS) {
        throw new ZeroSignError(
          "OPERATOR_NONCE_CONFLICT",
          "The department's operator account was busy with other transactions and the revocation could not be sent; try again",
          { cause: err, httpStatus: 503 },
        );
      }
    }
  }
}

/**
 * The node gave our nonce to another transaction. Not "already known": that names these very
 * bytes, already in the pool, and sending the revocation again with a new nonce would send it twice.
 */
function isNonceTaken(err: unknown): boolean {
  return isError(err, "NONCE_EXPIRED") || isError(err, "REPLACEMENT_UNDERPRICED") || isError(err, "TRANSACTION_REPLACED");
}

/** True when the ledger holds `departmentId`'s revocation of the document. */
async function revokedBy(ledger: DocumentLedger, docHashHex: string, departmentId: string): Promise<boolean> {
  const record = await onChain("document revocation", () => ledger.revocation(docHashHex, departmentId));
  return record.revokedAt !== 0n;
}

/** The ledger's refusals as typed errors, decoded here once. */
function ledgerError(name: string, departmentCode: string, cause: unknown): ZeroSignError {
  switch (name) {
    case "DocumentLedgerNotIssuer":
      return new ForbiddenError("DOCUMENT_NOT_ISSUER", `Only the department that anchored the document may revoke it, not ${departmentCode}`, { cause });
    case "DocumentLedgerNotOperator":
      return new ForbiddenError("OPERATOR_NOT_REGISTERED", `This node's operator account is not an operator of an active department ${departmentCode}`, { cause });
    case "DocumentLedgerUnknownBatch":
      return new NotFoundError("BATCH_NOT_FOUND", "The document's batch is not on this chain", { cause });
    case "DocumentLedgerInvalidProof":
      return new ConflictError("ANCHOR_PROOF_REJECTED", "The ledger rejected the document's Merkle proof", { cause });
    case "DocumentLedgerInvalidReason":
      return new ZeroSignError("REVOCATION_REASON_INVALID", "Reason code 0 is reserved", { cause, httpStatus: 400 });
    default:
      return new ZeroSignError("LEDGER_REVERTED", `The ledger refused the revocation (${name})`, { cause, httpStatus: 502 });
  }
}

function revocationFromReceipt(ledger: DocumentLedger, receipt: TransactionReceipt, docHashHex: string): ChainRevocation {
  for (const log of receipt.logs) {
    const parsed = ledger.interface.parseLog(log);
    if (parsed?.name === "DocumentRevoked" && String(parsed.args.docHash).toLowerCase() === docHashHex.toLowerCase()) {
      return { txHash: receipt.hash, revokedAtSec: Number(parsed.args.revokedAt), batchId: Number(parsed.args.batchId), reasonCode: Number(parsed.args.reasonCode) };
    }
  }
  throw new ZeroSignError("REVOCATION_NOT_MINED", `The revocation ${receipt.hash} emitted no DocumentRevoked`);
}

/**
 * A revocation sent before (e.g. by a request that crashed before recording it), read back from its
 * event. A node that judged ours against its pending state may have refused it as AlreadyRevoked
 * while that other revocation still waits to be mined: then there is no event yet, and no
 * revocation in the latest state either (409 REVOCATION_PENDING: ask again in a moment).
 */
async function earlierRevocation(
  ledger: DocumentLedger,
  docHashHex: string,
  departmentId: string,
  search: { fromBlock: number; logRange?: number },
): Promise<ChainRevocation> {
  const topics = [DOCUMENT_REVOKED.topicHash, zeroPadValue(docHashHex, 32).toLowerCase(), departmentId.toLowerCase()];
  const address = (await ledger.getAddress()).toLowerCase();
  const logs = await onChain("revocation events", () =>
    searchLogs({ rpc: jsonRpcOfRunner(ledger.runner), filter: { address, topics }, fromBlock: search.fromBlock, maxRange: search.logRange }),
  );
  const log = logs[0];
  if (!log && !(await revokedBy(ledger, docHashHex, departmentId))) {
    throw new ConflictError("REVOCATION_PENDING", "Another revocation of this document is waiting to be mined; ask again in a moment");
  }
  const event = log && typeof log.data === "string" && Array.isArray(log.topics) ? ledger.interface.parseLog({ topics: log.topics as string[], data: log.data }) : null;
  if (!event || typeof log.transactionHash !== "string") {
    throw new ZeroSignError("LEDGER_DATA_INCONSISTENT", "The ledger says the document is revoked but has no DocumentRevoked event", { httpStatus: 502 });
  }
  return { txHash: log.transactionHash, revokedAtSec: Number(event.args.revokedAt), batchId: Number(event.args.batchId), reasonCode: Number(event.args.reasonCode) };
}

/** Transport failures become CHAIN_UNREACHABLE (503); reverts and everything else pass through. */
async function onChain<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    // Already decided below (e.g. CHAIN_QUERY_REFUSED from the anchor lookup): kept as it is.
    if (err instanceof ChainUnavailableError) throw err;
    if (isChainOutage(err)) throw new ChainUnavailableError("CHAIN_UNREACHABLE", `The chain could not be reached (${what})`, { cause: err });
    throw err;
  }
}
