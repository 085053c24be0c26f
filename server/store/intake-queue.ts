// Applications accepted while the chain was unreachable, waiting for their review (migration 4):
// the request as the operator gave it, with its id and salt fixed at intake and its uploaded
// evidence PDFs, in SQLite with the rest of the node's state, so nothing accepted is lost over an
// outage or a restart. The approvals service reviews them once the chain is back.
import type { Db } from "./database";

/** An accepted request: what intake needs to review it later, exactly as it would have then. */
export interface QueuedIntake {
  id: string;
  saltHex: string;
  acceptedBy: string;
  acceptedAtMs: number;
  matter: string;
  applicant: Record<string, string>;
  /** Evidence in the order given: a stored document's id, or the position of an uploaded PDF. */
  evidence: Array<{ documentId: string } | { upload: number }>;
  commitment: boolean;
  selfReview: boolean;
  /** The matter's owning department (who may read it besides the accepting one). */
  departmentCode: string;
  /** waiting: for the chain; rejected: its review refused it (lastError says why, `code` its code). */
  state: "waiting" | "rejected";
  /** Why the last review did not happen, or why it refused (public-safe). */
  lastError?: string;
  rejectedCode?: string;
}

export interface IntakeQueue {
  /** Keeps `intake` and its uploaded PDFs (position i is `{ upload: i }`), in one transaction. */
  add(intake: QueuedIntake, uploads: readonly Uint8Array[]): void;
  get(id: string): QueuedIntake | undefined;
  /** The uploaded PDFs of `id`, by position. */
  uploads(id: string): Uint8Array[];
  /** Every queued intake, oldest first (rejected ones too). */
  list(): QueuedIntake[];
  setLastError(id: string, lastError: string): void;
  /** Marks `id` refused by its review, for good: it is no longer reviewed. */
  reject(id: string, code: string, reason: string): void;
  remove(id: string): void;
}

export function createIntakeQueue(db: Db): IntakeQueue {
  const insert = db.prepare("INSERT INTO intake_queue (id, accepted_at_ms, request_json, last_error) VALUES (?, ?, ?, ?)");
  const insertFile = db.prepare("INSERT INTO intake_queue_files (id, position, pdf) VALUES (?, ?, ?)");
  type Row = { request_json: string; state: string; last_error: string | null };
  const byId = db.prepare<[string], Row>("SELECT request_json, state, last_error FROM intake_queue WHERE id = ?");
  const all = db.prepare<[], Row>("SELECT request_json, state, last_error FROM intake_queue ORDER BY accepted_at_ms, id");
  const files = db.prepare<[string], { pdf: Buffer }>("SELECT pdf FROM intake_queue_files WHERE id = ? ORDER BY position");
  const setError = db.prepare("UPDATE intake_queue SET last_error = ? WHERE id = ?");
  const setRejected = db.prepare("UPDATE intake_queue SET state = 'rejected', last_error = ?, request_json = json_set(request_json, '$.rejectedCode', ?) WHERE id = ?");
  const remove = db.prepare("DELETE FROM intake_queue WHERE id = ?");
  const parse = (row: Row): QueuedIntake => {
    const intake = { ...(JSON.parse(row.request_json) as QueuedIntake), state: row.state === "rejected" ? ("rejected" as const) : ("waiting" as const) };
    return row.last_error === null ? intake : { ...intake, lastError: row.last_error };
  };
  const add = db.transaction((intake: QueuedIntake, uploads: readonly Uint8Array[]) => {
    const { lastError: _lastError, state: _state, ...request } = intake;
    insert.run(intake.id, intake.acceptedAtMs, JSON.stringify(request), intake.lastError ?? null);
    uploads.forEach((pdf, position) => insertFile.run(intake.id, position, Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength)));
  });
  return {
    add: (intake, uploads) => add(intake, uploads),
    get(id) {
      const row = byId.get(id);
      return row && parse(row);
    },
    uploads: (id) => files.all(id).map((row) => new Uint8Array(row.pdf)),
    list: () => all.all().map(parse),
    setLastError: (id, lastError) => void setError.run(lastError, id),
    reject: (id, code, reason) => void setRejected.run(reason, code, id),
    remove: (id) => void remove.run(id),
  };
}
