// The store with SQLite and files in a temp dir: migrations, atomic acceptance of a document with
// its anchoring-queue row, content-addressed files, listing, revocation, hashed tokens.
import { expect } from "chai";
import { createHash } from "node:crypto";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { applyMigrations, openDatabase } from "../../../server/store/database";
import { createStore, type Store } from "../../../server/store/create-store";
import { BadRequestError, ConflictError, NotFoundError } from "../../../server/errors";
import { MIGRATIONS } from "../../../server/store/migrations";
import { createManualClock } from "../../helpers/manual-clock";

const log = pino({ level: "silent" });
const pdf = (text: string) => new TextEncoder().encode(`%PDF-1.7\n${text}\n%%EOF\n`);
const sha = (bytes: Uint8Array) => "0x" + createHash("sha256").update(bytes).digest("hex");

describe("store: SQLite and content-addressed PDFs", () => {
  let dir: string;
  let store: Store;
  const clock = createManualClock();

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "zerosign-store-"));
    store = await createStore({ dataDir: dir, log, clock });
  });
  afterEach(async () => {
    store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const add = (id: string, bytes: Uint8Array, extra: { createdAtMs?: number; departmentCode?: string } = {}) =>
    store.documents.addDocument(
      { id, kind: "certificate", departmentCode: extra.departmentCode ?? "SAMR", title: "食品经营许可证", createdAtMs: extra.createdAtMs ?? 1000 },
      bytes,
    );
  const queueRows = () => store.db.prepare("SELECT doc_hash, status, kind, department_code FROM anchor_entries").all();

  it("opens in WAL mode with synchronous FULL and applies each migration once", async () => {
    expect(store.db.pragma("journal_mode", { simple: true })).to.equal("wal");
    expect(store.db.pragma("synchronous", { simple: true })).to.equal(2);
    store.close();
    store = await createStore({ dataDir: dir, log, clock });
    const versions = store.db.prepare("SELECT version FROM schema_migrations").all();
    expect(versions).to.deep.equal(MIGRATIONS.map((m) => ({ version: m.version })));
  });

  it("keeps the data folder, the database with its WAL and shared memory, and every PDF owner-only", async () => {
    const bytes = pdf("private");
    await add("ZS-1", bytes);
    const hex = sha(bytes);
    const mode = async (...parts: string[]) => ((await stat(path.join(dir, ...parts))).mode & 0o777).toString(8);
    expect(await mode()).to.equal("700");
    for (const file of ["zerosign.sqlite", "zerosign.sqlite-wal", "zerosign.sqlite-shm"]) expect(await mode(file), file).to.equal("600");
    expect(await mode("pdfs")).to.equal("700");
    expect(await mode("pdfs", hex.slice(2, 4))).to.equal("700");
    expect(await mode("pdfs", hex.slice(2, 4), `${hex.slice(4)}.pdf`)).to.equal("600");
  });

  it("narrows a data folder and database an earlier version left world-readable", async () => {
    store.close();
    const old = await mkdtemp(path.join(os.tmpdir(), "zerosign-store-old-"));
    try {
      await mkdir(path.join(old, "pdfs"));
      for (const file of ["zerosign.sqlite", "zerosign.sqlite-wal", "zerosign.sqlite-shm"]) await writeFile(path.join(old, file), "", { mode: 0o644 });
      for (const folder of [old, path.join(old, "pdfs")]) await chmod(folder, 0o755);
      store = await createStore({ dataDir: old, log, clock });
      for (const name of [".", "pdfs"]) expect(((await stat(path.join(old, name))).mode & 0o777).toString(8), name).to.equal("700");
      for (const file of ["zerosign.sqlite", "zerosign.sqlite-wal", "zerosign.sqlite-shm"]) {
        expect(((await stat(path.join(old, file))).mode & 0o777).toString(8), file).to.equal("600");
      }
    } finally {
      store.close();
      store = await createStore({ dataDir: dir, log, clock });
      await rm(old, { recursive: true, force: true });
    }
  });

  it("rolls a failing migration back whole and does not record it", () => {
    const failing = { version: 99, name: "broken", sql: "CREATE TABLE half_done (x INTEGER); INSERT INTO no_such_table VALUES (1);" };
    expect(() => applyMigrations(store.db, log, [failing])).to.throw(/no such table/);
    const tables = store.db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").all();
    expect(tables).to.deep.equal([]);
    expect(store.db.prepare("SELECT max(version) AS v FROM schema_migrations").get()).to.deep.equal({ v: Math.max(...MIGRATIONS.map((m) => m.version)) });
  });

  it("accepts a document: file under pdfs/ab/cdef….pdf, document row and pending queue row", async () => {
    const bytes = pdf("one");
    const record = await add("ZS-1", bytes);
    const hex = sha(bytes);
    expect(record).to.deep.equal({
      id: "ZS-1", docHashHex: hex, kind: "certificate", departmentCode: "SAMR", title: "食品经营许可证", createdAtMs: 1000,
    });
    const onDisk = await readFile(path.join(dir, "pdfs", hex.slice(2, 4), `${hex.slice(4)}.pdf`));
    expect(sha(onDisk)).to.equal(hex);
    expect(await store.documents.readPdf(hex)).to.deep.equal(new Uint8Array(onDisk));
    expect(queueRows()).to.deep.equal([{ doc_hash: hex, status: "pending", kind: 0, department_code: "SAMR" }]);
    expect(store.documents.getDocument("ZS-1")).to.deep.equal(record);
    expect(store.documents.getDocumentByHash(hex.toUpperCase().replace("0X", "0x"))).to.deep.equal(record);
  });

  it("is idempotent by content: the same bytes under another id return the first record", async () => {
    const bytes = pdf("same");
    const first = await add("ZS-1", bytes);
    const second = await add("ZS-2", bytes);
    expect(second).to.deep.equal(first);
    expect(store.documents.getDocument("ZS-2")).to.equal(undefined);
    expect(queueRows()).to.have.length(1);
  });

  it("rejects an id already used by other bytes and records nothing for them", async () => {
    await add("ZS-1", pdf("a"));
    const other = pdf("b");
    let error: unknown;
    try {
      await add("ZS-1", other);
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(ConflictError).and.to.include({ code: "DOCUMENT_ID_TAKEN" });
    expect(store.documents.getDocumentByHash(sha(other))).to.equal(undefined);
    expect(queueRows()).to.have.length(1);
  });

  it("leaves no temporary files behind and returns undefined for a file it never stored", async () => {
    await Promise.all([add("ZS-1", pdf("x")), add("ZS-2", pdf("y")), add("ZS-3", pdf("x"))]);
    const shards = await readdir(path.join(dir, "pdfs"));
    const names = (await Promise.all(shards.map((s) => readdir(path.join(dir, "pdfs", s))))).flat();
    expect(names.filter((n) => n.endsWith(".tmp"))).to.deep.equal([]);
    expect(names).to.have.length(2);
    expect(await store.documents.readPdf("0x" + "ab".repeat(32))).to.equal(undefined);
  });

  it("lists a department's documents newest first, page by page, and no other department's", async () => {
    for (let i = 1; i <= 5; i++) await add(`ZS-${i}`, pdf(`n${i}`), { createdAtMs: 1000 + i });
    await add("MCA-1", pdf("mca"), { departmentCode: "MCA", createdAtMs: 9999 });
    const page1 = store.documents.listDocuments({ departmentCode: "SAMR", limit: 2 });
    expect(page1.map((d) => d.id)).to.deep.equal(["ZS-5", "ZS-4"]);
    const page2 = store.documents.listDocuments({ departmentCode: "SAMR", limit: 2, beforeId: "ZS-4" });
    expect(page2.map((d) => d.id)).to.deep.equal(["ZS-3", "ZS-2"]);
    const page3 = store.documents.listDocuments({ departmentCode: "SAMR", limit: 2, beforeId: "ZS-2" });
    expect(page3.map((d) => d.id)).to.deep.equal(["ZS-1"]);
    expect(() => store.documents.listDocuments({ departmentCode: "SAMR", limit: 2, beforeId: "MCA-1" }))
      .to.throw(NotFoundError).with.property("code", "DOCUMENT_NOT_FOUND");
  });

  it("records a revocation once and refuses a second", async () => {
    await add("ZS-1", pdf("r"));
    const revocation = { reasonCode: 2, revokedAtMs: 5000, txHash: "0x" + "12".repeat(32) };
    expect(store.documents.markRevoked("ZS-1", revocation).revocation).to.deep.equal(revocation);
    expect(store.documents.getDocument("ZS-1")?.revocation).to.deep.equal(revocation);
    expect(() => store.documents.markRevoked("ZS-1", revocation)).to.throw(ConflictError).with.property("code", "DOCUMENT_ALREADY_REVOKED");
    expect(() => store.documents.markRevoked("nope", revocation)).to.throw(NotFoundError);
  });

  it("keeps only a token's SHA-256 and resolves the exact secret only", () => {
    const { tokenId, secret } = store.tokens.createToken("SAMR", "demo operator");
    const random = secret.slice("zs_".length + 16 + 1);
    expect(store.tokens.resolveToken(secret)).to.deep.equal({ status: "valid", operator: { tokenId, departmentCode: "SAMR", label: "demo operator" } });
    const stored = store.db.prepare("SELECT * FROM api_tokens").all() as { secret_sha256: Buffer }[];
    expect(JSON.stringify(stored)).not.to.contain(random);
    expect(stored[0].secret_sha256.equals(createHash("sha256").update(secret).digest())).to.equal(true);
    const flipped = secret.slice(0, -1) + (secret.endsWith("A") ? "B" : "A");
    expect(store.tokens.resolveToken(flipped)).to.deep.equal({ status: "unknown" });
    expect(store.tokens.resolveToken("")).to.deep.equal({ status: "unknown" });
    expect(store.tokens.resolveToken(`zs_${"0".repeat(16)}_${random}`)).to.deep.equal({ status: "unknown" });
  });

  it("expires a token after its days, by the clock, and says so only to the holder of its secret", () => {
    const start = clock.now();
    const { tokenId, secret, expiresAtMs } = store.tokens.createToken("SAMR", "short", { validDays: 2 });
    expect(expiresAtMs).to.equal(start + 2 * 86_400_000);
    expect(store.tokens.createToken("MCA", "default").expiresAtMs).to.equal(start + 90 * 86_400_000);
    clock.advance(2 * 86_400_000 - 1);
    expect(store.tokens.resolveToken(secret).status).to.equal("valid");
    clock.advance(1);
    expect(store.tokens.resolveToken(secret)).to.deep.equal({ status: "expired", tokenId });
    const flipped = secret.slice(0, -1) + (secret.endsWith("A") ? "B" : "A");
    expect(store.tokens.resolveToken(flipped)).to.deep.equal({ status: "unknown" });
    for (const days of [0, 3651, 1.5]) {
      expect(() => store.tokens.createToken("SAMR", "bad", { validDays: days }), String(days)).to.throw(BadRequestError).with.property("code", "TOKEN_DAYS_INVALID");
    }
  });

  it("revokes a token at once, once, and lists every token without its secret", () => {
    const a = store.tokens.createToken("SAMR", "desk 1");
    clock.advance(1000);
    const b = store.tokens.createToken("MCA", "desk 2");
    const revoked = store.tokens.revokeToken(a.tokenId);
    expect(revoked).to.deep.include({ tokenId: a.tokenId, departmentCode: "SAMR", label: "desk 1", revokedAtMs: clock.now() });
    expect(store.tokens.resolveToken(a.secret)).to.deep.equal({ status: "revoked", tokenId: a.tokenId });
    expect(store.tokens.resolveToken(b.secret).status).to.equal("valid");
    expect(() => store.tokens.revokeToken(a.tokenId)).to.throw(ConflictError).with.property("code", "TOKEN_ALREADY_REVOKED");
    expect(() => store.tokens.revokeToken("0123456789abcdef")).to.throw(NotFoundError).with.property("code", "TOKEN_NOT_FOUND");
    const listed = store.tokens.listTokens();
    expect(listed.map((t) => [t.tokenId, t.revokedAtMs !== undefined])).to.deep.equal([[b.tokenId, false], [a.tokenId, true]]);
    expect(JSON.stringify(listed)).not.to.contain(a.secret.slice(20)).and.not.to.contain(b.secret.slice(20));
  });

  it("gives the tokens of a version-1 database the default 90 days from their creation", async () => {
    store.close();
    const old = await mkdtemp(path.join(os.tmpdir(), "zerosign-store-v1-"));
    try {
      const v1 = openDatabase(path.join(old, "zerosign.sqlite"), log, MIGRATIONS.filter((m) => m.version === 1));
      v1.prepare("INSERT INTO api_tokens (id, department_code, label, secret_sha256, created_at_ms) VALUES ('0123456789abcdef', 'SAMR', 'old', x'00', 5000)").run();
      v1.close();
      store = await createStore({ dataDir: old, log, clock });
      expect(store.tokens.listTokens()).to.deep.equal([
        { tokenId: "0123456789abcdef", departmentCode: "SAMR", label: "old", createdAtMs: 5000, expiresAtMs: 5000 + 90 * 86_400_000 },
      ]);
    } finally {
      store.close();
      store = await createStore({ dataDir: dir, log, clock });
      await rm(old, { recursive: true, force: true });
    }
  });
});
