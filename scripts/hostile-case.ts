// One case of bench:hostile, in a process of its own so that its peak RSS is its own: reads a PDF
// from a file, verifies it offline (or seals it, or verifies a series of files one after another),
// and prints one JSON line with the CPU time, wall time, peak RSS and the outcome.
// Run by scripts/bench-hostile.ts as: node -r ts-node/register/transpile-only scripts/hostile-case.ts <job.json>
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { DEMO_DEPARTMENTS } from "../server/demo/departments";
import { loadCertificateFonts } from "../server/pdf/fonts";
import { sealPdf } from "../server/pdf/seal-pdf";
import { ensureDevPki } from "../server/pki/dev-pki";
import { verifyPdf } from "../server/verify/verifier";
import { hostilePdf } from "../test/helpers/pdf-arbitraries";

/** What the parent asks for. */
export type CaseJob =
  | { mode: "verify"; files: string[] }
  | { mode: "seal"; file: string; pkiDir: string }
  | { mode: "fuzz"; runs: number; seed: number };

/** What the child prints, as one JSON line. */
export interface CaseResult {
  cpuMs: number;
  wallMs: number;
  maxRssMb: number;
  outcome: string;
  /** Fuzz: the worst case's kind; series: peak RSS after each file. */
  worstKind?: string;
  rssAfterEachMb?: number[];
}

const SIGNING_TIME = new Date("2025-03-01T08:00:00Z");

const maxRssMb = (): number => process.resourceUsage().maxRSS / 1024;

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

async function run(job: CaseJob): Promise<CaseResult> {
  if (job.mode === "seal") {
    const pki = await ensureDevPki(job.pkiDir, [DEMO_DEPARTMENTS[0]], { algorithms: ["ecdsa-p256"], now: SIGNING_TIME });
    const params = {
      signer: pki.signerFor(DEMO_DEPARTMENTS[0].code, "seal"),
      sealName: DEMO_DEPARTMENTS[0].nameZh,
      sealFont: loadCertificateFonts().bold,
      page: 1,
      signingTime: SIGNING_TIME,
    };
    const bytes = new Uint8Array(readFileSync(job.file));
    const cpu = process.cpuUsage();
    const start = performance.now();
    const outcome = await sealPdf(bytes, params).then(
      (out) => `sealed (${out.length} bytes)`,
      (err: unknown) => `refused ${(err as { code?: string }).code ?? String(err)}`,
    );
    return { cpuMs: cpuMsSince(cpu), wallMs: performance.now() - start, maxRssMb: maxRssMb(), outcome };
  }
  if (job.mode === "fuzz") {
    let worst = { ms: 0, kind: "" };
    const cpu = process.cpuUsage();
    const start = performance.now();
    let valid = 0;
    // Generated a hundred at a time, so the peak RSS is the verifier's more than the generator's.
    for (let done = 0; done < job.runs; done += 100) {
      for (const s of fc.sample(hostilePdf, { numRuns: Math.min(100, job.runs - done), seed: job.seed + done })) {
        const t = performance.now();
        const report = await verifyPdf(s.bytes);
        const ms = performance.now() - t;
        if (report.verdict === "valid") valid++;
        if (ms > worst.ms) worst = { ms, kind: s.kind };
      }
    }
    const outcome = `${job.runs} cases in ${(performance.now() - start).toFixed(0)} ms, ${valid} valid`;
    return { cpuMs: cpuMsSince(cpu), wallMs: worst.ms, maxRssMb: maxRssMb(), outcome, worstKind: worst.kind };
  }
  // verify: the first file is read and timed; a series (several files) reports RSS after each.
  const rssAfterEachMb: number[] = [];
  let outcome = "";
  let cpuMs = 0;
  let wallMs = 0;
  for (const file of job.files) {
    const bytes = new Uint8Array(readFileSync(file));
    const cpu = process.cpuUsage();
    const start = performance.now();
    const report = await verifyPdf(bytes);
    cpuMs = Math.max(cpuMs, cpuMsSince(cpu));
    wallMs = Math.max(wallMs, performance.now() - start);
    outcome = `${report.verdict} ${report.code ?? ""}`.trim();
    global.gc?.();
    rssAfterEachMb.push(process.memoryUsage().rss / 1024 / 1024);
  }
  return { cpuMs, wallMs, maxRssMb: maxRssMb(), outcome, rssAfterEachMb: job.files.length > 1 ? rssAfterEachMb : undefined };
}

async function main(): Promise<void> {
  const job = JSON.parse(readFileSync(process.argv[2], "utf8")) as CaseJob;
  const result = await run(job);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

void main();
