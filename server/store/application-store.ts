// Applications (事项申请) in SQLite: the applicant's data, the evidence cited, the path chosen and
// why, the signatures given and the timed stages (分段计时). Off chain by design: the chain sees
// only the salted application hash. One JSON record per row, written whole on every change.
import type { Db } from "./database";

export type ApplicationPath = "instant" | "commitment" | "filing" | "signOnce" | "signTwice";

/** Where an application stands. */
export type ApplicationStatus =
  /** Accepted; waiting for the signatures its path needs. */
  | "awaiting-signatures"
  /** Filed for public notice (自审备案), open to objections. */
  | "in-notice"
  /**
   * The decision is being recorded on chain (its signatures, if any, kept here); the chain was
   * unreachable or the node stopped before it answered. Retried until the chain has it, once.
   */
  | "deciding"
  /** Decided on chain; the certificate is not issued yet. */
  | "decided"
  /** Approved and its certificate issued (anchoring may still be pending). */
  | "issued"
  /** Refused on chain. */
  | "refused"
  /** Approved, then its post-check failed: the certificate is revoked. */
  | "revoked";

/** One cited evidence document, with what its anchor proof needs. */
export interface ApplicationEvidence {
  docHashHex: string;
  documentId?: string;
  kind: number;
  departmentCode: string;
  batchId: number;
  proof: string[];
  label: string;
  /** The data the rules read (the certificate's embedded fields), when it carries any. */
  fields?: Record<string, string>;
}

/** A human signature given to the decision (签一次 / 签两次). */
export interface ApplicationSignature {
  role: "staff" | "chief";
  departmentCode: string;
  keyId: string;
  x: string;
  y: string;
  r: string;
  s: string;
  signedAtMs: number;
}

/** Why the path was chosen: the rule applied and the evidence it read, one line each. */
export interface PathReason {
  path: ApplicationPath;
  chosen: boolean;
  /** UPPER_SNAKE, e.g. INSTANT_RULES_PASSED, INSTANT_RULE_FAILED, PATH_SUSPENDED. */
  code: string;
  reason: string;
  /** The instant rule and the evidence it read, when one applied. */
  rule?: string;
  evidenceDocHashHex?: string;
}

export interface ApplicationRecord {
  id: string;
  matterCode: string;
  /** The matter's owning department: its operator records the decision. */
  departmentCode: string;
  /** The department whose operator accepted the application (the hall accepts for others). */
  acceptedBy: string;
  applicationHashHex: string;
  saltHex: string;
  applicant: Record<string, string>;
  path: ApplicationPath;
  status: ApplicationStatus;
  ruleVersion: number;
  baselineSignatures: number;
  reasons: PathReason[];
  evidence: ApplicationEvidence[];
  /** Unix seconds after which the signed decision can no longer be recorded. */
  deadlineSec: number;
  signatures: ApplicationSignature[];
  outcome?: "approved" | "refused";
  /** While deciding: the outcome being recorded. */
  pendingOutcome?: "approved" | "refused";
  /** While deciding: why the last attempt did not reach the chain (public-safe). */
  lastError?: string;
  decisionTxHash?: string;
  certificateId?: string;
  /** Commitment path: the post-check deadline (unix seconds) and its result. */
  postCheckDueSec?: number;
  postCheck?: { passed: boolean; recordedAtMs: number; txHash: string };
  /** Filing path: the end of the notice (unix seconds) and the objections received. */
  noticeEndsSec?: number;
  objections?: Array<{ id: string; hashHex: string; state: "filed" | "upheld" | "rejected"; filedAtMs: number }>;
  stages: { acceptedAtMs: number; reviewedAtMs?: number; decidedAtMs?: number; issuedAtMs?: number };
}

export interface ApplicationStore {
  /** Inserts or replaces the whole record. */
  save(record: ApplicationRecord, nowMs: number): void;
  get(id: string): ApplicationRecord | undefined;
  /** Every application, oldest first (statistics). */
  list(): ApplicationRecord[];
  /** Applications with `status`, oldest first. */
  listByStatus(status: ApplicationStatus): ApplicationRecord[];
  /**
   * Applications with `status` that `departmentCode` owns or accepted (the hall accepts for
   * others), newest first, at most `limit`: an operator's queue.
   */
  listForDepartment(query: { departmentCode: string; status: ApplicationStatus; limit: number }): ApplicationRecord[];
}

/** The ApplicationStore over `db` (migration 3). */
export function createApplicationStore(db: Db): ApplicationStore {
  const upsert = db.prepare(
    `INSERT INTO applications (id, application_hash, matter_code, department_code, path, status, accepted_at_ms, updated_at_ms, record_json)
     VALUES (@id, @hash, @matter, @department, @path, @status, @accepted, @updated, @json)
     ON CONFLICT (id) DO UPDATE SET path = @path, status = @status, updated_at_ms = @updated, record_json = @json`,
  );
  const byId = db.prepare<[string], { record_json: string }>("SELECT record_json FROM applications WHERE id = ?");
  const all = db.prepare<[], { record_json: string }>("SELECT record_json FROM applications ORDER BY accepted_at_ms, id");
  const byStatus = db.prepare<[string], { record_json: string }>(
    "SELECT record_json FROM applications WHERE status = ? ORDER BY accepted_at_ms, id",
  );
  // acceptedBy lives in the record's JSON only; a queue is small, so no column or index for it.
  const forDepartment = db.prepare<{ department: string; status: string; limit: number }, { record_json: string }>(
    `SELECT record_json FROM applications
     WHERE status = @status AND (department_code = @department OR json_extract(record_json, '$.acceptedBy') = @department)
     ORDER BY accepted_at_ms DESC, id DESC LIMIT @limit`,
  );
  const parse = (row: { record_json: string }) => JSON.parse(row.record_json) as ApplicationRecord;
  return {
    save(record, nowMs) {
      upsert.run({
        id: record.id,
        hash: record.applicationHashHex,
        matter: record.matterCode,
        department: record.departmentCode,
        path: record.path,
        status: record.status,
        accepted: record.stages.acceptedAtMs,
        updated: nowMs,
        json: JSON.stringify(record),
      });
    },
    get(id) {
      const row = byId.get(id);
      return row && parse(row);
    },
    list: () => all.all().map(parse),
    listByStatus: (status) => byStatus.all(status).map(parse),
    listForDepartment: ({ departmentCode, status, limit }) => forDepartment.all({ department: departmentCode, status, limit }).map(parse),
  };
}
