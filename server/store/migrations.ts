// The database schema as an ordered list of migrations. Append new ones; never edit an applied
// one (a deployed database already ran it). Hashes are stored as lowercase 0x-hex text so the
// database reads the same as the API and the chain.

/** One schema step, applied once in a transaction. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "documents, anchoring queue, api tokens",
    sql: `
      CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        doc_hash TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        department_code TEXT NOT NULL,
        title TEXT NOT NULL,
        parent_id TEXT REFERENCES documents(id),
        created_at_ms INTEGER NOT NULL,
        revoked_reason INTEGER,
        revoked_at_ms INTEGER,
        revoked_tx TEXT
      );
      CREATE INDEX documents_by_department ON documents (department_code, created_at_ms DESC, id DESC);

      -- One row per signed anchoring transaction, written before it is broadcast.
      CREATE TABLE anchor_batches (
        id INTEGER PRIMARY KEY,
        department_code TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('submitted', 'confirmed', 'abandoned')),
        nonce INTEGER NOT NULL,
        tx_hash TEXT NOT NULL UNIQUE,
        raw_tx TEXT NOT NULL,
        size INTEGER NOT NULL,
        created_at_ms INTEGER NOT NULL,
        settled_at_ms INTEGER
      );
      CREATE INDEX anchor_batches_open ON anchor_batches (status, department_code);

      -- One row per document hash to anchor; the anchor facts are filled in from the chain.
      CREATE TABLE anchor_entries (
        seq INTEGER PRIMARY KEY,
        doc_hash TEXT NOT NULL UNIQUE,
        kind INTEGER NOT NULL,
        department_code TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'submitted', 'confirmed')),
        enqueued_at_ms INTEGER NOT NULL,
        batch_row_id INTEGER REFERENCES anchor_batches(id),
        batch_index INTEGER,
        last_error TEXT,
        anchor_json TEXT
      );
      CREATE INDEX anchor_entries_by_status ON anchor_entries (department_code, status, seq);
      CREATE INDEX anchor_entries_by_batch ON anchor_entries (batch_row_id, batch_index);

      CREATE TABLE api_tokens (
        id TEXT PRIMARY KEY,
        department_code TEXT NOT NULL,
        label TEXT NOT NULL,
        secret_sha256 BLOB NOT NULL,
        created_at_ms INTEGER NOT NULL,
        revoked_at_ms INTEGER
      );
    `,
  },
  {
    version: 2,
    name: "api tokens expire",
    // A token without a recorded expiry would never lapse, so the tokens of version 1 get the
    // default validity (90 days from their creation); the column's default of 0 means expired,
    // so a row inserted without one fails closed.
    sql: `
      ALTER TABLE api_tokens ADD COLUMN expires_at_ms INTEGER NOT NULL DEFAULT 0;
      UPDATE api_tokens SET expires_at_ms = created_at_ms + 90 * 86400000;
    `,
  },
  {
    version: 3,
    name: "applications",
    // One row per application (事项申请). The applicant's data stays here, off chain; the chain
    // holds only application_hash, keccak256 over the data and a random 256-bit salt. The record
    // as the approvals service keeps it is JSON; the columns are what lists and statistics filter on.
    sql: `
      CREATE TABLE applications (
        id TEXT PRIMARY KEY,
        application_hash TEXT NOT NULL UNIQUE,
        matter_code TEXT NOT NULL,
        department_code TEXT NOT NULL,
        path TEXT NOT NULL,
        status TEXT NOT NULL,
        accepted_at_ms INTEGER NOT NULL,
        updated_at_ms INTEGER NOT NULL,
        record_json TEXT NOT NULL
      );
      CREATE INDEX applications_by_status ON applications (status, path);
      CREATE INDEX applications_by_matter ON applications (matter_code, path);
    `,
  },
  {
    version: 4,
    name: "intake queue",
    // Applications accepted while the chain was unreachable, before their review (their evidence
    // can only be verified against the chain): the request as given, its id and salt fixed at
    // intake so a review repeated after a crash yields the same application hash, and the
    // evidence PDFs uploaded with it. A row leaves once its application is saved; one whose review
    // refused it (evidence revoked meanwhile, no path) stays, state 'rejected', with the reason.
    sql: `
      CREATE TABLE intake_queue (
        id TEXT PRIMARY KEY,
        accepted_at_ms INTEGER NOT NULL,
        request_json TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'waiting',
        last_error TEXT
      );
      CREATE TABLE intake_queue_files (
        id TEXT NOT NULL REFERENCES intake_queue (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        pdf BLOB NOT NULL,
        PRIMARY KEY (id, position)
      );
    `,
  },
];
