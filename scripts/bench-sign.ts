// Signing benchmark: certificates issued per second end to end (template → CJK subset → seal → QR
// → signature) through the worker pool as the service issues them (issueInPool, one worker per
// core, the seal's signature answered on the main thread) and, for comparison, in this one
// process; and the time to sign an existing one-page PDF with our RSA-2048 signer compared, in the
// same run and on the same file, with poppler's `pdfsig -add-signature` (RSA-2048 key in an NSS
// database; poppler 22 cannot sign with ECDSA). certs_per_s is the pool's figure (target ≥ 300 on
// 2 cores). Run: npm run bench:sign [CERTS] (default 300 a measurement)
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { PDFDocument, StandardFonts } from "pdf-lib";
import pino from "pino";
import { DEMO_DEPARTMENTS } from "../server/demo/departments";
import { demoTemplate } from "../server/pdf/demo-template";
import { loadCertificateFonts } from "../server/pdf/fonts";
import { issueCertificate } from "../server/pdf/issue-certificate";
import { signPdf } from "../server/pdf/sign/sign-pdf";
import { ensureDevPki } from "../server/pki/dev-pki";
import { issueInPool } from "../server/workers/pool-jobs";
import { createWorkerPool } from "../server/workers/worker-pool";

const CERTS = Number(process.argv[2] ?? 300);
const SIGN_RUNS = 50;
const PDFSIG_RUNS = 15;
const TARGET_CERTS_PER_S = 300;

const out = (line = ""): void => {
  process.stdout.write(`${line}\n`);
};

/** A process.cpuUsage() difference (user + system, µs) in ms. */
function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function onePagePdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595.28, 841.89]).drawText("Application for a food business licence", { x: 72, y: 760, size: 16, font });
  return doc.save({ useObjectStreams: false });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "zs-bench-"));
  const dataDir = path.join(dir, "data");
  const pki = await ensureDevPki(dataDir, DEMO_DEPARTMENTS.slice(0, 1), { algorithms: ["ecdsa-p256", "rsa-2048"] });
  const fonts = loadCertificateFonts();
  const sealSigner = pki.signerFor("SAMR", "seal");
  const rsaSigner = pki.signerFor("SAMR", "seal", "rsa-2048");

  // 1. Certificates per second, end to end, one process on one core.
  const issueOnce = async () =>
    issueCertificate(demoTemplate({ issueDate: "2025-03-01" }), {
      fonts,
      publicBaseUrl: "http://127.0.0.1:8080",
      signer: sealSigner,
      signingTime: new Date(),
    });
  for (let i = 0; i < 20; i++) await issueOnce();
  let certBytes = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < CERTS; i++) certBytes = (await issueOnce()).pdfBytes.length;
  const issueMs = performance.now() - t0;
  const inProcessCpuMs = cpuMs(process.cpuUsage(cpu0)) / CERTS;
  const inProcessPerSec = (CERTS * 1000) / issueMs;

  // 1b. The same through the worker pool, two jobs per worker handed over at once so none waits idle for the next.
  const workers = os.availableParallelism();
  const pool = createWorkerPool({ size: workers, maxQueue: 2 * workers, jobTimeoutMs: 30_000, maxOldGenerationSizeMb: 256, log: pino({ level: "silent" }) });
  let poolMs: number;
  let poolCpuMs: number;
  try {
    await Promise.all(Array.from({ length: workers }, () => pool.run("warm", undefined)));
    const issueInWorker = () =>
      issueInPool(pool, demoTemplate({ issueDate: "2025-03-01" }), { publicBaseUrl: "http://127.0.0.1:8080", signer: sealSigner, signingTime: new Date() });
    const inParallel = async (count: number) => {
      let next = 0;
      const issuer = async () => {
        while (next < count) {
          next++;
          await issueInWorker();
        }
      };
      await Promise.all(Array.from({ length: 2 * workers }, issuer));
    };
    await inParallel(20 * workers);
    const t1 = performance.now();
    const cpu1 = process.cpuUsage();
    await inParallel(CERTS);
    poolMs = performance.now() - t1;
    // Every thread of the process: the workers' rendering and the main thread's signing and copying.
    poolCpuMs = cpuMs(process.cpuUsage(cpu1)) / CERTS;
  } finally {
    await pool.close();
  }
  const certsPerSec = (CERTS * 1000) / poolMs;

  // 2. Signing an existing one-page PDF with our RSA-2048 signer (in process).
  const input = await onePagePdf();
  const inputFile = path.join(dir, "one-page.pdf");
  writeFileSync(inputFile, input);
  const sign = () => signPdf(input, { signer: rsaSigner, page: 1, fieldNamePrefix: "Signature", certify: false, signingTime: new Date() });
  for (let i = 0; i < 10; i++) await sign();
  const ours: number[] = [];
  let ourPdf: Uint8Array = new Uint8Array(0);
  for (let i = 0; i < SIGN_RUNS; i++) {
    const t = performance.now();
    ourPdf = await sign();
    ours.push(performance.now() - t);
  }
  const ourFile = path.join(dir, "ours.pdf");
  writeFileSync(ourFile, ourPdf);

  // 3. pdfsig -add-signature with the same RSA-2048 key and certificate, imported into NSS.
  const nss = `sql:${path.join(dir, "nss")}`;
  execFileSync("mkdir", ["-p", path.join(dir, "nss")]);
  execFileSync("certutil", ["-N", "-d", nss, "--empty-password"]);
  const pki0 = path.join(dataDir, "pki", "SAMR");
  execFileSync("certutil", ["-A", "-d", nss, "-n", "zs-ca", "-t", "CT,C,C", "-i", path.join(pki0, "ca.cert.pem")]);
  const p12 = path.join(dir, "seal-rsa.p12");
  execFileSync("openssl", [
    "pkcs12", "-export", "-inkey", path.join(pki0, "seal-rsa.key.pem"), "-in", path.join(pki0, "seal-rsa.cert.pem"),
    "-name", "zs-seal-rsa", "-out", p12, "-passout", "pass:bench",
  ]);
  execFileSync("pk12util", ["-i", p12, "-d", nss, "-W", "bench", "-K", ""]);
  const theirs: number[] = [];
  const theirFile = path.join(dir, "pdfsig.pdf");
  for (let i = 0; i < PDFSIG_RUNS; i++) {
    const t = performance.now();
    const res = spawnSync("pdfsig", ["-add-signature", "-nssdir", nss, "-nick", "zs-seal-rsa", inputFile, theirFile], { encoding: "utf8" });
    theirs.push(performance.now() - t);
    if (res.status !== 0) throw new Error(`pdfsig -add-signature failed: ${res.stderr}`);
  }
  const check = (file: string): string => {
    const text = spawnSync("pdfsig", ["-nssdir", nss, file], { encoding: "utf8" }).stdout;
    return /Signature is Valid\./.test(text) && /Certificate is Trusted\./.test(text) ? "valid, trusted" : "NOT VALID";
  };

  const signMs = median(ours);
  const pdfsigMs = median(theirs);
  const ratio = signMs / pdfsigMs;
  out("ZeroSign signing benchmark (Node " + process.version + ", " + os.cpus().length + " cores)");
  out();
  out("| measurement                                        | value            |");
  out("|----------------------------------------------------|------------------|");
  const met = `${certsPerSec >= TARGET_CERTS_PER_S ? "met" : "MISSED"} (${(certsPerSec / TARGET_CERTS_PER_S).toFixed(2)}×)`;
  out(`| certificates issued end to end (${String(CERTS).padStart(4)}, ${workers} workers)   | ${certsPerSec.toFixed(1).padStart(8)} certs/s  |`);
  out(`|   target ≥ ${TARGET_CERTS_PER_S} certificates/s on 2 cores           | ${met.padEnd(16)} |`);
  out(`|   CPU per certificate, all threads                 | ${poolCpuMs.toFixed(2).padStart(8)} ms      |`);
  out(`| certificates issued end to end (${String(CERTS).padStart(4)}, one process) | ${inProcessPerSec.toFixed(1).padStart(8)} certs/s  |`);
  out(`|   time per certificate                             | ${(issueMs / CERTS).toFixed(2).padStart(8)} ms      |`);
  out(`|   CPU per certificate                              | ${inProcessCpuMs.toFixed(2).padStart(8)} ms      |`);
  out(`| signed certificate size                            | ${(certBytes / 1024).toFixed(1).padStart(8)} KB      |`);
  out(`| sign 1-page PDF, ZeroSign RSA-2048, in process     | ${signMs.toFixed(2).padStart(8)} ms      |`);
  out(`| sign 1-page PDF, pdfsig -add-signature (process)   | ${pdfsigMs.toFixed(2).padStart(8)} ms      |`);
  out(`| ratio ZeroSign / pdfsig                            | ${ratio.toFixed(3).padStart(8)}         |`);
  out();
  out(`pdfsig's verdict: ZeroSign output ${check(ourFile)}; pdfsig output ${check(theirFile)}`);
  out(`medians of ${SIGN_RUNS} (ZeroSign) and ${PDFSIG_RUNS} (pdfsig) runs; input ${input.length} bytes`);
  out(`load average (1, 5, 15 min) when done: ${os.loadavg().map((l) => l.toFixed(2)).join(", ")}`);
  out(`RESULT certs_per_s=${certsPerSec.toFixed(1)} in_process_certs_per_s=${inProcessPerSec.toFixed(1)} workers=${workers} cpu_ms_per_cert=${poolCpuMs.toFixed(2)} sign_ms=${signMs.toFixed(2)} pdfsig_ms=${pdfsigMs.toFixed(1)} ratio=${ratio.toFixed(3)}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
