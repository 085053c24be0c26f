// The anchoring queue as the rest of the service sees it. Durable in SQLite: a document accepted
// is queued in the same transaction that records it, and batches move pending → submitted (tx hash
// recorded before sending) → confirmed, so after a crash each document is anchored exactly once.
import type { AnchorRecord } from "../chain/anchor-lookup";
import type { DocumentKindName } from "../chain/merkle";

export type AnchorStatus = "pending" | "submitted" | "confirmed";

/** Where a document stands in the queue, for the API ("pending" while the chain is down). */
export interface AnchorState {
  docHashHex: string;
  departmentCode: string;
  status: AnchorStatus;
  /** Set once submitted. */
  txHash?: string;
  /** Set once confirmed: batch, block time and proof as rebuilt from chain data. */
  anchor?: AnchorRecord;
  /** The last submission error, public-safe (e.g. "chain unreachable, retrying"). */
  lastError?: string;
}

export interface AnchorQueue {
  /** Queues a document; a hash already pending, submitted or confirmed returns its existing state. */
  enqueue(entry: { docHashHex: string; kind: DocumentKindName; departmentCode: string }): AnchorState;
  state(docHashHex: string): AnchorState | undefined;
  /** Reconciles submitted batches with the chain, then batches by size and time until stopped. */
  start(): Promise<void>;
  /** Stops after the batch in flight; nothing accepted is lost. */
  stop(): Promise<void>;
}
