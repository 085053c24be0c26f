// The anchoring queue's SQL: entries (one per document hash) and batches (one per signed
// transaction). Every state change that spans both tables is one transaction, so a crash leaves
// either the state before or the state after, never a batch without its entries.
import type { AnchorRecord } from "../chain/anchor-lookup";
import type { Db } from "../store/database";
import type { AnchorState, AnchorStatus } from "./types";

export interface EntryRow {
  seq: number;
  doc_hash: string;
  kind: number;
  department_code: string;
  status: AnchorStatus;
  enqueued_at_ms: number;
  batch_row_id: number | null;
  batch_index: number | null;
  last_error: string | null;
  anchor_json: string | null;
}

export interface BatchRow {
  id: number;
  department_code: string;
  status: "submitted" | "confirmed" | "abandoned";
  nonce: number;
  tx_hash: string;
  raw_tx: string;
  size: number;
  created_at_ms: number;
}

/** A signed anchoring transaction about to be broadcast. */
export interface SignedBatch {
  departmentCode: string;
  nonce: number;
  txHash: string;
  rawTx: string;
  entries: readonly EntryRow[];
}

export type QueueRows = ReturnType<typeof createQueueRows>;

/** Prepared statements and transactions over the queue's tables. */
export function createQueueRows(db: Db) {
  const entryByHash = db.prepare<[string], EntryRow & { tx_hash: string | null }>(
    `SELECT e.*, b.tx_hash FROM anchor_entries e LEFT JOIN anchor_batches b ON b.id = e.batch_row_id WHERE e.doc_hash = ?`,
  );
  const insertEntry = db.prepare(
    `INSERT INTO anchor_entries (doc_hash, kind, department_code, status, enqueued_at_ms)
     VALUES (?, ?, ?, 'pending', ?) ON CONFLICT (doc_hash) DO NOTHING`,
  );
  const pending = db.prepare<[string, number], EntryRow>(
    "SELECT * FROM anchor_entries WHERE department_code = ? AND status = 'pending' ORDER BY seq LIMIT ?",
  );
  const openBatch = db.prepare<[string], BatchRow>(
    "SELECT * FROM anchor_batches WHERE department_code = ? AND status = 'submitted' ORDER BY id LIMIT 1",
  );
  const batchEntries = db.prepare<[number], EntryRow>(
    "SELECT * FROM anchor_entries WHERE batch_row_id = ? ORDER BY batch_index",
  );
  const insertBatch = db.prepare(
    `INSERT INTO anchor_batches (department_code, status, nonce, tx_hash, raw_tx, size, created_at_ms)
     VALUES (?, 'submitted', ?, ?, ?, ?, ?)`,
  );
  const markSubmitted = db.prepare(
    `UPDATE anchor_entries SET status = 'submitted', batch_row_id = ?, batch_index = ?, last_error = NULL
     WHERE seq = ? AND status = 'pending'`,
  );
  const markConfirmed = db.prepare(
    "UPDATE anchor_entries SET status = 'confirmed', anchor_json = ?, last_error = NULL WHERE doc_hash = ?",
  );
  const requeue = db.prepare(
    `UPDATE anchor_entries SET status = 'pending', batch_row_id = NULL, batch_index = NULL, last_error = ?
     WHERE doc_hash = ? AND status = 'submitted'`,
  );
  const settleBatch = db.prepare("UPDATE anchor_batches SET status = ?, settled_at_ms = ? WHERE id = ?");
  const noteError = db.prepare(
    "UPDATE anchor_entries SET last_error = ? WHERE department_code = ? AND status IN ('pending', 'submitted')",
  );
  const unsettled = db.prepare<[string], { n: number }>(
    "SELECT count(*) AS n FROM anchor_entries WHERE department_code = ? AND status != 'confirmed'",
  );

  return {
    state(docHashHex: string): AnchorState | undefined {
      const row = entryByHash.get(docHashHex);
      if (!row) return undefined;
      return {
        docHashHex: row.doc_hash,
        departmentCode: row.department_code,
        status: row.status,
        ...(row.status !== "pending" && row.tx_hash ? { txHash: row.tx_hash } : {}),
        ...(row.anchor_json ? anchorFields(JSON.parse(row.anchor_json) as AnchorRecord) : {}),
        ...(row.last_error ? { lastError: row.last_error } : {}),
      };
    },
    insert(docHashHex: string, kind: number, departmentCode: string, nowMs: number): void {
      insertEntry.run(docHashHex, kind, departmentCode, nowMs);
    },
    pending: (departmentCode: string, limit: number) => pending.all(departmentCode, limit),
    openBatch: (departmentCode: string) => openBatch.get(departmentCode),
    batchEntries: (batchRowId: number) => batchEntries.all(batchRowId),
    unsettledCount: (departmentCode: string) => unsettled.get(departmentCode)?.n ?? 0,
    noteError: (departmentCode: string, message: string) => noteError.run(message, departmentCode),

    /** Records a signed batch and moves its entries to submitted: before anything is broadcast. */
    recordSubmitted: db.transaction((batch: SignedBatch, nowMs: number): number => {
      const id = Number(
        insertBatch.run(batch.departmentCode, batch.nonce, batch.txHash, batch.rawTx, batch.entries.length, nowMs).lastInsertRowid,
      );
      batch.entries.forEach((entry, index) => markSubmitted.run(id, index, entry.seq));
      return id;
    }),

    /**
     * Settles an open batch: entries found on chain become confirmed with their anchor, the rest
     * go back to pending with `requeueReason`.
     */
    settle: db.transaction(
      (batchRowId: number, status: "confirmed" | "abandoned", anchors: ReadonlyMap<string, AnchorRecord>, requeueReason: string, nowMs: number) => {
        for (const entry of batchEntries.all(batchRowId)) {
          const anchor = anchors.get(entry.doc_hash);
          if (anchor) markConfirmed.run(JSON.stringify(anchor), entry.doc_hash);
          else requeue.run(requeueReason, entry.doc_hash);
        }
        settleBatch.run(status, nowMs, batchRowId);
      },
    ),
  };
}

/** The confirmed state's fields; the tx hash is the anchoring's, which may differ from ours. */
function anchorFields(anchor: AnchorRecord): Pick<AnchorState, "anchor" | "txHash"> {
  return { anchor, txHash: anchor.txHash };
}
