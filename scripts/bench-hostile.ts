// bench:hostile — what issue 10's crafted files cost the verifier (and the signer), at the issue's
// size and at the 20 MB upload limit: each case runs in a child process of its own
// (scripts/hostile-case.ts) so its CPU time and peak RSS are its own, and RSS is compared with an
// honest sealed certificate's verified in the same kind of process. Then the structure-aware fuzz's
// worst case, a series of uploads in one process (what stays in memory), and the health endpoint's
// latency while eight hostile verifications run in the worker pool. Targets: at most 1 s of CPU and
// 256 MB beyond an honest file's per file; health under 50 ms. Last line:
// `RESULT worst_ms=… worst_rss_mb=… cases=… health_p99_ms=… <class>_ms=… <class>_rss_mb=… …`.
// Run: npm run bench:hostile [-- --quick]   (--quick: the issue's sizes only; the health row
// always uses the costliest verified file among the cases run)
import { execFile, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DEMO_DEPARTMENTS } from "../server/demo/departments";
import { countersignPdf } from "../server/pdf/countersign-pdf";
import { demoTemplate } from "../server/pdf/demo-template";
import { loadCertificateFonts } from "../server/pdf/fonts";
import { issueCertificate } from "../server/pdf/issue-certificate";
import { ensureDevPki } from "../server/pki/dev-pki";
import * as hostile from "../test/helpers/hostile-pdfs";
import { makePdfLibPdf } from "../test/server/pdf/fixtures";
import { tempDir } from "../test/server/pdf/signature-tools";
import { makeUnsignedPdf } from "../test/server/verify/fixtures/forgery-fixtures";
import { defaultWorkerCount } from "../server/config";
import { startBuiltService } from "./built-service";
import type { CaseJob, CaseResult } from "./hostile-case";

const ROOT = path.resolve(__dirname, "..");
const SIGNING_TIME = new Date("2025-03-01T08:00:00Z");
const TARGET_CPU_MS = 1_000;
const TARGET_RSS_MB = 256;
const TARGET_HEALTH_MS = 50;
const LIMIT = hostile.UPLOAD_LIMIT_BYTES;
const FUZZ_RUNS = 3_000;
const QUICK = process.argv.includes("--quick");

interface Case {
  id: string;
  label: string;
  size: "issue" | "limit";
  mode: "verify" | "seal";
  make(): Uint8Array | Promise<Uint8Array>;
}

interface Row {
  id: string;
  label: string;
  fileBytes: number;
  result: CaseResult;
  deltaRssMb: number;
  mode: "verify" | "seal" | "fuzz" | "series";
  /** The case's file, kept for the health measurement. */
  file?: string;
}

let jobCount = 0;

/** Runs one job in a fresh child process and returns what it printed. */
function runChild(dir: string, job: CaseJob): Promise<CaseResult> {
  const jobFile = path.join(dir, `job-${jobCount++}.json`);
  writeFileSync(jobFile, JSON.stringify(job));
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--expose-gc", "-r", "ts-node/register/transpile-only", path.join(ROOT, "scripts/hostile-case.ts"), jobFile],
      { cwd: ROOT, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const line = stdout.trim().split("\n").pop() ?? "";
        if (err || !line.startsWith("{")) reject(new Error(`case failed: ${String(err)} ${stderr.slice(-2000)}`));
        else resolve(JSON.parse(line) as CaseResult);
      },
    );
  });
}

/** The size (in pairs, digits, streams...) that brings a generator's file to about the upload limit. */
const fit = (perUnitBytes: number, fixedBytes = 4096): number => Math.floor((LIMIT - fixedBytes) / perUnitBytes);

async function main(): Promise<void> {
  const dir = tempDir("bench-hostile");
  const pkiDir = path.join(dir, "data");
  const pki = await ensureDevPki(pkiDir, [DEMO_DEPARTMENTS[0]], { algorithms: ["ecdsa-p256"], now: SIGNING_TIME });
  const code = DEMO_DEPARTMENTS[0].code;
  const signer = pki.signerFor(code, "staff");
  const fonts = loadCertificateFonts();
  const honest = (
    await issueCertificate(demoTemplate({ issueDate: "2025-03-01" }), {
      fonts,
      publicBaseUrl: "http://127.0.0.1:8080",
      signer: pki.signerFor(code, "seal"),
      signingTime: SIGNING_TIME,
    })
  ).pdfBytes;
  const unsigned = await makeUnsignedPdf();
  const signed = await countersignPdf(unsigned, {
    signer,
    role: "staff",
    departmentName: DEMO_DEPARTMENTS[0].nameZh,
    font: fonts.regular,
    signingTime: SIGNING_TIME,
  });

  const write = (name: string, bytes: Uint8Array): string => {
    const file = path.join(dir, `${name}.pdf`);
    writeFileSync(file, bytes);
    return file;
  };

  const cases: Case[] = [
    { id: "a", label: "(a) xref stream /W [0 0 0], long /Index", size: "issue", mode: "verify", make: () => hostile.zeroWidthXrefPdf() },
    { id: "a_limit", label: "(a) same, /Index filling 20 MB", size: "limit", mode: "verify", make: () => hostile.zeroWidthXrefPdf({ indexPairs: fit(13) }) },
    { id: "b", label: "(b) 80 000-digit token ending in a letter", size: "issue", mode: "verify", make: () => hostile.longNumberTokenPdf() },
    { id: "b_limit", label: "(b) same, one 20 MB token", size: "limit", mode: "verify", make: () => hostile.longNumberTokenPdf({ digits: fit(1) }) },
    { id: "c", label: "(c) 20 object streams at the per-stream cap", size: "issue", mode: "verify", make: () => hostile.inflatingObjectStreamsPdf() },
    { id: "c_limit", label: "(c) same, 400 streams (20 MB)", size: "limit", mode: "verify", make: () => hostile.inflatingObjectStreamsPdf({ streams: 400 }) },
    { id: "d", label: "(d) shared array member, 100 entries, under the token budget", size: "issue", mode: "verify", make: () => hostile.sharedArrayMemberPdf() },
    { id: "d_limit", label: "(d) same, 10 000 entries, 20 M elements", size: "limit", mode: "verify", make: () => hostile.sharedArrayMemberPdf({ elements: 20_000_000, entries: 10_000 }) },
    { id: "e", label: "(e) signed, then 160 000 tiny objects", size: "issue", mode: "verify", make: () => hostile.manyObjectsUpdatePdf(signed) },
    { id: "e_limit", label: "(e) same, 199 000 objects (the object limit)", size: "limit", mode: "verify", make: () => hostile.manyObjectsUpdatePdf(signed, { objects: 199_000 }) },
    { id: "f", label: "(f) CMS with one bogus 8 MB certificate", size: "issue", mode: "verify", make: () => hostile.bogusCertificatePdf(unsigned, signer, { signingTime: SIGNING_TIME }) },
    { id: "g_verify", label: "(g) 500 MB object-stream bomb, verified", size: "issue", mode: "verify", make: () => hostile.sealBombPdf() },
    { id: "g", label: "(g) 500 MB object-stream bomb, sealed", size: "issue", mode: "seal", make: () => hostile.sealBombPdf() },
    { id: "g_limit", label: "(g) 20 GB bomb in 20 MB, sealed", size: "limit", mode: "seal", make: () => hostile.sealBombPdf({ inflatedBytes: 20_000 * 1024 * 1024 }) },
    { id: "h", label: "(h) 64 sections, 100 000 decoy startxref (2 MB)", size: "issue", mode: "verify", make: () => hostile.startxrefFloodPdf({ decoys: 100_000 }) },
    { id: "h_limit", label: "(h) same, decoys filling 20 MB", size: "limit", mode: "verify", make: () => hostile.startxrefFloodPdf({ decoys: fit(19, 64 * 200) }) },
    { id: "i", label: "(i) 450 000 distinct names", size: "issue", mode: "verify", make: () => hostile.distinctNamesPdf({ names: 450_000 }) },
  ];
  const selected = cases.filter((c) => !QUICK || c.size === "issue");

  process.stdout.write(`bench:hostile — ${selected.length} cases, one child process each (node ${process.version}, offline verification)\n`);
  const baseVerify = await runChild(dir, { mode: "verify", files: [write("honest", honest)] });
  const baseSeal = await runChild(dir, { mode: "seal", file: write("honest-plain", await makePdfLibPdf()), pkiDir });
  process.stdout.write(
    `honest sealed certificate (${(honest.length / 1024).toFixed(0)} KB): verify ${baseVerify.cpuMs.toFixed(0)} ms CPU, peak RSS ${baseVerify.maxRssMb.toFixed(0)} MB; ` +
      `sealing an honest PDF: ${baseSeal.cpuMs.toFixed(0)} ms CPU, peak RSS ${baseSeal.maxRssMb.toFixed(0)} MB\n`,
  );

  const rows: Row[] = [];
  for (const c of selected) {
    const bytes = await c.make();
    const file = write(c.id, bytes);
    const result = c.mode === "seal" ? await runChild(dir, { mode: "seal", file, pkiDir }) : await runChild(dir, { mode: "verify", files: [file] });
    const base = c.mode === "seal" ? baseSeal : baseVerify;
    rows.push({ id: c.id, label: c.label, fileBytes: bytes.length, result, deltaRssMb: result.maxRssMb - base.maxRssMb, mode: c.mode, file });
    process.stdout.write(`  ${c.label}: ${result.outcome}, ${result.cpuMs.toFixed(0)} ms CPU\n`);
  }

  // What stays behind: ten uploads of fresh names, one process (pdf-lib interns every PDFName).
  const series = Array.from({ length: 10 }, (_, i) => write(`names-${i}`, hostile.distinctNamesPdf({ names: 450_000, prefix: `u${i}x` })));
  const seriesResult = await runChild(dir, { mode: "verify", files: series });
  const kept = seriesResult.rssAfterEachMb ?? [];
  const perUpload = kept.length > 1 ? (kept[kept.length - 1] - kept[0]) / (kept.length - 1) : 0;
  rows.push({ id: "i_series", label: "(i) 10 uploads of fresh names, one process", fileBytes: 0, result: seriesResult, deltaRssMb: seriesResult.maxRssMb - baseVerify.maxRssMb, mode: "series" });

  const fuzz = await runChild(dir, { mode: "fuzz", runs: FUZZ_RUNS, seed: 20_251_202 });
  rows.push({ id: "fuzz", label: `structure-aware fuzz, worst of ${FUZZ_RUNS} (${fuzz.worstKind ?? "?"})`, fileBytes: 0, result: fuzz, deltaRssMb: fuzz.maxRssMb - baseVerify.maxRssMb, mode: "fuzz" });

  const candidates = rows.filter((r) => r.mode === "verify" && r.file !== undefined && r.fileBytes <= LIMIT);
  const costliest = [...candidates].sort((a, b) => b.result.cpuMs - a.result.cpuMs)[0];
  const health = costliest?.file ? await healthWhileHostile(costliest.file, costliest.label) : undefined;

  printTable(rows, perUpload);
  if (health) {
    process.stdout.write(
      `\nGET /api/health while 8 × ${health.file} were verified by the built service (${health.workers} worker${health.workers === 1 ? "" : "s"}; uploads sent by another process): ${health.samples} requests, p50 ${health.p50.toFixed(1)} ms, ` +
        `p99 ${health.p99.toFixed(1)} ms, max ${health.max.toFixed(1)} ms (target < ${TARGET_HEALTH_MS} ms); uploads answered ${health.statuses.join(", ")}\n`,
    );
  }
  const measured = rows.filter((r) => r.mode !== "series");
  const perFile = measured.filter((r) => r.mode !== "fuzz");
  // For the fuzz the figure is the worst single case's time; its CPU is the whole run's.
  const caseMs = (r: Row) => (r.mode === "fuzz" ? r.result.wallMs : r.result.cpuMs);
  const worstMs = Math.max(...measured.map(caseMs));
  const worstRss = Math.max(...perFile.map((r) => r.deltaRssMb));
  const perClass = measured.map((r) => `${r.id}_ms=${caseMs(r).toFixed(0)} ${r.id}_rss_mb=${r.deltaRssMb.toFixed(0)} ${r.id}_cpu_ratio=${(caseMs(r) / TARGET_CPU_MS).toFixed(2)} ${r.id}_rss_ratio=${(r.deltaRssMb / TARGET_RSS_MB).toFixed(2)}`);
  const healthPart = health ? `health_p99_ms=${health.p99.toFixed(1)} health_ratio=${(health.p99 / TARGET_HEALTH_MS).toFixed(2)} ` : "";
  process.stdout.write(
    `RESULT worst_ms=${worstMs.toFixed(0)} worst_rss_mb=${worstRss.toFixed(0)} cases=${selected.length + FUZZ_RUNS} ${healthPart}names_kept_mb_per_upload=${perUpload.toFixed(0)} ${perClass.join(" ")}\n`,
  );
}

/** Uploads in flight while health is timed: the issue's eight hostile verifications. */
const HOSTILE_UPLOADS = 8;

/**
 * Health latency while eight uploads of `file` are verified: against the service as `npm start`
 * runs it (built, its embedded chain, the default worker count), with the uploads sent by a
 * process of their own, so this process's loop times nothing but the health requests.
 */
async function healthWhileHostile(file: string, label: string) {
  const service = await startBuiltService({ PUBLIC_RATE_LIMIT: "1000000" });
  try {
    // The service runs the default pool: as many workers as this machine's cores less one.
    const workers = defaultWorkerCount();
    const uploader = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(__dirname, "hostile-uploads.ts"), service.url, file, String(HOSTILE_UPLOADS)], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    uploader.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
    let done = false;
    const finished = new Promise<string[]>((resolve, reject) => {
      uploader.once("exit", (code) => {
        done = true;
        if (code === 0) resolve(JSON.parse(out) as string[]);
        else reject(new Error(`the uploads failed (exit ${code})`));
      });
    });
    const latencies: number[] = [];
    while (!done) {
      const start = performance.now();
      const res = await fetch(`${service.url}/api/health`);
      await res.arrayBuffer();
      latencies.push(performance.now() - start);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const statuses = await finished;
    latencies.sort((a, b) => a - b);
    const pick = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
    return { file: label, workers, samples: latencies.length, p50: pick(0.5), p99: pick(0.99), max: latencies[latencies.length - 1], statuses };
  } finally {
    await service.stop();
  }
}

function printTable(rows: Row[], perUpload: number): void {
  const head = ["case", "file", "outcome", "CPU ms", "wall ms", "peak RSS MB", "Δ RSS MB", "CPU/1 s", "ΔRSS/256 MB", "target"];
  const body = rows.map((r) => {
    const ms = r.mode === "fuzz" ? r.result.wallMs : r.result.cpuMs;
    // The fuzz's RSS is the whole run's (thousands of files in one process), so only its time is judged.
    const rssOk = r.mode === "fuzz" || r.deltaRssMb <= TARGET_RSS_MB;
    const met = r.mode === "series" ? (perUpload < 1 ? "met" : `MISSED (${perUpload.toFixed(0)} MB kept per upload)`) : ms <= TARGET_CPU_MS && rssOk ? "met" : "MISSED";
    return [
      r.label,
      r.fileBytes > 0 ? `${(r.fileBytes / 1024 / 1024).toFixed(2)} MB` : "-",
      r.result.outcome,
      r.mode === "fuzz" ? `${r.result.wallMs.toFixed(0)} (worst)` : r.result.cpuMs.toFixed(0),
      r.mode === "fuzz" ? "-" : r.result.wallMs.toFixed(0),
      r.result.maxRssMb.toFixed(0),
      r.deltaRssMb.toFixed(0),
      (ms / TARGET_CPU_MS).toFixed(2),
      (r.deltaRssMb / TARGET_RSS_MB).toFixed(2),
      met,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  process.stdout.write(`\n${line(head)}\n|${widths.map((w) => "-".repeat(w + 2)).join("|")}|\n${body.map(line).join("\n")}\n`);
}

void main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
