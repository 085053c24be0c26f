// A revocation racing the anchoring queue for the operator's nonce, on a real chain (the embedded
// Anvil node) with the real queue and SQLite. The revoker's provider (NonceRacingProvider) lets
// another transaction of the same operator take the nonce between the revoker's read and its
// broadcast: mined first, waiting in the pool, or outbidding the revocation there. The revoker must
// send again with a fresh nonce, revoke exactly once, and leave the queue's batch anchored; when
// the nonce is taken on every attempt it gives up with a typed 503, having revoked nothing, and the
// same call succeeds afterwards. The other way round, a batch that loses its nonce to a revocation
// is settled by the queue and anchored once.
import { expect } from "chai";
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { encodeBytes32String } from "ethers";
import pino from "pino";
import { createAnchorQueue, type RunningAnchorQueue } from "../../../server/anchor/anchor-queue";
import { findDocumentAnchors } from "../../../server/chain/anchor-lookup";
import { createDocumentRevoker, type ChainRevocation } from "../../../server/chain/revoke-document";
import { ZeroSignError } from "../../../server/errors";
import { createStore, type Store } from "../../../server/store/create-store";
import { startLedgerChain, type LedgerChain } from "../../helpers/ledger-chain";
import { createManualClock, type ManualClock } from "../../helpers/manual-clock";
import { until } from "../../helpers/until";
import { NonceRacingProvider } from "../anchor/nonce-racing-provider";

const log = pino({ level: "silent" });
const newHash = () => "0x" + createHash("sha256").update(randomBytes(32)).digest("hex");
const SAMR = encodeBytes32String("SAMR");

describe("revocation racing the anchoring queue for the operator's nonce", function () {
  this.timeout(120_000);
  let chainDir: string;
  let chain: LedgerChain;
  let dir: string;
  let store: Store;
  let queue: RunningAnchorQueue;
  let racing: NonceRacingProvider;
  let queueProvider: NonceRacingProvider;
  let clock: ManualClock;
  let revokedDoc: string;

  before(async () => {
    chainDir = await mkdtemp(path.join(os.tmpdir(), "zerosign-race-chain-"));
    chain = await startLedgerChain(chainDir, ["SAMR"]);
    dir = await mkdtemp(path.join(os.tmpdir(), "zerosign-race-"));
    clock = createManualClock();
    store = await createStore({ dataDir: dir, log, clock });
    queueProvider = new NonceRacingProvider(chain.rpcUrl);
    // One batch per document: an enqueue wakes the worker and it sends at once, no clock needed.
    queue = createAnchorQueue({
      db: store.db,
      ledgers: { SAMR: chain.ledgerFor("SAMR", queueProvider) },
      provider: queueProvider,
      clock,
      log,
      fromBlock: chain.deployment.deployBlock,
      maxBatchSize: 1,
      receiptPollMs: 0,
    });
    await queue.start();
    racing = new NonceRacingProvider(chain.rpcUrl);
  });
  after(async () => {
    await queue?.stop();
    racing?.destroy();
    queueProvider?.destroy();
    store?.close();
    await chain?.close();
    await rm(dir, { recursive: true, force: true });
    await rm(chainDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    revokedDoc = newHash();
    queue.enqueue({ docHashHex: revokedDoc, kind: "certificate", departmentCode: "SAMR" });
    await queue.drain();
  });
  afterEach(() => {
    racing.competitor = undefined;
    racing.broadcasted = undefined;
    queueProvider.competitor = undefined;
  });

  const revoker = () => createDocumentRevoker({ ledgerFor: (code) => (code === "SAMR" ? chain.ledgerFor("SAMR", racing) : undefined), fromBlock: chain.deployment.deployBlock });
  const revocationEvents = (docHashHex: string) => chain.contracts.ledger.queryFilter(chain.contracts.ledger.filters.DocumentRevoked(docHashHex, SAMR), chain.deployment.deployBlock);
  const nonceOf = async (txHash: string) => (await racing.getTransaction(txHash))?.nonce;

  it("sends again with a fresh nonce when the queue's batch took it first: revoked once, the batch anchored", async () => {
    const batchDoc = newHash();
    const taken: number[] = [];
    racing.competitor = async (nonce) => {
      racing.competitor = undefined;
      taken.push(nonce);
      queue.enqueue({ docHashHex: batchDoc, kind: "certificate", departmentCode: "SAMR" });
      await until(() => queue.state(batchDoc)?.status === "confirmed", "the queue's batch to be confirmed");
    };

    const revocation = await revoker()("SAMR", { docHashHex: revokedDoc, kind: "certificate" }, 2);

    const batchTx = queue.state(batchDoc)?.txHash ?? "";
    expect(await nonceOf(batchTx)).to.equal(taken[0]);
    expect(await nonceOf(revocation.txHash)).to.equal(taken[0] + 1);
    const events = await revocationEvents(revokedDoc);
    expect(events.map((e) => e.transactionHash)).to.deep.equal([revocation.txHash]);
    expect((await chain.contracts.ledger.revocation(revokedDoc, SAMR)).reasonCode).to.equal(2n);
    const anchors = await findDocumentAnchors(chain.contracts.ledger, batchDoc, { fromBlock: chain.deployment.deployBlock });
    expect(anchors).to.have.length(1);
    expect(anchors[0].txHash).to.equal(batchTx);
  });

  it("sends again when the nonce is held in the pool by another transaction (replacement underpriced)", async () => {
    const node = chain.provider();
    const operator = chain.operators.SAMR.connect(node);
    const taken: number[] = [];
    // No automine: the competitor waits in the pool at our nonce, and the revoker's copy at the
    // same fee is refused as an underpriced replacement. Mining resumes before the second send.
    await node.send("evm_setAutomine", [false]);
    racing.competitor = async (nonce) => {
      taken.push(nonce);
      if (taken.length === 1) await operator.sendTransaction({ to: operator.address, value: 0n, nonce });
      else await node.send("evm_setAutomine", [true]);
    };
    try {
      const revocation = await revoker()("SAMR", { docHashHex: revokedDoc, kind: "certificate" }, 1);
      expect(taken).to.deep.equal([taken[0], taken[0] + 1]);
      expect(await nonceOf(revocation.txHash)).to.equal(taken[0] + 1);
      expect((await revocationEvents(revokedDoc)).map((e) => e.transactionHash)).to.deep.equal([revocation.txHash]);
    } finally {
      await node.send("evm_setAutomine", [true]);
    }
  });

  it("sends again when its transaction in the pool is replaced by another with its nonce", async () => {
    const node = chain.provider();
    const operator = chain.operators.SAMR.connect(node);
    await node.send("evm_setAutomine", [false]);
    const sent: { hash: string; nonce: number }[] = [];
    racing.broadcasted = async (tx) => {
      racing.broadcasted = undefined;
      sent.push({ hash: tx.hash, nonce: tx.nonce });
      // Outbid ours in the pool, then mine: our revocation is gone, the nonce spent.
      const fee = 2n * (tx.maxFeePerGas ?? 0n);
      await operator.sendTransaction({ to: operator.address, value: 0n, nonce: tx.nonce, maxFeePerGas: fee, maxPriorityFeePerGas: fee });
      await node.send("evm_setAutomine", [true]);
      await node.send("evm_mine", []);
    };
    try {
      const revocation = await revoker()("SAMR", { docHashHex: revokedDoc, kind: "certificate" }, 1);
      expect(sent).to.have.length(1);
      expect(await node.getTransactionReceipt(sent[0].hash)).to.equal(null);
      expect(await nonceOf(revocation.txHash)).to.equal(sent[0].nonce + 1);
      expect((await revocationEvents(revokedDoc)).map((e) => e.transactionHash)).to.deep.equal([revocation.txHash]);
    } finally {
      await node.send("evm_setAutomine", [true]);
    }
  });

  it("when the revocation takes the nonce the queue's batch read, the batch is settled from the chain and anchored once", async () => {
    const batchDoc = newHash();
    let nonceRead = -1;
    let revocation: ChainRevocation | undefined;
    queueProvider.competitor = async (nonce) => {
      queueProvider.competitor = undefined;
      nonceRead = nonce;
      revocation = await revoker()("SAMR", { docHashHex: revokedDoc, kind: "certificate" }, 1);
    };
    queue.enqueue({ docHashHex: batchDoc, kind: "certificate", departmentCode: "SAMR" });
    // The batch's broadcast is refused as "nonce too low": routine, settled from the chain at once,
    // without a backoff (the clock never moves here) and without an error shown on the document.
    await until(() => queue.state(batchDoc)?.status === "confirmed", "the queue's batch to be confirmed");
    expect(queue.state(batchDoc)?.lastError ?? "").to.equal("");

    expect(await nonceOf(revocation?.txHash ?? "")).to.equal(nonceRead);
    expect((await revocationEvents(revokedDoc)).map((e) => e.transactionHash)).to.deep.equal([revocation?.txHash]);
    const anchors = await findDocumentAnchors(chain.contracts.ledger, batchDoc, { fromBlock: chain.deployment.deployBlock });
    expect(anchors).to.have.length(1);
    expect(anchors[0].txHash).to.equal(queue.state(batchDoc)?.txHash);
    expect(store.db.prepare("SELECT count(*) AS n FROM anchor_batches WHERE status = 'abandoned'").get()).to.deep.equal({ n: 1 });
  });

  it("gives up with 503 OPERATOR_NONCE_CONFLICT when every nonce it reads is taken, revoking nothing; asked again it revokes", async () => {
    const operator = chain.operators.SAMR.connect(chain.provider());
    let taken = 0;
    racing.competitor = async (nonce) => {
      taken += 1;
      await (await operator.sendTransaction({ to: operator.address, value: 0n, nonce })).wait();
    };

    const err = await revoker()("SAMR", { docHashHex: revokedDoc, kind: "certificate" }, 1).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(ZeroSignError);
    expect(err).to.include({ code: "OPERATOR_NONCE_CONFLICT", httpStatus: 503 });
    expect(taken).to.equal(3);
    expect(await revocationEvents(revokedDoc)).to.deep.equal([]);

    racing.competitor = undefined;
    const revocation = await revoker()("SAMR", { docHashHex: revokedDoc, kind: "certificate" }, 1);
    expect((await revocationEvents(revokedDoc)).map((e) => e.transactionHash)).to.deep.equal([revocation.txHash]);
  });
});
