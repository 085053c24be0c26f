// The log index's own SQLite file (log-index.sqlite in the data folder, apart from the service's
// store: it can be deleted at any time and is rebuilt from the chain). It holds where each document
// hash was logged, the ledger's and registry's other events, the hashes of the blocks it took logs
// from and of its recent chunk ends (what a reorganisation is detected by), and how far it got.
// Each chunk is written in one transaction with its new high-water mark: a crash keeps both or neither.
import type { Logger } from "pino";
import { openDatabase, type Db } from "../../store/database";
import type { Migration } from "../../store/migrations";

const INDEX_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "ledger log index",
    sql: `
      CREATE TABLE index_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE index_transactions (
        id INTEGER PRIMARY KEY,
        tx_hash BLOB NOT NULL,
        block_number INTEGER NOT NULL,
        block_hash BLOB NOT NULL,
        UNIQUE (block_hash, tx_hash)
      );
      CREATE INDEX index_transactions_block ON index_transactions (block_number);
      CREATE TABLE index_documents (
        doc_hash BLOB NOT NULL,
        block_number INTEGER NOT NULL,
        log_index INTEGER NOT NULL,
        tx_id INTEGER NOT NULL,
        PRIMARY KEY (doc_hash, block_number, log_index)
      ) WITHOUT ROWID;
      CREATE INDEX index_documents_block ON index_documents (block_number);
      CREATE TABLE index_events (
        block_number INTEGER NOT NULL,
        log_index INTEGER NOT NULL,
        address TEXT NOT NULL,
        topic0 TEXT NOT NULL,
        log_json TEXT NOT NULL,
        PRIMARY KEY (block_number, log_index)
      );
      CREATE INDEX index_events_topic ON index_events (address, topic0);
      CREATE TABLE index_blocks (number INTEGER PRIMARY KEY, hash TEXT NOT NULL);
    `,
  },
];

/** Where a document hash was logged. */
export interface IndexedDocumentLog {
  txHash: string;
  blockNumber: number;
  blockHash: string;
  logIndex: number;
}

/** One log of a chunk, as the index keeps it. */
export interface ChunkLog {
  address: string;
  blockNumber: number;
  blockHash: string;
  txHash: string;
  logIndex: number;
  topics: string[];
  /** The node's JSON of a non-document log (kept to answer event searches); absent for a ledger document log. */
  json?: string;
}

/** What identifies the chain and contracts an index was built for; another one resets it. */
export interface IndexIdentity {
  chainId: number;
  ledgerAddress: string;
  registryAddress: string;
  fromBlock: number;
}

/** The index's tables, with the few statements the index needs. */
export interface IndexDb {
  /** The last block indexed (inclusive), or fromBlock − 1 before the first chunk. */
  indexedTo(): number;
  /** The stored hash of block `number`, if the index kept it. */
  blockHash(number: number): string | undefined;
  /** Stored block hashes at or below `number`, newest first. */
  blocksDownFrom(number: number, limit: number): Array<{ number: number; hash: string }>;
  /** Writes one chunk's logs and block hashes and moves the high-water mark to `toBlock`, in one transaction. */
  writeChunk(toBlock: number, logs: readonly ChunkLog[], blockHashes: ReadonlyMap<number, string>): void;
  /** Forgets everything above `block` (a reorganisation). */
  unwindTo(block: number): void;
  documentLogs(docHashHex: string): IndexedDocumentLog[];
  /** Non-document logs of `address` with first topic `topic0`, in chain order, as the node sent them. */
  events(address: string, topic0: string): Array<Record<string, unknown>>;
  /** Drops block-hash rows at or below `keepAbove` that no indexed log needs (chunk ends now beyond a reorganisation's reach). */
  pruneBlocks(keepAbove: number): void;
  close(): void;
}

const bytes = (hex: string) => Buffer.from(hex.slice(2), "hex");
const hexOf = (buf: Buffer) => "0x" + buf.toString("hex");

/** Opens (or creates) the index at `file` for `identity`; an index built for another chain or ledger is emptied first. */
export function openIndexDb(file: string, identity: IndexIdentity, log: Logger): IndexDb {
  const db: Db = openDatabase(file, log, INDEX_MIGRATIONS);
  // A lost last commit only means a chunk indexed again: no fsync per chunk.
  db.pragma("synchronous = NORMAL");
  const wanted = JSON.stringify({ ...identity, ledgerAddress: identity.ledgerAddress.toLowerCase(), registryAddress: identity.registryAddress.toLowerCase() });
  const meta = (key: string) => (db.prepare("SELECT value FROM index_meta WHERE key = ?").get(key) as { value: string } | undefined)?.value;
  const setMeta = db.prepare("INSERT INTO index_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  if (meta("identity") !== wanted) {
    db.transaction(() => {
      for (const table of ["index_documents", "index_transactions", "index_events", "index_blocks", "index_meta"]) db.exec(`DELETE FROM ${table}`);
      setMeta.run("identity", wanted);
      setMeta.run("indexed_to", String(identity.fromBlock - 1));
    }).immediate();
  }

  const insertTx = db.prepare("INSERT INTO index_transactions (tx_hash, block_number, block_hash) VALUES (?, ?, ?) ON CONFLICT (block_hash, tx_hash) DO UPDATE SET block_number = excluded.block_number RETURNING id");
  const insertDoc = db.prepare("INSERT OR IGNORE INTO index_documents (doc_hash, block_number, log_index, tx_id) VALUES (?, ?, ?, ?)");
  const insertEvent = db.prepare("INSERT OR REPLACE INTO index_events (block_number, log_index, address, topic0, log_json) VALUES (?, ?, ?, ?, ?)");
  const insertBlock = db.prepare("INSERT OR REPLACE INTO index_blocks (number, hash) VALUES (?, ?)");
  const selectDocs = db.prepare(
    `SELECT t.tx_hash, t.block_number, t.block_hash, d.log_index FROM index_documents d JOIN index_transactions t ON t.id = d.tx_id
     WHERE d.doc_hash = ? ORDER BY d.block_number, d.log_index`,
  );
  const selectEvents = db.prepare("SELECT log_json FROM index_events WHERE address = ? AND topic0 = ? ORDER BY block_number, log_index");
  const selectBlock = db.prepare("SELECT hash FROM index_blocks WHERE number = ?");
  const selectBlocksDown = db.prepare("SELECT number, hash FROM index_blocks WHERE number <= ? ORDER BY number DESC LIMIT ?");

  const writeChunk = db.transaction((toBlock: number, logs: readonly ChunkLog[], blockHashes: ReadonlyMap<number, string>) => {
    const txIds = new Map<string, number>();
    for (const l of logs) {
      if (l.json === undefined) {
        const key = `${l.blockHash}:${l.txHash}`;
        let txId = txIds.get(key);
        if (txId === undefined) {
          txId = (insertTx.get(bytes(l.txHash), l.blockNumber, bytes(l.blockHash)) as { id: number }).id;
          txIds.set(key, txId);
        }
        for (const topic of l.topics) insertDoc.run(bytes(topic), l.blockNumber, l.logIndex, txId);
      } else {
        insertEvent.run(l.blockNumber, l.logIndex, l.address, l.topics[0] ?? "", l.json);
      }
      insertBlock.run(l.blockNumber, l.blockHash);
    }
    for (const [number, hash] of blockHashes) insertBlock.run(number, hash);
    setMeta.run("indexed_to", String(toBlock));
  });

  const unwindTo = db.transaction((block: number) => {
    for (const table of ["index_documents", "index_transactions", "index_events"]) db.prepare(`DELETE FROM ${table} WHERE block_number > ?`).run(block);
    db.prepare("DELETE FROM index_blocks WHERE number > ?").run(block);
    setMeta.run("indexed_to", String(block));
  });

  return {
    indexedTo: () => Number(meta("indexed_to")),
    blockHash: (number) => (selectBlock.get(number) as { hash: string } | undefined)?.hash,
    blocksDownFrom: (number, limit) => selectBlocksDown.all(number, limit) as Array<{ number: number; hash: string }>,
    writeChunk: (toBlock, logs, blockHashes) => writeChunk.immediate(toBlock, logs, blockHashes),
    unwindTo: (block) => unwindTo.immediate(block),
    documentLogs: (docHashHex) =>
      (selectDocs.all(bytes(docHashHex)) as Array<{ tx_hash: Buffer; block_number: number; block_hash: Buffer; log_index: number }>).map((r) => ({
        txHash: hexOf(r.tx_hash),
        blockNumber: r.block_number,
        blockHash: hexOf(r.block_hash),
        logIndex: r.log_index,
      })),
    events: (address, topic0) => (selectEvents.all(address.toLowerCase(), topic0) as Array<{ log_json: string }>).map((r) => JSON.parse(r.log_json) as Record<string, unknown>),
    pruneBlocks: (keepAbove) => {
      db.prepare(
        `DELETE FROM index_blocks WHERE number <= ? AND number NOT IN (SELECT block_number FROM index_transactions) AND number NOT IN (SELECT block_number FROM index_events)`,
      ).run(keepAbove);
    },
    close: () => db.close(),
  };
}
