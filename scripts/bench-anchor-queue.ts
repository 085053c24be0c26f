// Anchoring throughput: documents per second through the durable queue to confirmed, on the
// embedded Anvil node (automine), with SQLite (WAL, synchronous=FULL) in a temp folder. For each
// batch size a backlog of documents is queued at once and the queue drains it batch by batch:
// sign locally, record in SQLite, broadcast, receipt, record confirmation with proofs.
// confirm_ms is per batch, from signing to the confirmation being recorded. Run: npm run bench:queue
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { encodeBytes32String, JsonRpcProvider, NonceManager, parseEther, Wallet } from "ethers";
import pino from "pino";
import { createAnchorQueue } from "../server/anchor/anchor-queue";
import { deployZeroSign } from "../server/chain/deploy";
import { createSystemClock } from "../server/clock";
import { EMBEDDED_CHAIN_ID, EMBEDDED_DEPLOYER_KEY, startEmbeddedChain } from "../server/devnet/embedded-chain";
import { createStore } from "../server/store/create-store";

const BATCH_SIZES = [16, 64, 256, 1024];
const DOCS_PER_SIZE = 4096;
const HEADLINE_BATCH = 256;
const log = pino({ level: "silent" });
const out = (line: string) => process.stdout.write(`${line}\n`);

interface Row {
  batch: number;
  docs: number;
  batches: number;
  seconds: number;
  docsPerS: number;
  confirmP50: number;
  confirmP99: number;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "zerosign-bench-queue-"));
  const chain = await startEmbeddedChain({ dataDir: path.join(dir, "chain"), port: 0, log: () => undefined });
  const provider = new JsonRpcProvider(chain.rpcUrl, EMBEDDED_CHAIN_ID, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
  try {
    const deployer = new NonceManager(new Wallet(EMBEDDED_DEPLOYER_KEY, provider));
    const { registry, ledger, deployment } = await deployZeroSign(deployer, await deployer.getAddress());
    const operator = Wallet.createRandom().connect(provider);
    await (await registry.registerDepartment(encodeBytes32String("SAMR"), "市场监督管理局")).wait();
    await (await registry.addOperator(encodeBytes32String("SAMR"), operator.address)).wait();
    await (await deployer.sendTransaction({ to: operator.address, value: parseEther("100") })).wait();

    const rows: Row[] = [];
    for (const batch of BATCH_SIZES) {
      const store = await createStore({ dataDir: path.join(dir, `store-${batch}`), log, clock: createSystemClock() });
      const queue = createAnchorQueue({
        db: store.db,
        ledgers: { SAMR: ledger.connect(operator) },
        provider,
        clock: createSystemClock(),
        log,
        fromBlock: deployment.deployBlock,
        maxBatchSize: batch,
        maxWaitMs: 2000,
      });
      for (let i = 0; i < DOCS_PER_SIZE; i++) {
        const docHashHex = "0x" + createHash("sha256").update(`bench ${batch} ${i}`).digest("hex");
        queue.enqueue({ docHashHex, kind: "certificate", departmentCode: "SAMR" });
      }
      const started = performance.now();
      await queue.start();
      await queue.drain();
      const seconds = (performance.now() - started) / 1000;
      await queue.stop();
      const confirmMs = (
        store.db.prepare("SELECT settled_at_ms - created_at_ms AS ms FROM anchor_batches WHERE status = 'confirmed' ORDER BY ms").all() as { ms: number }[]
      ).map((r) => r.ms);
      store.close();
      rows.push({
        batch,
        docs: DOCS_PER_SIZE,
        batches: confirmMs.length,
        seconds,
        docsPerS: DOCS_PER_SIZE / seconds,
        confirmP50: percentile(confirmMs, 0.5),
        confirmP99: percentile(confirmMs, 0.99),
      });
      process.stderr.write(`  batch ${batch}: done\n`);
    }

    out(`Anchoring queue throughput on the embedded Anvil (automine), SQLite synchronous=FULL, ${DOCS_PER_SIZE} queued documents a size`);
    out("confirm_ms: per batch, from signing the transaction to recording its confirmation");
    out("");
    out("| batch | docs | batches | seconds | docs/s  | confirm_ms p50 | confirm_ms p99 |");
    out("|------:|-----:|--------:|--------:|--------:|---------------:|---------------:|");
    for (const r of rows) {
      out(
        `| ${String(r.batch).padStart(5)} | ${String(r.docs).padStart(4)} | ${String(r.batches).padStart(7)} | ${r.seconds.toFixed(2).padStart(7)} | ` +
          `${r.docsPerS.toFixed(0).padStart(7)} | ${r.confirmP50.toFixed(0).padStart(14)} | ${r.confirmP99.toFixed(0).padStart(14)} |`,
      );
    }
    const headline = rows.find((r) => r.batch === HEADLINE_BATCH);
    if (!headline) throw new Error(`no row for batch size ${HEADLINE_BATCH}`);
    out("");
    out(`RESULT docs_per_s=${headline.docsPerS.toFixed(0)} batch=${headline.batch} confirm_ms_p50=${headline.confirmP50.toFixed(0)}`);
  } finally {
    provider.destroy();
    await chain.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
