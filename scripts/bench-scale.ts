// bench:scale — is verification flat in the chain's age and the number of documents? A `hardhat
// node` over JSON-RPC (its hardhat_mine makes millions of empty blocks at once; Anvil mines a few
// hundred a second) behind a proxy that refuses eth_getLogs over CHAIN_LOG_RANGE blocks, as
// Hyperledger Besu does. The ledger is deployed, then half of --blocks empty blocks are mined, a
// real sealed certificate (the probe) is anchored in a batch of 256, the other half are mined, and
// documents are anchored in batches of 256 up to --docs. At each size (1 k, 10 k, 100 k, 1 M, and
// --docs) the node's log index takes the new blocks, then the probe is verified cold (a fresh chain
// reader, batch cache and certificate cache; every check, the chain's included) --rounds times
// (after one uncounted verification, so the first size does not carry the JIT's warm-up).
// Then the offline checks alone (offline_ms), one cold verification without the index (live chunked
// searches of the whole chain, live_verify_s; --no-live skips it), and a fresh index's catch-up
// with the whole chain (index_catchup_s). rss_mb is this
// process's peak (index, verifier and proxy; not the hardhat node's).
// Flags: --docs N (default 100000, a few minutes; the 1 M figure needs --docs 1000000, about 3,900 batches),
// --blocks N (default 15768000: a year of 2-second blocks), --range N (default 1000), --rounds N (default 15).
// Last line: `RESULT docs=… blocks=… verify_ms_1k=… verify_ms_max=… flat_ratio=… offline_ms=… live_verify_s=…
// index_catchup_s=… rss_mb=…`.
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { JsonRpcProvider, NonceManager, toQuantity, Wallet } from "ethers";
import pino from "pino";
import { createVerifiedBatchCache } from "../server/chain/anchor-lookup";
import { createChainReader } from "../server/chain/chain-reader";
import { deployZeroSign } from "../server/chain/deploy";
import { createHttpJsonRpc } from "../server/chain/json-rpc";
import { createLogIndex, type LogIndex } from "../server/chain/log-index/log-index";
import { createSystemClock } from "../server/clock";
import { DEMO_DEPARTMENTS } from "../server/demo/departments";
import { ensureDemoOperators } from "../server/demo/operators";
import { seedDemo } from "../server/demo/seed";
import { EMBEDDED_DEPLOYER_KEY, freePort } from "../server/devnet/embedded-chain";
import { demoTemplate } from "../server/pdf/demo-template";
import { loadCertificateFonts } from "../server/pdf/fonts";
import { issueCertificate } from "../server/pdf/issue-certificate";
import { ensureDevPki } from "../server/pki/dev-pki";
import { createCertificateCache } from "../server/verify/certificate-cache";
import { verifyPdf } from "../server/verify/verifier";
import { startCappedProxy } from "../test/helpers/json-rpc-nodes";
import { positiveIntegerFlag } from "./bench-args";
import { printTable } from "./bench-table";

const ROOT = path.resolve(__dirname, "..");
const BATCH = 256;
const SIZES = [1_000, 10_000, 100_000, 1_000_000];
const TARGET_FLAT_RATIO = 1.2;
const TARGET_CATCHUP_S = 300;
const TARGET_RSS_MB = 1024;

async function main(): Promise<void> {
  const docs = positiveIntegerFlag("docs", 100_000);
  const blocks = positiveIntegerFlag("blocks", 15_768_000);
  const range = positiveIntegerFlag("range", 1000);
  const rounds = positiveIntegerFlag("rounds", 15);
  const dir = mkdtempSync(path.join(os.tmpdir(), "zs-bench-scale-"));
  const port = await freePort();
  const node = spawn(path.join(ROOT, "node_modules/.bin/hardhat"), ["node", "--hostname", "127.0.0.1", "--port", String(port)], { cwd: ROOT, stdio: "ignore" });
  const rpcUrl = `http://127.0.0.1:${port}`;
  const provider = new JsonRpcProvider(rpcUrl, 31337, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
  let peakRss = 0;
  const sampleRss = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
  const rssTimer = setInterval(sampleRss, 200);
  const indexes: LogIndex[] = [];
  try {
    await waitFor(() => provider.getBlockNumber().then(() => true, () => false));
    const proxy = await startCappedProxy(rpcUrl, range);
    const rpc = createHttpJsonRpc(proxy.url, { timeoutMs: 60_000 });
    const { deployment, probe, ledger } = await setUp(dir, provider);
    const mine = (n: number) => provider.send("hardhat_mine", [toQuantity(n)]);

    await mine(Math.floor(blocks / 2));
    const probeHash = "0x" + createHash("sha256").update(probe).digest("hex");
    let anchored = 0;
    const anchorBatch = async (first?: string) => {
      const hashes = Array.from({ length: BATCH }, () => "0x" + randomBytes(32).toString("hex"));
      if (first) hashes[0] = first;
      return ledger.anchorBatch(hashes, "0x" + "00".repeat(BATCH)).then((tx) => {
        anchored += BATCH;
        return tx;
      });
    };
    await (await anchorBatch(probeHash)).wait();
    await mine(blocks - Math.floor(blocks / 2));

    const log = pino({ level: "silent" });
    const identity = { chainId: deployment.chainId, ledgerAddress: deployment.ledgerAddress, registryAddress: deployment.registryAddress, fromBlock: deployment.deployBlock };
    const openIndex = (file: string) => {
      const index = createLogIndex({ rpc, file: path.join(dir, file), identity, logRange: range, clock: createSystemClock(), log });
      indexes.push(index);
      return index;
    };
    const index = openIndex("log-index.sqlite");

    const sizes = [...SIZES.filter((s) => s < docs), docs];
    let findAnchorsMs = 0;
    const verifyCold = async () => {
      const reader = createChainReader({ rpc, deployment, logRange: range, index, batches: createVerifiedBatchCache(), timeoutMs: 60_000 });
      // The anchor lookup timed apart from the rest: where a growth with size would show.
      const chain = {
        ...reader,
        findAnchors: async (docHashHex: string) => {
          const started = performance.now();
          try {
            return await reader.findAnchors(docHashHex);
          } finally {
            findAnchorsMs = performance.now() - started;
          }
        },
      };
      const started = performance.now();
      const report = await verifyPdf(probe, { chain, certificates: createCertificateCache() });
      if (report.verdict !== "valid") throw new Error(`the probe verified ${report.verdict}: ${JSON.stringify(report.checks.filter((c) => c.status !== "valid"))}`);
      return performance.now() - started;
    };
    // One verification first, not counted: the first size would otherwise carry the JIT's warm-up.
    await index.syncOnce();
    await verifyCold();
    const rows: Array<{ docs: number; blocks: number; anchorS: number; indexS: number; verifyMs: number; lookupMs: number; liveLogs: number }> = [];
    for (const size of sizes) {
      const anchoringStarted = performance.now();
      // Sent back to back (the node mines each at once), waited for at the end.
      let last: { wait(): Promise<unknown> } | undefined;
      while (anchored < size) last = await anchorBatch();
      await last?.wait();
      const anchorS = (performance.now() - anchoringStarted) / 1000;
      const indexStarted = performance.now();
      await index.syncOnce();
      const indexS = (performance.now() - indexStarted) / 1000;
      const times: number[] = [];
      const lookupTimes: number[] = [];
      let liveLogs = 0;
      for (let r = 0; r < rounds; r++) {
        const before = proxy.calls.get("eth_getLogs") ?? 0;
        times.push(await verifyCold());
        lookupTimes.push(findAnchorsMs);
        liveLogs = (proxy.calls.get("eth_getLogs") ?? 0) - before;
      }
      sampleRss();
      rows.push({ docs: anchored, blocks: await provider.getBlockNumber(), anchorS, indexS, verifyMs: median(times), lookupMs: median(lookupTimes), liveLogs });
      process.stderr.write(`  ${anchored} documents: cold verification ${median(times).toFixed(2)} ms\n`);
    }

    // Where the time goes: the offline checks alone, and the same verification without the index.
    const offlineTimes: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const started = performance.now();
      await verifyPdf(probe, { certificates: createCertificateCache() });
      offlineTimes.push(performance.now() - started);
    }
    const offlineMs = median(offlineTimes);
    let liveMs: number | undefined;
    if (!process.argv.includes("--no-live")) {
      const chain = createChainReader({ rpc, deployment, logRange: range, batches: createVerifiedBatchCache(), timeoutMs: 1_800_000 });
      const started = performance.now();
      const report = await verifyPdf(probe, { chain, certificates: createCertificateCache() });
      liveMs = performance.now() - started;
      if (report.verdict !== "valid") throw new Error(`the probe verified ${report.verdict} without the index`);
    }

    const catchupStarted = performance.now();
    const fresh = openIndex("catch-up.sqlite");
    const caughtUpTo = await fresh.syncOnce();
    const catchupS = (performance.now() - catchupStarted) / 1000;
    sampleRss();

    const first = rows[0];
    const largest = rows[rows.length - 1];
    const flatRatio = largest.verifyMs / first.verifyMs;
    const rssMb = peakRss / 2 ** 20;
    printTable(
      ["documents", "chain blocks", "anchoring s", "index pass s", `cold verify ms (median of ${rounds})`, "of which anchor lookup ms", "eth_getLogs per verify"],
      rows.map((r) => [String(r.docs), String(r.blocks), r.anchorS.toFixed(1), r.indexS.toFixed(2), r.verifyMs.toFixed(2), r.lookupMs.toFixed(2), String(r.liveLogs)]),
    );
    process.stdout.write(
      `\nnode: hardhat node over JSON-RPC behind a proxy refusing eth_getLogs over ${range} blocks; ledger deployed at block ${deployment.deployBlock}, ` +
        `probe anchored ${Math.floor(blocks / 2)} blocks later.\n` +
        `flat_ratio (${largest.docs} / ${first.docs} documents) = ${flatRatio.toFixed(3)} (target ≤ ${TARGET_FLAT_RATIO}: ${flatRatio <= TARGET_FLAT_RATIO ? "met" : "MISSED"})\n` +
        `fresh index catch-up with ${caughtUpTo - deployment.deployBlock + 1} blocks: ${catchupS.toFixed(1)} s (target ≤ ${TARGET_CATCHUP_S}: ${catchupS <= TARGET_CATCHUP_S ? "met" : "MISSED"})\n` +
        `offline checks alone (no chain): ${offlineMs.toFixed(2)} ms; ` +
        (liveMs === undefined ? "live search without the index: skipped (--no-live)\n" : `the same cold verification without the index (live chunked searches of the whole chain): ${(liveMs / 1000).toFixed(1)} s\n`) +
        `peak RSS of this process: ${rssMb.toFixed(0)} MB (target < ${TARGET_RSS_MB}: ${rssMb < TARGET_RSS_MB ? "met" : "MISSED"})\n` +
        (largest.docs < 1_000_000 ? `(the 1 M figure needs --docs 1000000)\n` : ""),
    );
    const sizeKey = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}m` : `${Math.round(n / 1000)}k`);
    process.stdout.write(
      `RESULT docs=${largest.docs} blocks=${largest.blocks} verify_ms_${sizeKey(first.docs)}=${first.verifyMs.toFixed(2)} verify_ms_max=${largest.verifyMs.toFixed(2)} ` +
        `flat_ratio=${flatRatio.toFixed(3)} offline_ms=${offlineMs.toFixed(2)}${liveMs === undefined ? "" : ` live_verify_s=${(liveMs / 1000).toFixed(1)}`} ` +
        `index_catchup_s=${catchupS.toFixed(1)} rss_mb=${rssMb.toFixed(0)}\n`,
    );
    rpc.close();
    await proxy.close();
  } finally {
    clearInterval(rssTimer);
    for (const index of indexes) await index.stop();
    provider.destroy();
    node.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Deploys, seeds SAMR as the demo does, issues one sealed certificate (the probe), and gives SAMR's ledger. */
async function setUp(dir: string, provider: JsonRpcProvider) {
  const deployer = new NonceManager(new Wallet(EMBEDDED_DEPLOYER_KEY, provider));
  const { deployment, ...contracts } = await deployZeroSign(deployer, await deployer.getAddress());
  const departments = DEMO_DEPARTMENTS.filter((d) => d.code === "SAMR");
  const dataDir = path.join(dir, "data");
  const pki = await ensureDevPki(dataDir, departments);
  const operators = await ensureDemoOperators(dataDir, departments);
  await seedDemo({ contracts, bureau: deployer, provider, departments, operators, pki, log: () => undefined });
  const { pdfBytes } = await issueCertificate(demoTemplate({ issueDate: new Date().toISOString().slice(0, 10) }), {
    fonts: loadCertificateFonts(),
    publicBaseUrl: "http://127.0.0.1:8080",
    signer: pki.signerFor("SAMR", "seal"),
    signingTime: new Date(),
  });
  const ledger = contracts.ledger.connect(new NonceManager(new Wallet(operators[0].privateKey, provider)));
  return { deployment, probe: pdfBytes, ledger };
}

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("the hardhat node did not answer");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
