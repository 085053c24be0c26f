// bench:issue-40k — 40,000 certificates issued as the service issues them, until every one is
// confirmed on chain: each rendered, font-subset and sealed in the worker pool (issueInPool, one
// worker per core unless --workers says otherwise; the seal's signature answered on the main
// thread, as in the service), stored (SQLite and the content-addressed PDF files) with its record
// key, and anchored by the anchoring queue in batches of 256 on the embedded Anvil over JSON-RPC
// (its own process, as `npm start` runs it). OpenCerts' older tooling took 12–13 hours for 40,000;
// the target is ≤ 3 minutes on 2 cores.
// Progress lines while it runs; then a table; rss_mb is this process's peak (main thread and
// workers), the node's own is in the table.
// Flags: --certs N (default 40000), --workers N (default: the machine's cores), --in-flight N
// (issue jobs handed to the pool at once; default 2 per worker).
// Last line: `RESULT certs=… certs_per_s=… last_confirmed_s=… rss_mb=… target_ratio=…` (ratio = last_confirmed_s / 180).
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { encodeBytes32String, JsonRpcProvider, NonceManager, parseEther, Wallet } from "ethers";
import pino from "pino";
import { createAnchorQueue } from "../server/anchor/anchor-queue";
import { deployZeroSign } from "../server/chain/deploy";
import { newRecordSalt, recordKeyHash } from "../server/chain/record-key";
import { createSystemClock } from "../server/clock";
import { DEMO_DEPARTMENTS } from "../server/demo/departments";
import { EMBEDDED_CHAIN_ID, EMBEDDED_DEPLOYER_KEY, startEmbeddedChain } from "../server/devnet/embedded-chain";
import { demoTemplate } from "../server/pdf/demo-template";
import { ensureDevPki } from "../server/pki/dev-pki";
import { createStore } from "../server/store/create-store";
import { issueInPool } from "../server/workers/pool-jobs";
import { createWorkerPool } from "../server/workers/worker-pool";
import { positiveIntegerFlag } from "./bench-args";
import { printTable } from "./bench-table";

const BATCH = 256;
const TARGET_S = 180;
const PROGRESS_MS = 5_000;
const log = pino({ level: "silent" });
const out = (line = "") => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const certs = positiveIntegerFlag("certs", 40_000);
  const workers = positiveIntegerFlag("workers", os.availableParallelism());
  const inFlight = positiveIntegerFlag("in-flight", 2 * workers);
  const dir = await mkdtemp(path.join(os.tmpdir(), "zs-bench-issue-"));
  const dataDir = path.join(dir, "data");
  const chain = await startEmbeddedChain({ dataDir: path.join(dir, "node"), port: 0, log: () => undefined });
  const nodePid = Number(readFileSync(path.join(dir, "node", "chain", "anvil.pid"), "utf8"));
  const provider = new JsonRpcProvider(chain.rpcUrl, EMBEDDED_CHAIN_ID, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
  const pool = createWorkerPool({ size: workers, maxQueue: inFlight, jobTimeoutMs: 30_000, maxOldGenerationSizeMb: 256, log });
  let peakRss = 0;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
  try {
    // The ledger, SAMR registered with one operator that anchors, and SAMR's seal key.
    const deployer = new NonceManager(new Wallet(EMBEDDED_DEPLOYER_KEY, provider));
    const { registry, ledger, deployment } = await deployZeroSign(deployer, await deployer.getAddress());
    const operator = Wallet.createRandom().connect(provider);
    const samr = encodeBytes32String("SAMR");
    await (await registry.registerDepartment(samr, "市场监督管理局")).wait();
    await (await registry.addOperator(samr, operator.address)).wait();
    await (await deployer.sendTransaction({ to: operator.address, value: parseEther("100") })).wait();
    const pki = await ensureDevPki(dataDir, DEMO_DEPARTMENTS.filter((d) => d.code === "SAMR"));
    const signer = pki.signerFor("SAMR", "seal");

    const clock = createSystemClock();
    const store = await createStore({ dataDir, log, clock });
    const queue = createAnchorQueue({ db: store.db, ledgers: { SAMR: ledger.connect(operator) }, provider, clock, log, fromBlock: deployment.deployBlock, maxBatchSize: BATCH });
    const confirmedCount = store.db.prepare<[], { n: number }>(
      "SELECT count(*) AS n FROM documents d JOIN anchor_entries e ON e.doc_hash = d.doc_hash WHERE e.status = 'confirmed'",
    );
    const batchCount = store.db.prepare<[], { n: number }>("SELECT count(*) AS n FROM anchor_batches WHERE status = 'confirmed'");
    // Every worker started and its fonts parsed first, as the service does before it is ready.
    await Promise.all(Array.from({ length: workers }, () => pool.run("warm", undefined)));
    await queue.start();

    out(`bench:issue-40k: ${certs} certificates, ${workers} workers (${os.availableParallelism()} cores), ${inFlight} issue jobs in flight, batches of ${BATCH}, embedded Anvil over JSON-RPC`);
    let issued = 0;
    let pdfBytesTotal = 0;
    // Wall time each step's awaits took, summed over the in-flight issuers: where the time goes.
    let poolMs = 0;
    let storeMs = 0;
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    const progress = () => {
      const s = seconds();
      out(`  ${s.toFixed(0).padStart(4)} s  issued ${String(issued).padStart(6)} (${(issued / s).toFixed(0)}/s)  confirmed ${String(confirmedCount.get()?.n ?? 0).padStart(6)}  rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);
    };
    const progressTimer = setInterval(progress, PROGRESS_MS);

    const issueDate = new Date().toISOString().slice(0, 10);
    let next = 0;
    const issueOne = async () => {
      while (next < certs) {
        next++;
        const template = demoTemplate({ issueDate });
        const recordSaltHex = newRecordSalt();
        const nowMs = clock.now();
        const poolStarted = performance.now();
        const { pdfBytes, certificateIdentifier } = await issueInPool(pool, template, {
          publicBaseUrl: "http://127.0.0.1:8080",
          signer,
          signingTime: new Date(nowMs),
          recordSaltHex,
        });
        const storeStarted = performance.now();
        poolMs += storeStarted - poolStarted;
        // As POST /api/certificates: stored and queued with its record key in one transaction, then the queue woken.
        const stored = await store.documents.addDocument(
          { id: certificateIdentifier, kind: template.kind, departmentCode: "SAMR", title: template.title, createdAtMs: nowMs },
          pdfBytes,
          { recordKeyHex: recordKeyHash(certificateIdentifier, recordSaltHex) },
        );
        queue.enqueue({ docHashHex: stored.docHashHex, kind: stored.kind, departmentCode: "SAMR" });
        storeMs += performance.now() - storeStarted;
        issued++;
        pdfBytesTotal += pdfBytes.length;
      }
    };
    await Promise.all(Array.from({ length: inFlight }, issueOne));
    const issuedS = seconds();
    progress();
    await queue.drain();
    const lastConfirmedS = seconds();
    clearInterval(progressTimer);
    progress();
    await queue.stop();
    const confirmed = confirmedCount.get()?.n ?? 0;
    const batches = batchCount.get()?.n ?? 0;
    store.close();
    if (confirmed !== certs) throw new Error(`${confirmed} of ${certs} certificates confirmed`);

    const certsPerS = certs / issuedS;
    const rssMb = peakRss / 2 ** 20;
    const ratio = lastConfirmedS / TARGET_S;
    const nodeRssMb = peakRssOfProcessMb(nodePid);
    out();
    printTable(
      ["", "value"],
      [
        ["certificates issued (one page, CJK subset, seal, QR)", `${certs}, ${(pdfBytesTotal / certs / 1024).toFixed(1)} KB each`],
        ["leaves anchored (certificate + its record key)", `${2 * certs} in ${batches} batches of up to ${BATCH}`],
        ["issuing: render, subset, seal, store, queue", `${issuedS.toFixed(1)} s, ${certsPerS.toFixed(1)} certificates/s`],
        ["time to the last confirmation", `${lastConfirmedS.toFixed(1)} s (target ≤ ${TARGET_S} s: ${lastConfirmedS <= TARGET_S ? "met" : "MISSED"}, ratio ${ratio.toFixed(2)})`],
        ["  of which after the last certificate was issued", `${(lastConfirmedS - issuedS).toFixed(1)} s`],
        ["per certificate, an issuer waiting for the pool (issueInPool)", `${(poolMs / certs).toFixed(2)} ms (${inFlight} issuers at once)`],
        ["per certificate, an issuer waiting for the store (files, SQLite)", `${(storeMs / certs).toFixed(2)} ms`],
        ["peak RSS, this process (main thread + workers)", `${rssMb.toFixed(0)} MB`],
        ["peak RSS, the Anvil node", nodeRssMb === undefined ? "unknown" : `${nodeRssMb.toFixed(0)} MB`],
        ["load average when done (1, 5, 15 min)", os.loadavg().map((l) => l.toFixed(2)).join(", ")],
      ],
    );
    out(`RESULT certs=${certs} certs_per_s=${certsPerS.toFixed(1)} last_confirmed_s=${lastConfirmedS.toFixed(1)} rss_mb=${rssMb.toFixed(0)} target_ratio=${ratio.toFixed(3)}`);
  } finally {
    clearInterval(rssTimer);
    await pool.close();
    provider.destroy();
    await chain.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** A process's peak resident set (VmHWM) in MB, from /proc; undefined where there is none. */
function peakRssOfProcessMb(pid: number): number | undefined {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    // Not Linux, or the node already gone: the table says unknown.
    return undefined;
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
