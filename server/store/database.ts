// Opens the service's SQLite database and brings its schema up to date. WAL mode lets the HTTP
// handlers read while the anchoring queue writes; synchronous=FULL because a document is
// "accepted" the moment its transaction commits, and in WAL mode NORMAL may lose the last commits
// on power loss (never corrupting, but an accepted document would vanish). FULL costs one WAL
// fsync per commit, small next to signing a PDF. The file and its -wal and -shm companions are
// owner-only (0600): they hold token hashes and every document's record.
import { chmodSync, closeSync, openSync } from "node:fs";
import Database from "better-sqlite3";
import type { Logger } from "pino";
import { MIGRATIONS, type Migration } from "./migrations";

export type Db = Database.Database;

/** Opens (creating if needed) the database at `file` and applies pending migrations. */
export function openDatabase(file: string, log: Logger, migrations: readonly Migration[] = MIGRATIONS): Db {
  // SQLite creates the -wal and -shm files with the database file's mode, so that is set first
  // (an empty file is an empty database); files left by an earlier, laxer version are narrowed.
  closeSync(openSync(file, "a", 0o600));
  restrictToOwner(file);
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  // Another process (the crash tests' driver, a CLI) may hold the write lock for a moment.
  db.pragma("busy_timeout = 5000");
  applyMigrations(db, log, migrations);
  restrictToOwner(file);
  return db;
}

/** chmod 0600 the database and whichever of its -wal and -shm files exist. */
function restrictToOwner(file: string): void {
  for (const name of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      chmodSync(name, 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
  }
}

/**
 * Applies every migration newer than the recorded schema version, each in its own transaction
 * together with its row in schema_migrations, so a crash mid-migration leaves the previous version.
 */
export function applyMigrations(db: Db, log: Logger, migrations: readonly Migration[]): void {
  db.exec(
    `CREATE TABLE IF NOT EXISTS schema_migrations (
       version INTEGER PRIMARY KEY,
       name TEXT NOT NULL,
       applied_at_ms INTEGER NOT NULL
     )`,
  );
  const applied = new Set(
    (db.prepare("SELECT version FROM schema_migrations").all() as { version: number }[]).map((r) => r.version),
  );
  const record = db.prepare("INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (?, ?, ?)");
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
    }).immediate();
    log.info({ version: migration.version, name: migration.name }, "database migration applied");
  }
}
