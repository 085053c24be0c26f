// Opens the service's store in a data folder: <data>/zerosign.sqlite (documents, anchoring queue,
// tokens) and <data>/pdfs/ (content-addressed files). main.ts calls this once and passes the parts
// on; the anchoring queue gets `db` because its rows live in the same transactions as documents.
import path from "node:path";
import type { Logger } from "pino";
import type { Clock } from "../clock";
import { ensurePrivateDir } from "../pki/key-files";
import { openDatabase, type Db } from "./database";
import { createDocumentStore } from "./document-store";
import { createPdfFiles } from "./pdf-files";
import { createTokenStore } from "./token-store";
import type { DocumentStore, TokenStore } from "./types";

export interface Store {
  db: Db;
  documents: DocumentStore;
  tokens: TokenStore;
  /** Closes the database (checkpointing the WAL). */
  close(): void;
}

/** Opens or creates the store under `dataDir`. */
export async function createStore(opts: { dataDir: string; log: Logger; clock: Pick<Clock, "now"> }): Promise<Store> {
  await ensurePrivateDir(opts.dataDir);
  const db = openDatabase(path.join(opts.dataDir, "zerosign.sqlite"), opts.log);
  const files = await createPdfFiles(path.join(opts.dataDir, "pdfs"));
  return {
    db,
    documents: createDocumentStore(db, files),
    tokens: createTokenStore(db, opts.clock),
    close: () => db.close(),
  };
}
