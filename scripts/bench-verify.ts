// bench:verify — full verification (every check; chain checks against the contracts on a local
// node: the embedded Anvil, its own process, as `npm start` runs it) of anchored one-page
// certificates, against `pdfsig` (crypto only, one process per document) on the same files in the
// same run. 64 distinct certificates are issued and anchored in 4 batches (document i in batch
// i mod 4) and verified round-robin, so nothing about one document is reused for the next. As in
// a service, the verifier keeps department certificates (CertificateCache) and anchoring
// transactions it has rebuilt and checked (VerifiedBatchCache, by block hash); revocations and
// key status are asked every time. The cold row rebuilds the batch every time (a cache of one
// transaction, and consecutive documents sit in different batches). Every verification must come
// out valid. Reported:
// - verify_ms: one verification at a time, per document; compared with pdfsig's time for `ratio`;
// - docs_per_s: in-process throughput with IN_FLIGHT verifications under way, as a service runs;
// - pool_docs_per_s: the same through the worker pool (one worker per core, the chain asked through
//   this thread), as POST /api/verify runs it.
// Last line: `RESULT docs_per_s=… verify_ms=… pdfsig_ms=… ratio=… cold_ms=… cold_docs_per_s=… receipts=… pool_docs_per_s=…`.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { JsonRpcProvider, NonceManager, Wallet } from "ethers";
import { createChainReader } from "../server/chain/chain-reader";
import { deployZeroSign } from "../server/chain/deploy";
import { buildBatchTree } from "../server/chain/merkle";
import { createVerifiedBatchCache } from "../server/chain/anchor-lookup";
import { createHttpJsonRpc, type JsonRpc } from "../server/chain/json-rpc";
import { DEMO_DEPARTMENTS } from "../server/demo/departments";
import { ensureDemoOperators } from "../server/demo/operators";
import { seedDemo } from "../server/demo/seed";
import { EMBEDDED_CHAIN_ID, EMBEDDED_DEPLOYER_KEY, startEmbeddedChain } from "../server/devnet/embedded-chain";
import { demoTemplate } from "../server/pdf/demo-template";
import { loadCertificateFonts } from "../server/pdf/fonts";
import { issueCertificate } from "../server/pdf/issue-certificate";
import { ensureDevPki } from "../server/pki/dev-pki";
import { createCertificateCache } from "../server/verify/certificate-cache";
import { verifyPdf, type VerifyOptions } from "../server/verify/verifier";
import { verifyInPool } from "../server/workers/pool-jobs";
import { createWorkerPool } from "../server/workers/worker-pool";
import pino from "pino";
import { printTable } from "./bench-table";

const DOCUMENTS = 64;
const BATCHES = 4;
const WARMUP = 200;
const SEQUENTIAL_RUNS = 1_000;
const CONCURRENT_RUNS = 2_000;
const IN_FLIGHT = 16;
const PDFSIG_ROUNDS = 1;
const TARGET_DOCS_PER_S = 300;
const TARGET_RATIO = 0.5;

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "zs-bench-verify-"));
  const node = await startEmbeddedChain({ dataDir: dir, port: 0, log: () => undefined });
  const setup = new JsonRpcProvider(node.rpcUrl, EMBEDDED_CHAIN_ID, { staticNetwork: true });
  const read = createHttpJsonRpc(node.rpcUrl);
  try {
    const { documents, deployment } = await anchoredCertificates(dir, setup);
    const files = documents.map((pdfBytes, i) => {
      const file = path.join(dir, `certificate-${i}.pdf`);
      writeFileSync(file, pdfBytes);
      return file;
    });
    // Every receipt the verifiers fetch is one anchoring transaction rebuilt and checked.
    let receipts = 0;
    const counted: JsonRpc = {
      request: (method, params) => {
        if (method === "eth_getTransactionReceipt") receipts++;
        return read.request(method, params);
      },
    };
    const online: VerifyOptions = {
      chain: createChainReader({ rpc: counted, deployment }),
      certificates: createCertificateCache(),
    };
    const cold: VerifyOptions = {
      chain: createChainReader({ rpc: counted, deployment, batches: createVerifiedBatchCache({ maxEntries: 1 }) }),
      certificates: createCertificateCache(),
    };
    const offline: VerifyOptions = { certificates: createCertificateCache() };

    await sequential(documents, online, WARMUP, "valid");
    receipts = 0;
    const verifyMs = await sequential(documents, online, SEQUENTIAL_RUNS, "valid");
    await sequential(documents, cold, WARMUP, "valid");
    const coldReceipts = receipts;
    const coldMs = await sequential(documents, cold, SEQUENTIAL_RUNS, "valid");
    const coldRebuilt = receipts - coldReceipts;
    await sequential(documents, offline, WARMUP, "unknown");
    const offlineMs = await sequential(documents, offline, SEQUENTIAL_RUNS, "unknown");
    await concurrent(documents, online, WARMUP);
    const docsPerS = await concurrent(documents, online, CONCURRENT_RUNS);
    const servedReceipts = receipts - coldReceipts - coldRebuilt;
    const beforeColdConcurrent = receipts;
    const coldDocsPerS = await concurrent(documents, cold, CONCURRENT_RUNS);
    const coldConcurrentRebuilt = receipts - beforeColdConcurrent;
    // As POST /api/verify runs it: in the worker pool (as many workers as cores), the chain asked through this thread.
    const workers = os.availableParallelism();
    const pool = createWorkerPool({ size: workers, maxQueue: IN_FLIGHT, jobTimeoutMs: 30_000, maxOldGenerationSizeMb: 256, log: pino({ level: "silent" }) });
    let poolDocsPerS: number;
    try {
      const inPool: Verify = (pdfBytes) => verifyInPool(pool, pdfBytes, { chain: online.chain });
      await concurrent(documents, inPool, WARMUP);
      poolDocsPerS = await concurrent(documents, inPool, CONCURRENT_RUNS);
    } finally {
      await pool.close();
    }
    const treeMs = timeBatchTree(documents.filter((_, i) => i % BATCHES === 0));
    const pdfsigMs = timePdfsig(files);
    const ratio = verifyMs / pdfsigMs;

    const meanBytes = documents.reduce((n, d) => n + d.length, 0) / documents.length;
    const rateOk = docsPerS >= TARGET_DOCS_PER_S;
    const ratioOk = ratio <= TARGET_RATIO;
    const served = SEQUENTIAL_RUNS + WARMUP + CONCURRENT_RUNS;
    const rows: string[][] = [
      [
        "documents",
        `${DOCUMENTS} distinct certificates, ~${Math.round(meanBytes)} bytes, 1 page, 1 seal signature, ${BATCHES} batches of ${DOCUMENTS / BATCHES}`,
        "",
      ],
      ["chain", "embedded Anvil node (own process) over JSON-RPC at 127.0.0.1", ""],
      ["verifyPdf, one at a time (all checks + chain)", `${verifyMs.toFixed(2)} ms/doc`, `${(1_000 / verifyMs).toFixed(0)} docs/s`],
      [
        "  same, batch rebuilt and checked every time",
        `${coldMs.toFixed(2)} ms/doc`,
        `${(1_000 / coldMs).toFixed(0)} docs/s (${coldRebuilt} receipts for ${SEQUENTIAL_RUNS} verifications)`,
      ],
      ["  offline checks alone (no chain)", `${offlineMs.toFixed(2)} ms/doc`, `${(1_000 / offlineMs).toFixed(0)} docs/s`],
      [`  rebuilding one ${DOCUMENTS / BATCHES}-leaf batch tree`, `${treeMs.toFixed(2)} ms`, ""],
      [
        `verifyPdf, ${IN_FLIGHT} in flight (all checks + chain)`,
        `${(1_000 / docsPerS).toFixed(2)} ms/doc`,
        `${docsPerS.toFixed(0)} docs/s (target ≥ ${TARGET_DOCS_PER_S}: ${rateOk ? "met" : "MISSED"})`,
      ],
      ["  batches rebuilt by the kept-batch verifier", `${servedReceipts} receipts`, `for ${served} verifications after warm-up`],
      [
        "  same, batch rebuilt and checked every time",
        `${(1_000 / coldDocsPerS).toFixed(2)} ms/doc`,
        `${coldDocsPerS.toFixed(0)} docs/s (${coldConcurrentRebuilt} receipts for ${CONCURRENT_RUNS} verifications)`,
      ],
      [
        `verifyInPool, ${IN_FLIGHT} in flight, ${workers} workers (as POST /api/verify)`,
        `${(1_000 / poolDocsPerS).toFixed(2)} ms/doc`,
        `${poolDocsPerS.toFixed(0)} docs/s`,
      ],
      ["pdfsig (crypto only, one process per doc)", `${pdfsigMs.toFixed(2)} ms/doc`, `${(1_000 / pdfsigMs).toFixed(0)} docs/s`],
      ["ratio one-at-a-time verifyPdf / pdfsig", ratio.toFixed(3), `target ≤ ${TARGET_RATIO}: ${ratioOk ? "met" : "MISSED"}`],
    ];
    printTable(["", "time", "rate"], rows);
    if (!rateOk || !ratioOk) {
      process.stdout.write(
        `Target missed. Where one verification's ${verifyMs.toFixed(2)} ms go: ${offlineMs.toFixed(2)} ms of offline checks ` +
          `(PDF reading, CMS parsing, signature and modification checks) and the rest ` +
          `(${Math.max(0, verifyMs - offlineMs).toFixed(2)} ms) in two JSON-RPC rounds (four log searches; key, revocation ` +
          `and department questions) and waiting for the node.\n`,
      );
    }
    process.stdout.write(
      `RESULT docs_per_s=${docsPerS.toFixed(1)} verify_ms=${verifyMs.toFixed(3)} pdfsig_ms=${pdfsigMs.toFixed(3)} ratio=${ratio.toFixed(3)} ` +
        `cold_ms=${coldMs.toFixed(3)} cold_docs_per_s=${coldDocsPerS.toFixed(1)} receipts=${servedReceipts} pool_docs_per_s=${poolDocsPerS.toFixed(1)}\n`,
    );
  } finally {
    read.close();
    setup.destroy();
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Deploys, seeds the demo registry, issues DOCUMENTS certificates with SAMR's seal and anchors them in BATCHES batches. */
async function anchoredCertificates(dir: string, provider: JsonRpcProvider) {
  const deployer = new NonceManager(new Wallet(EMBEDDED_DEPLOYER_KEY, provider));
  const { deployment, ...contracts } = await deployZeroSign(deployer, await deployer.getAddress());
  const dataDir = path.join(dir, "data");
  const pki = await ensureDevPki(dataDir, DEMO_DEPARTMENTS);
  const operators = await ensureDemoOperators(dataDir, DEMO_DEPARTMENTS);
  await seedDemo({ contracts, bureau: deployer, provider, departments: DEMO_DEPARTMENTS, operators, pki, log: () => undefined });
  const operator = operators.find((o) => o.departmentCode === "SAMR");
  if (!operator) throw new Error("no SAMR operator in the demo");

  const fonts = loadCertificateFonts();
  const issueDate = new Date().toISOString().slice(0, 10);
  const documents: Uint8Array[] = [];
  for (let i = 0; i < DOCUMENTS; i++) {
    const { pdfBytes } = await issueCertificate(demoTemplate({ issueDate }), {
      fonts,
      publicBaseUrl: "http://127.0.0.1:8080",
      signer: pki.signerFor("SAMR", "seal"),
      signingTime: new Date(),
    });
    documents.push(pdfBytes);
  }
  const hashes = documents.map((d) => "0x" + createHash("sha256").update(d).digest("hex"));
  if (new Set(hashes).size !== DOCUMENTS) throw new Error("the benchmark certificates are not distinct");
  const ledger = contracts.ledger.connect(new NonceManager(new Wallet(operator.privateKey, provider)));
  for (let b = 0; b < BATCHES; b++) {
    const batch = hashes.filter((_, i) => i % BATCHES === b);
    await (await ledger.anchorBatch(batch, "0x" + "00".repeat(batch.length))).wait();
  }
  return { documents, deployment };
}

/** Mean ms per verification, one at a time, round-robin over the documents; each must give `verdict`. */
async function sequential(documents: Uint8Array[], options: VerifyOptions, runs: number, verdict: string): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < runs; i++) expectVerdict(await verifyPdf(documents[i % documents.length], options), verdict);
  return (performance.now() - started) / runs;
}

/** One verification of a document to a report: in process or in the pool. */
type Verify = (pdfBytes: Uint8Array) => Promise<{ verdict: string; code?: string; reason: string }>;

/** Verifications per second with IN_FLIGHT under way at any time, round-robin over the documents. */
async function concurrent(documents: Uint8Array[], how: VerifyOptions | Verify, runs: number): Promise<number> {
  const verify: Verify = typeof how === "function" ? how : (pdfBytes) => verifyPdf(pdfBytes, how);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < runs; i = next++) expectVerdict(await verify(documents[i % documents.length]), "valid");
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return (runs * 1_000) / (performance.now() - started);
}

function expectVerdict(report: { verdict: string; code?: string; reason: string }, verdict: string): void {
  if (report.verdict !== verdict) {
    throw new Error(`a benchmark certificate verified ${report.verdict} (${report.code ?? ""} ${report.reason}), expected ${verdict}`);
  }
}

/** Mean ms to rebuild one batch's tree from its documents, as the anchor lookup does for a transaction it has not kept. */
function timeBatchTree(documents: Uint8Array[]): number {
  const entries = documents.map((d) => ({ docHashHex: "0x" + createHash("sha256").update(d).digest("hex"), kind: 0 }));
  const runs = 200;
  const started = performance.now();
  for (let i = 0; i < runs; i++) buildBatchTree(entries);
  return (performance.now() - started) / runs;
}

/** Mean wall time of `pdfsig FILE` as a process over every file (it checks the CMS and digest, no chain). */
function timePdfsig(files: string[]): number {
  const once = (file: string) => {
    const res = spawnSync("pdfsig", [file], { encoding: "utf8" });
    if (res.error) throw new Error(`pdfsig could not run: ${res.error.message} (apt-get install poppler-utils)`);
    if (!/Signature is Valid/.test(res.stdout)) throw new Error(`pdfsig did not validate ${file}:\n${res.stdout}`);
  };
  for (const file of files.slice(0, 3)) once(file);
  const started = performance.now();
  for (let round = 0; round < PDFSIG_ROUNDS; round++) for (const file of files) once(file);
  return (performance.now() - started) / (PDFSIG_ROUNDS * files.length);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
