// Documents the service accepted: the record in SQLite, the bytes in content-addressed files.
// Accepting is two steps in a fixed order: the file is written and fsynced first, then ONE
// transaction inserts the document row and its anchoring-queue row. A crash before the commit
// leaves at most an orphan file (harmless, content-addressed); after it, both rows exist.
import { DOCUMENT_KINDS, type DocumentKindName } from "../chain/merkle";
import { ConflictError, NotFoundError } from "../errors";
import type { Db } from "./database";
import { sha256Hex, type PdfFiles } from "./pdf-files";
import type { DocumentRecord, DocumentStore } from "./types";

interface DocumentRow {
  id: string;
  doc_hash: string;
  kind: DocumentKindName;
  department_code: string;
  title: string;
  parent_id: string | null;
  created_at_ms: number;
  revoked_reason: number | null;
  revoked_at_ms: number | null;
  revoked_tx: string | null;
}

/** The DocumentStore over `db` and `files`. */
export function createDocumentStore(db: Db, files: PdfFiles): DocumentStore {
  const byId = db.prepare<[string], DocumentRow>("SELECT * FROM documents WHERE id = ?");
  const byHash = db.prepare<[string], DocumentRow>("SELECT * FROM documents WHERE doc_hash = ?");
  const insertDocument = db.prepare(
    `INSERT INTO documents (id, doc_hash, kind, department_code, title, parent_id, created_at_ms)
     VALUES (@id, @docHashHex, @kind, @departmentCode, @title, @parentId, @createdAtMs)`,
  );
  // The anchoring queue's row, in the same transaction; anchor/ owns everything after this insert.
  const insertQueueEntry = db.prepare(
    `INSERT INTO anchor_entries (doc_hash, kind, department_code, status, enqueued_at_ms)
     VALUES (?, ?, ?, 'pending', ?) ON CONFLICT (doc_hash) DO NOTHING`,
  );
  const listFirst = db.prepare<[string, number], DocumentRow>(
    "SELECT * FROM documents WHERE department_code = ? ORDER BY created_at_ms DESC, id DESC LIMIT ?",
  );
  const listAfter = db.prepare<[string, number, string, number], DocumentRow>(
    `SELECT * FROM documents WHERE department_code = ? AND (created_at_ms, id) < (?, ?)
     ORDER BY created_at_ms DESC, id DESC LIMIT ?`,
  );
  const revoke = db.prepare(
    "UPDATE documents SET revoked_reason = ?, revoked_at_ms = ?, revoked_tx = ? WHERE id = ? AND revoked_at_ms IS NULL",
  );

  const accept = db.transaction((record: DocumentRecord, recordKeyHex: string | undefined): DocumentRecord => {
    // Checked again inside the write transaction: two requests racing with the same bytes.
    const existing = byHash.get(record.docHashHex);
    if (existing) return toRecord(existing);
    const sameId = byId.get(record.id);
    if (sameId) throw new ConflictError("DOCUMENT_ID_TAKEN", `Document id ${record.id} is already used by another file`);
    insertDocument.run({ ...record, parentId: record.parentId ?? null });
    insertQueueEntry.run(record.docHashHex, DOCUMENT_KINDS[record.kind], record.departmentCode, record.createdAtMs);
    if (recordKeyHex) insertQueueEntry.run(recordKeyHex, DOCUMENT_KINDS[record.kind], record.departmentCode, record.createdAtMs);
    return record;
  });

  return {
    async addDocument(input, pdfBytes, opts = {}) {
      const docHashHex = sha256Hex(pdfBytes);
      const existing = byHash.get(docHashHex);
      if (existing) return toRecord(existing);
      await files.write(pdfBytes);
      const record: DocumentRecord = {
        id: input.id,
        docHashHex,
        kind: input.kind,
        departmentCode: input.departmentCode,
        title: input.title,
        ...(input.parentId !== undefined ? { parentId: input.parentId } : {}),
        createdAtMs: input.createdAtMs,
      };
      return accept.immediate(record, opts.recordKeyHex);
    },
    getDocument: (id) => optional(byId.get(id)),
    getDocumentByHash: (docHashHex) => optional(byHash.get(docHashHex.toLowerCase())),
    listDocuments({ departmentCode, limit, beforeId }) {
      if (beforeId === undefined) return listFirst.all(departmentCode, limit).map(toRecord);
      const cursor = byId.get(beforeId);
      if (!cursor || cursor.department_code !== departmentCode) {
        throw new NotFoundError("DOCUMENT_NOT_FOUND", `No document ${beforeId} of this department`);
      }
      return listAfter.all(departmentCode, cursor.created_at_ms, cursor.id, limit).map(toRecord);
    },
    readPdf: (docHashHex) => files.read(docHashHex.toLowerCase()),
    markRevoked(id, revocation) {
      const row = byId.get(id);
      if (!row) throw new NotFoundError("DOCUMENT_NOT_FOUND", `No document ${id}`);
      if (row.revoked_at_ms !== null) throw new ConflictError("DOCUMENT_ALREADY_REVOKED", `Document ${id} is already revoked`);
      revoke.run(revocation.reasonCode, revocation.revokedAtMs, revocation.txHash, id);
      return { ...toRecord(row), revocation };
    },
  };
}

function optional(row: DocumentRow | undefined): DocumentRecord | undefined {
  return row ? toRecord(row) : undefined;
}

function toRecord(row: DocumentRow): DocumentRecord {
  return {
    id: row.id,
    docHashHex: row.doc_hash,
    kind: row.kind,
    departmentCode: row.department_code,
    title: row.title,
    ...(row.parent_id !== null ? { parentId: row.parent_id } : {}),
    createdAtMs: row.created_at_ms,
    ...(row.revoked_at_ms !== null && row.revoked_reason !== null && row.revoked_tx !== null
      ? { revocation: { reasonCode: row.revoked_reason, revokedAtMs: row.revoked_at_ms, txHash: row.revoked_tx } }
      : {}),
  };
}
