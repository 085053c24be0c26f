// The anchoring queue against a real chain (the embedded Anvil node) and SQLite in a temp dir:
// batching by size and by age on an injected clock, idempotent enqueue, proofs that check, and
// recovery from a crash at each point of a batch's life, counted as anchorings on chain.
import { expect } from "chai";
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { encodeBytes32String, JsonRpcProvider, type TransactionReceipt } from "ethers";
import pino from "pino";
import { createAnchorQueue, type AnchorQueueParams, type RunningAnchorQueue } from "../../../server/anchor/anchor-queue";
import { findDocumentAnchors } from "../../../server/chain/anchor-lookup";
import { verifyBatchProof } from "../../../server/chain/merkle";
import { BadRequestError } from "../../../server/errors";
import { createStore, type Store } from "../../../server/store/create-store";
import { startLedgerChain, type LedgerChain } from "../../helpers/ledger-chain";
import { createManualClock, type ManualClock } from "../../helpers/manual-clock";
import { until } from "../../helpers/until";

const log = pino({ level: "silent" });
const newHash = () => "0x" + createHash("sha256").update(randomBytes(32)).digest("hex");

/** A provider whose broadcasts never leave the process: the crash right after recording a batch. */
class NoBroadcastProvider extends JsonRpcProvider {
  override async broadcastTransaction(): Promise<never> {
    throw new Error("simulated crash before broadcast");
  }
}
/** A provider that never sees receipts: the crash after broadcasting, before recording the result. */
class NoReceiptProvider extends JsonRpcProvider {
  override async getTransactionReceipt(): Promise<TransactionReceipt | null> {
    throw new Error("simulated crash before the receipt");
  }
}

describe("anchor queue on a real chain", function () {
  this.timeout(120_000);
  let chainDir: string;
  let chain: LedgerChain;
  let dir: string;
  let store: Store;
  let clock: ManualClock;
  const running: RunningAnchorQueue[] = [];

  before(async () => {
    chainDir = await mkdtemp(path.join(os.tmpdir(), "zerosign-queue-chain-"));
    chain = await startLedgerChain(chainDir, ["SAMR", "MCA"]);
  });
  after(async () => {
    await chain?.close();
    await rm(chainDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "zerosign-queue-"));
    clock = createManualClock();
    store = await createStore({ dataDir: dir, log, clock });
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((q) => q.stop()));
    store.close();
    await rm(dir, { recursive: true, force: true });
  });

  function queue(overrides: Partial<AnchorQueueParams> & { providerClass?: typeof JsonRpcProvider } = {}): RunningAnchorQueue {
    const Provider = overrides.providerClass ?? JsonRpcProvider;
    const provider = new Provider(chain.rpcUrl, 31337, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
    const q = createAnchorQueue({
      db: store.db,
      ledgers: { SAMR: chain.ledgerFor("SAMR", provider), MCA: chain.ledgerFor("MCA", provider) },
      provider,
      clock,
      log,
      fromBlock: chain.deployment.deployBlock,
      maxBatchSize: 4,
      maxWaitMs: 2000,
      retryInitialMs: 100,
      retryMaxMs: 400,
      receiptPollMs: 50,
      ...overrides,
    });
    running.push(q);
    return q;
  }
  const anchorsOf = (docHash: string) => findDocumentAnchors(chain.contracts.ledger, docHash, { fromBlock: chain.deployment.deployBlock });
  const batchCount = async () => Number(await chain.contracts.ledger.batchCount());
  const enqueueAll = (q: RunningAnchorQueue, hashes: string[], departmentCode = "SAMR") =>
    hashes.map((docHashHex) => q.enqueue({ docHashHex, kind: "certificate", departmentCode }));
  const openBatchRow = () => store.db.prepare("SELECT status, tx_hash FROM anchor_batches WHERE status = 'submitted'").get();
  /** Four documents queued by a node whose broadcasts never leave: stopped once their batch is recorded. */
  const crashAfterRecordingBatch = async () => {
    const crashed = queue({ providerClass: NoBroadcastProvider });
    await crashed.start();
    const hashes = enqueueAll(crashed, [newHash(), newHash(), newHash(), newHash()]).map((s) => s.docHashHex);
    await until(() => openBatchRow() !== undefined, "a recorded batch");
    await crashed.stop();
    return { crashed, hashes };
  };
  /** Advances the clock in steps until `condition` holds (retries and deadlines are on the clock). */
  async function advanceUntil(condition: () => boolean | Promise<boolean>, what: string, stepMs = 100): Promise<void> {
    await until(async () => {
      if (await condition()) return true;
      clock.advance(stepMs);
      return false;
    }, what);
  }

  it("anchors a batch as soon as maxBatchSize documents are pending, each with a proof that checks", async () => {
    const q = queue();
    await q.start();
    const before = await batchCount();
    const hashes = [newHash(), newHash(), newHash(), newHash()];
    expect(enqueueAll(q, hashes).map((s) => s.status)).to.deep.equal(["pending", "pending", "pending", "pending"]);
    await q.drain();
    expect(await batchCount()).to.equal(before + 1);
    for (const [index, hash] of hashes.entries()) {
      const state = q.state(hash);
      expect(state?.status).to.equal("confirmed");
      expect(state?.anchor).to.include({ index, batchSize: 4, departmentId: encodeBytes32String("SAMR"), kind: 0 });
      expect(verifyBatchProof(state?.anchor?.rootHex ?? "", { docHashHex: hash, kind: 0 }, state?.anchor?.proof ?? [])).to.equal(true);
      const onChain = await anchorsOf(hash);
      expect(onChain).to.deep.equal([state?.anchor]);
      expect(state?.txHash).to.equal(onChain[0].txHash);
    }
  });

  it("holds a partial batch until maxWaitMs has passed on the clock, then anchors it", async () => {
    const q = queue();
    await q.start();
    const before = await batchCount();
    const hashes = [newHash(), newHash(), newHash()];
    enqueueAll(q, hashes);
    // Both workers asleep: SAMR's until the batch deadline, MCA's idle.
    await until(() => clock.sleepers() === 2, "the workers to sleep");
    clock.advance(1999);
    await until(() => clock.sleepers() === 2, "the workers to sleep again");
    expect(await batchCount()).to.equal(before);
    expect(q.state(hashes[0])?.status).to.equal("pending");
    clock.advance(1);
    await q.drain();
    expect(await batchCount()).to.equal(before + 1);
    expect(q.state(hashes[2])?.anchor).to.include({ index: 2, batchSize: 3 });
  });

  it("returns the existing state for a hash already pending or confirmed, and anchors it once", async () => {
    const q = queue({ maxBatchSize: 1 });
    const hash = newHash();
    const first = q.enqueue({ docHashHex: hash, kind: "certificate", departmentCode: "SAMR" });
    expect(q.enqueue({ docHashHex: hash, kind: "sealed-document", departmentCode: "SAMR" })).to.deep.equal(first);
    await q.start();
    await q.drain();
    const confirmed = q.state(hash);
    expect(confirmed?.status).to.equal("confirmed");
    expect(q.enqueue({ docHashHex: hash, kind: "certificate", departmentCode: "SAMR" })).to.deep.equal(confirmed);
    await q.drain();
    expect(await anchorsOf(hash)).to.have.length(1);
  });

  it("anchors a document accepted by the store, queued in the same transaction as its record", async () => {
    const bytes = new TextEncoder().encode(`%PDF-1.7\n${newHash()}\n%%EOF\n`);
    const record = await store.documents.addDocument(
      { id: "ZS-Q-1", kind: "sealed-document", departmentCode: "MCA", title: "t", createdAtMs: clock.now() },
      bytes,
    );
    const q = queue({ maxBatchSize: 1 });
    expect(q.state(record.docHashHex)?.status).to.equal("pending");
    await q.start();
    await q.drain();
    const [anchor] = await anchorsOf(record.docHashHex);
    expect(anchor).to.include({ departmentId: encodeBytes32String("MCA"), kind: 1 });
  });

  it("refuses a malformed hash and a department this node does not serve", () => {
    const q = queue();
    expect(() => q.enqueue({ docHashHex: "0x1234", kind: "certificate", departmentCode: "SAMR" }))
      .to.throw(BadRequestError).with.property("code", "INVALID_DOC_HASH");
    expect(() => q.enqueue({ docHashHex: newHash(), kind: "certificate", departmentCode: "APPROVAL" }))
      .to.throw(BadRequestError).with.property("code", "DEPARTMENT_NOT_SERVED");
  });

  it("after a crash between recording and broadcasting, sends the recorded transaction itself", async () => {
    const { crashed, hashes } = await crashAfterRecordingBatch();
    const recorded = openBatchRow() as { tx_hash: string };
    expect(crashed.state(hashes[0])).to.include({ status: "submitted", txHash: recorded.tx_hash });
    expect(await anchorsOf(hashes[0])).to.deep.equal([]);

    const restarted = queue();
    await restarted.start();
    await restarted.drain();
    for (const hash of hashes) {
      const anchors = await anchorsOf(hash);
      expect(anchors).to.have.length(1);
      expect(anchors[0].txHash).to.equal(recorded.tx_hash);
    }
  });

  it("after a crash between broadcasting and recording the receipt, confirms from the receipt without sending again", async () => {
    const crashed = queue({ providerClass: NoReceiptProvider });
    await crashed.start();
    const hashes = enqueueAll(crashed, [newHash(), newHash(), newHash(), newHash()]).map((s) => s.docHashHex);
    await until(async () => (await anchorsOf(hashes[0])).length === 1, "the batch on chain");
    await crashed.stop();
    expect(crashed.state(hashes[0])?.status).to.equal("submitted");
    const before = await batchCount();

    const restarted = queue();
    await restarted.start();
    await restarted.drain();
    expect(await batchCount()).to.equal(before);
    for (const hash of hashes) expect(await anchorsOf(hash)).to.have.length(1);
    expect(restarted.state(hashes[3])?.anchor).to.include({ index: 3, batchSize: 4 });
  });

  it("when the recorded nonce was used by another transaction, re-queues what is not on chain and anchors it once", async () => {
    const { hashes } = await crashAfterRecordingBatch();
    // Someone else spends the operator's nonce (a revocation, a transfer) while the queue is down.
    const provider = chain.provider();
    const operator = chain.operators.SAMR.connect(provider);
    await (await operator.sendTransaction({ to: operator.address, value: 0n })).wait();

    const restarted = queue();
    await restarted.start();
    await restarted.drain();
    const abandoned = store.db.prepare("SELECT count(*) AS n FROM anchor_batches WHERE status = 'abandoned'").get();
    expect(abandoned).to.deep.equal({ n: 1 });
    for (const hash of hashes) expect(await anchorsOf(hash)).to.have.length(1);
  });

  it("when the recorded nonce was used by a transaction that anchored the same documents, confirms them from the ledger's logs", async () => {
    const { hashes } = await crashAfterRecordingBatch();
    const provider = chain.provider();
    const direct = await (await chain.ledgerFor("SAMR", provider).anchorBatch(hashes, new Uint8Array(4))).wait();
    const before = await batchCount();

    const restarted = queue();
    await restarted.start();
    await restarted.drain();
    expect(await batchCount()).to.equal(before);
    for (const hash of hashes) {
      const anchors = await anchorsOf(hash);
      expect(anchors).to.have.length(1);
      expect(restarted.state(hash)).to.include({ status: "confirmed", txHash: direct?.hash });
    }
  });

  it("keeps documents pending with the reason while the chain is down, then anchors each once when it returns", async () => {
    const q = queue();
    await q.start();
    await chain.stopNode();
    try {
      const hashes = enqueueAll(q, [newHash(), newHash(), newHash(), newHash(), newHash()]).map((s) => s.docHashHex);
      await advanceUntil(() => q.state(hashes[0])?.lastError !== undefined, "the outage to be noted");
      expect(q.state(hashes[0])).to.include({ status: "pending", lastError: "chain unreachable, retrying" });
      expect(q.state(hashes[4])).to.include({ status: "pending", lastError: "chain unreachable, retrying" });
      await chain.startNode();
      const drained = q.drain();
      let done = false;
      void drained.then(() => (done = true));
      await advanceUntil(() => done, "the queue to catch up");
      for (const hash of hashes) {
        expect(q.state(hash)?.status).to.equal("confirmed");
        expect(q.state(hash)?.lastError).to.equal(undefined);
        expect(await anchorsOf(hash)).to.have.length(1);
      }
    } finally {
      if (!(await chain.provider().getBlockNumber().then(() => true, () => false))) await chain.startNode();
    }
  });
});
