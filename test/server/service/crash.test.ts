// Crash safety with real processes: a service node issues certificates through its HTTP API while
// it is killed with SIGKILL at seeded random moments; after the last restart every document in
// its store (which includes every one it answered 201 for) is anchored exactly once, counted from
// the ledger's own logs, and the ledger holds no leaf the store does not know.
import Database from "better-sqlite3";
import { expect } from "chai";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { encodeBytes32String, JsonRpcProvider } from "ethers";
import { findDocumentAnchors } from "../../../server/chain/anchor-lookup";
import { attachZeroSign } from "../../../server/chain/deploy";
import { EMBEDDED_CHAIN_ID, startEmbeddedChain, type EmbeddedChain } from "../../../server/devnet/embedded-chain";
import { issueOn, listAllDocuments, startServiceNode, stopServiceNode, type ServiceNode } from "../../helpers/service";
import { until } from "../../helpers/until";

const TRIALS = 12;
const SEED = 0x5a4e51;
const MAX_KILL_DELAY_MS = 1500;
const ISSUERS = 3;

/** mulberry32: a small seeded PRNG, so a failing trial can be replayed. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Batches signed and recorded but not settled when the process died. */
function countOpenBatches(dataDir: string): number {
  const db = new Database(path.join(dataDir, "zerosign.sqlite"), { readonly: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM anchor_batches WHERE status = 'submitted'").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe("service: kill -9 at random moments while issuing", function () {
  this.timeout(240_000);
  let chainDir: string;
  let dataDir: string;
  let chain: EmbeddedChain;
  let node: ServiceNode | undefined;

  before(async () => {
    chainDir = await mkdtemp(path.join(os.tmpdir(), "zerosign-crash-chain-"));
    dataDir = await mkdtemp(path.join(os.tmpdir(), "zerosign-crash-"));
    chain = await startEmbeddedChain({ dataDir: chainDir, port: 0, log: () => undefined });
  });
  after(async () => {
    node?.process.child.kill("SIGKILL");
    await chain?.stop();
    await rm(chainDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  it(`anchors every accepted document exactly once over ${TRIALS} seeded kills`, async () => {
    const random = seededRandom(SEED);
    const accepted = new Map<string, string>(); // id → docHashHex, answered 201
    let killedInFlight = 0; // kills that left a signed batch unsettled
    const start = () => startServiceNode({ dataDir, rpcUrl: chain.rpcUrl, departments: "SAMR", env: { ANCHOR_BATCH_SIZE: "8", ANCHOR_MAX_WAIT_MS: "30" } });

    for (let trial = 0; trial < TRIALS; trial++) {
      const running = await start();
      node = running;
      let alive = true;
      const issuer = async () => {
        while (alive) {
          try {
            const doc = await issueOn(running, "SAMR");
            accepted.set(doc.id, doc.docHashHex);
          } catch (err) {
            if (alive) throw err;
          }
        }
      };
      const issuers = Array.from({ length: ISSUERS }, issuer);
      const killAfterMs = Math.floor(random() * MAX_KILL_DELAY_MS);
      await new Promise((resolve) => setTimeout(resolve, killAfterMs));
      alive = false;
      running.process.child.kill("SIGKILL");
      await running.process.exited;
      await Promise.all(issuers);
      killedInFlight += countOpenBatches(dataDir);
    }

    node = await start();
    const stored = await listAllDocuments(node, "SAMR");
    const storedHashes = new Map(stored.map((d) => [d.id, d.docHashHex]));
    for (const [id, hash] of accepted) expect(storedHashes.get(id), `accepted ${id}`).to.equal(hash);
    const pendingCount = async () =>
      (await listAllDocuments(node as ServiceNode, "SAMR")).filter((d) => d.anchoring.status !== "confirmed").length;
    await until(async () => (await pendingCount()) === 0, "every stored document to be confirmed", 60_000);

    const provider = new JsonRpcProvider(chain.rpcUrl, EMBEDDED_CHAIN_ID, { staticNetwork: true, batchMaxCount: 1 });
    try {
      const { ledger } = attachZeroSign(node.deployment, provider);
      for (const [id, hash] of storedHashes) {
        const anchors = await findDocumentAnchors(ledger, hash, { fromBlock: node.deployment.deployBlock });
        expect(anchors.length, `anchorings of ${id}`).to.equal(1);
      }
      const events = await ledger.queryFilter(ledger.filters.BatchAnchored(undefined, encodeBytes32String("SAMR")), node.deployment.deployBlock);
      const leaves = events.reduce((sum, e) => sum + Number(e.args.size), 0);
      // Every issued certificate is followed on chain by its record key (chain/record-key.ts).
      expect(leaves, "leaves on chain").to.equal(2 * storedHashes.size);
    } finally {
      provider.destroy();
    }
    expect(accepted.size).to.be.greaterThan(TRIALS);
    expect(await stopServiceNode(node)).to.equal(0);
    process.stderr.write(
      `      (${TRIALS} kills, ${killedInFlight} with a batch in flight; ${accepted.size} documents answered 201, ${storedHashes.size} stored)\n`,
    );
  });
});
