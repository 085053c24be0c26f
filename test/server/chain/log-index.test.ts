// The ledger log index on a real Anvil chain behind a range-capping proxy: it catches up with a
// ledger many caps old, shrinks its chunk when the node refuses one, survives kill -9 during
// catch-up without gaps or duplicates, unwinds a reorganised tail, and the anchor lookup asks it
// first, searches only the tail live, and falls back to the chain when the index is stale.
import { expect } from "chai";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { encodeBytes32String, JsonRpcProvider, toQuantity } from "ethers";
import pino from "pino";
import { lookupDocumentAnchors } from "../../../server/chain/anchor-lookup";
import { createHttpJsonRpc, type HttpJsonRpc } from "../../../server/chain/json-rpc";
import { listDepartments, searchKeyRegistrations } from "../../../server/chain/list-departments";
import { createLogIndex, type LogIndex } from "../../../server/chain/log-index/log-index";
import { KEY_ROLES } from "../../../server/chain/roles";
import { createSystemClock } from "../../../server/clock";
import { EMBEDDED_CHAIN_ID } from "../../../server/devnet/embedded-chain";
import { startCappedProxy, type CappedProxy } from "../../helpers/json-rpc-nodes";
import { startLedgerChain, type LedgerChain } from "../../helpers/ledger-chain";
import { until } from "../../helpers/until";

const CAP = 50;
const hash = () => "0x" + randomBytes(32).toString("hex");
const kinds = (n: number) => "0x" + "00".repeat(n);
const silent = pino({ level: "silent" });
const ROOT = path.resolve(__dirname, "../../..");

describe("the ledger log index", function () {
  this.timeout(180_000);
  let dir: string;
  let chain: LedgerChain;
  let direct: JsonRpcProvider;
  let proxy: CappedProxy;
  let rpc: HttpJsonRpc;
  const opened: LogIndex[] = [];
  const docs: string[] = [];

  const mine = (blocks: number) => direct.send("anvil_mine", [toQuantity(blocks)]);
  const anchor = async (hashes: string[]) => {
    const receipt = await (await chain.ledgerFor("SAMR", direct).anchorBatch(hashes, kinds(hashes.length))).wait();
    return { txHash: String(receipt?.hash), blockNumber: Number(receipt?.blockNumber), blockHash: String(receipt?.blockHash) };
  };
  const identity = () => ({
    chainId: EMBEDDED_CHAIN_ID,
    ledgerAddress: chain.deployment.ledgerAddress,
    registryAddress: chain.deployment.registryAddress,
    fromBlock: chain.deployment.deployBlock,
  });
  const openIndex = (file: string, logRange = CAP) => {
    const index = createLogIndex({ rpc, file: path.join(dir, file), identity: identity(), logRange, clock: createSystemClock(), log: silent, pollMs: 20 });
    opened.push(index);
    return index;
  };
  const lookup = (index?: LogIndex) => ({ rpc, ledgerAddress: chain.deployment.ledgerAddress, fromBlock: chain.deployment.deployBlock, logRange: CAP, index });

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "zerosign-log-index-"));
    chain = await startLedgerChain(dir, ["SAMR"]);
    direct = chain.provider();
    // Ten batches of five, spread over ~2,000 blocks.
    for (let b = 0; b < 10; b++) {
      const batch = Array.from({ length: 5 }, hash);
      docs.push(...batch);
      await anchor(batch);
      await mine(200);
    }
    proxy = await startCappedProxy(chain.rpcUrl, CAP);
    rpc = createHttpJsonRpc(proxy.url);
  });
  after(async () => {
    for (const index of opened) await index.stop();
    rpc?.close();
    await proxy?.close();
    await chain?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("catches up with a ledger many caps old and names each document's transaction and block", async () => {
    const index = openIndex("catch-up.sqlite");
    const indexedTo = await index.syncOnce();
    expect(indexedTo).to.equal(await direct.getBlockNumber());
    expect(proxy.widestAnswered).to.be.at.most(CAP);
    const located = index.locate(docs[12]);
    const receipt = await direct.getTransactionReceipt(String(located?.logs[0]?.txHash));
    expect(located?.logs).to.have.length(1);
    expect(located?.logs[0]).to.include({ blockNumber: receipt?.blockNumber, blockHash: receipt?.blockHash.toLowerCase() });
    expect(index.locate(hash())?.logs).to.deep.equal([]);
  });

  it("shrinks its chunk when the node refuses one, and goes on", async () => {
    const index = openIndex("shrink.sqlite", 8 * CAP);
    proxy.refused = 0;
    await index.syncOnce();
    expect(proxy.refused).to.be.greaterThan(0);
    expect(index.status().logRange).to.be.at.most(CAP);
    expect(docs.every((d) => index.locate(d)?.logs.length === 1)).to.equal(true);
  });

  it("serves the anchor lookup: the same records as a live search, with only the un-indexed tail searched live", async () => {
    const index = openIndex("lookup.sqlite");
    await index.syncOnce();
    const fresh = Array.from({ length: 3 }, hash);
    await mine(2 * CAP);
    await anchor(fresh);
    proxy.calls.clear();
    const viaIndex = await lookupDocumentAnchors(lookup(index), docs[7]);
    // The tail after the index: 2 × CAP + 1 blocks, four topic positions, at most 3 chunks each.
    expect(proxy.calls.get("eth_getLogs")).to.be.at.most(12);
    proxy.calls.clear();
    const live = await lookupDocumentAnchors(lookup(), docs[7]);
    expect(proxy.calls.get("eth_getLogs")).to.be.greaterThan(100);
    expect(viaIndex).to.deep.equal(live);
    // Anchored after the index's last pass: found in the live tail.
    expect((await lookupDocumentAnchors(lookup(index), fresh[1]))[0]).to.include({ index: 1, batchSize: 3 });
  });

  it("believes an index that took blocks after the round read the latest one, once the chain confirms its last block", async () => {
    const index = openIndex("ahead.sqlite");
    await index.syncOnce();
    const latestBlock = direct.getBlockNumber();
    const fresh = Array.from({ length: 2 }, hash);
    await mine(CAP);
    await anchor(fresh);
    await index.syncOnce();
    expect(index.status().indexedTo).to.be.greaterThan(await latestBlock);
    proxy.calls.clear();
    const [found] = await lookupDocumentAnchors(lookup(index), fresh[0], { latestBlock });
    expect(found).to.include({ index: 0, batchSize: 2 });
    // Nothing searched live, let alone the whole ledger again as for a stale index.
    expect(proxy.calls.get("eth_getLogs") ?? 0).to.equal(0);
  });

  it("unwinds a reorganised tail, and the lookup does not believe a stale index meanwhile", async () => {
    const index = openIndex("reorg.sqlite");
    await index.syncOnce();
    const snapshot = await direct.send("evm_snapshot", []);
    const dropped = [hash(), hash()];
    await anchor(dropped);
    await mine(3);
    await index.syncOnce();
    expect(index.locate(dropped[0])?.logs).to.have.length(1);

    await direct.send("evm_revert", [snapshot]);
    const kept = [hash(), hash()];
    const keptTx = await anchor(kept);
    await mine(10);
    // Before the index has seen the reorganisation: it names a transaction no longer on chain.
    expect(index.locate(dropped[0])?.logs).to.have.length(1);
    expect(await lookupDocumentAnchors(lookup(index), dropped[0])).to.deep.equal([]);
    expect((await lookupDocumentAnchors(lookup(index), kept[0]))[0]).to.include({ txHash: keptTx.txHash.toLowerCase() });

    await index.syncOnce();
    expect(index.locate(dropped[0])?.logs).to.deep.equal([]);
    expect(index.locate(kept[1])?.logs[0]).to.include({ blockHash: keptTx.blockHash.toLowerCase(), blockNumber: keptTx.blockNumber });
  });

  it("resumes after kill -9 during catch-up without gaps or duplicates", async () => {
    const file = path.join(dir, "killed.sqlite");
    // Chunks of 5 blocks: a catch-up long enough to be killed in the middle of.
    const code = `
      const { createLogIndex } = require(${JSON.stringify(path.join(ROOT, "server/chain/log-index/log-index.ts"))});
      const { createHttpJsonRpc } = require(${JSON.stringify(path.join(ROOT, "server/chain/json-rpc.ts"))});
      const { createSystemClock } = require(${JSON.stringify(path.join(ROOT, "server/clock.ts"))});
      const pino = require("pino");
      const index = createLogIndex({ rpc: createHttpJsonRpc(${JSON.stringify(proxy.url)}), file: ${JSON.stringify(file)},
        identity: ${JSON.stringify(identity())}, logRange: 5, clock: createSystemClock(), log: pino({ level: "silent" }) });
      index.syncOnce();`;
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", code], { cwd: ROOT, stdio: "ignore" });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    const progress = () => {
      try {
        const db = new Database(file, { readonly: true, fileMustExist: true });
        try {
          return Number((db.prepare("SELECT value FROM index_meta WHERE key = 'indexed_to'").get() as { value: string } | undefined)?.value ?? 0);
        } finally {
          db.close();
        }
      } catch {
        return 0;
      }
    };
    await until(() => progress() > chain.deployment.deployBlock + 600, "the child's catch-up to pass block 600");
    child.kill("SIGKILL");
    await exited;
    const killedAt = progress();
    expect(killedAt).to.be.lessThan(await direct.getBlockNumber());

    const resumed = openIndex("killed.sqlite");
    expect(resumed.status().indexedTo).to.equal(killedAt);
    await resumed.syncOnce();
    const reference = openIndex("reference.sqlite");
    await reference.syncOnce();
    for (const d of docs) expect(resumed.locate(d)?.logs, d).to.deep.equal(reference.locate(d)?.logs).and.to.have.length(1);
    const rows = (f: string) => {
      const db = new Database(path.join(dir, f), { readonly: true });
      try {
        return db.prepare("SELECT (SELECT count(*) FROM index_documents) AS docs, (SELECT count(*) FROM index_events) AS events").get();
      } finally {
        db.close();
      }
    };
    expect(rows("killed.sqlite")).to.deep.equal(rows("reference.sqlite"));
  });

  it("serves the registry listing's KeyRegistered logs, with the department confirmed in the registry's storage", async () => {
    const keyId = hash();
    await (await chain.contracts.registry.connect(chain.operators.SAMR.connect(direct)).registerKey(keyId, encodeBytes32String("SAMR"), KEY_ROLES.chief, 1, 4_000_000_000)).wait();
    await mine(5 * CAP);
    const index = openIndex("registry.sqlite");
    await index.syncOnce();
    const readProvider = new JsonRpcProvider(chain.rpcUrl, EMBEDDED_CHAIN_ID, { staticNetwork: true, batchMaxCount: 1 });
    try {
      proxy.calls.clear();
      const registrations = searchKeyRegistrations(rpc, chain.deployment.registryAddress, chain.deployment.deployBlock, CAP, index);
      const [samr] = await listDepartments(chain.contracts.registry.connect(readProvider), registrations);
      expect(samr.keys.map((k) => [k.keyIdHex, k.role])).to.deep.equal([[keyId, "chief"]]);
      // Only the blocks after the index were searched live.
      expect(proxy.calls.get("eth_getLogs") ?? 0).to.be.at.most(1);
    } finally {
      readProvider.destroy();
    }
  });

  it("follows new blocks once started, and stops cleanly", async () => {
    const index = openIndex("follow.sqlite");
    index.start();
    const later = [hash()];
    await anchor(later);
    await until(() => (index.locate(later[0])?.logs.length ?? 0) === 1, "the index to take the new batch");
    await index.stop();
    expect(index.locate(later[0])).to.equal(undefined);
  });
});
