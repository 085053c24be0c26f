// bench:http — the HTTP API under load: a ZeroSign node (embedded Anvil chain, contracts, SAMR and
// MCA with registered keys, SQLite store and anchoring queue in a temp folder, createApp on port 0;
// the same parts as test/server/http/) runs in a child process, and autocannon drives it from this
// one: POST /api/verify with a signed, anchored certificate, then POST /api/certificates issuing a
// fresh certificate per request. Prints req/s, p50/p99 latency, errors and non-2xx per endpoint,
// the node's RSS before and after, and a last line
// `RESULT verify_rps=… verify_p99_ms=… issue_rps=… issue_p99_ms=… errors=… rss_mb=…`.
// The node's worker pool has 2 workers (--workers N) and a queue as long as the connections
// (--queue N; the service's default WORKER_QUEUE is 32, past which it answers 503 SERVICE_BUSY,
// counted in the table's 503 column).
// Run: npm run bench:http [-- --duration 30 --connections 100 --workers 2 --queue N]
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import os from "node:os";
import autocannon from "autocannon";
import { demoTemplate } from "../server/pdf/demo-template";
import { startHttpFixture } from "../test/server/http/http-fixture";
import { tempDir } from "../test/server/pdf/signature-tools";
import { positiveNumberFlag } from "./bench-args";
import { printTable } from "./bench-table";

const ROOT = path.resolve(__dirname, "..");

interface Ready {
  type: "ready";
  baseUrl: string;
  token: string;
  pdfFile: string;
}

type Request = { type: "rss" } | { type: "drain" } | { type: "stop" };
type Answer = Ready | { type: "rss"; rssBytes: number } | { type: "drained"; documents: number; ms: number };

/** The client's template: department from the token, identifier generated per request. */
function issueBody(): string {
  const { department: _d, certificateIdentifier: _c, ...body } = demoTemplate({ issueDate: "2026-01-05" });
  return JSON.stringify(body);
}

/** Child: runs the node until told to stop, answering RSS and drain questions over IPC. */
async function serve(): Promise<void> {
  const send = (answer: Answer) => process.send?.(answer);
  // No rate limit: the load comes from one address on purpose.
  const node = await startHttpFixture({ publicRequestsPerWindow: Number.MAX_SAFE_INTEGER }, { pool: { size: positiveNumberFlag("workers", 2), maxQueue: positiveNumberFlag("queue", 32) } });
  const issued = await fetch(`${node.baseUrl}/api/certificates`, {
    method: "POST",
    headers: { authorization: `Bearer ${node.tokens.SAMR}`, "content-type": "application/json" },
    body: issueBody(),
  });
  const doc = (await issued.json()) as { docHashHex: string };
  await node.queue.drain();
  const pdf = await node.store.documents.readPdf(doc.docHashHex);
  if (!pdf) throw new Error("the benchmark certificate was not stored");
  const pdfFile = path.join(tempDir("bench-http"), "certificate.pdf");
  writeFileSync(pdfFile, pdf);
  process.on("message", (req: Request) => {
    if (req.type === "rss") send({ type: "rss", rssBytes: process.memoryUsage().rss });
    if (req.type === "drain") {
      const started = performance.now();
      const documents = (node.store.db.prepare("SELECT count(*) AS n FROM anchor_entries").get() as { n: number }).n;
      void node.queue.drain().then(() => send({ type: "drained", documents, ms: performance.now() - started }));
    }
    if (req.type === "stop") void node.close().then(() => process.exit(0));
  });
  send({ type: "ready", baseUrl: node.baseUrl, token: node.tokens.SAMR, pdfFile });
}

function ask(child: ChildProcess, req: Request, answer: Answer["type"]): Promise<Answer> {
  return new Promise((resolve) => {
    const on = (msg: Answer) => {
      if (msg.type !== answer) return;
      child.off("message", on);
      resolve(msg);
    };
    child.on("message", on);
    child.send(req);
  });
}

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  /** Connection errors plus timeouts (no answer within autocannon's 10 s). */
  errors: number;
  timeouts: number;
  non2xx: number;
  /** 503 SERVICE_BUSY and the like: the pool's queue was full. */
  busy: number;
  total: number;
}

async function load(title: string, opts: autocannon.Options): Promise<Figures> {
  process.stderr.write(`${title}: ${opts.connections} connections, ${opts.duration} s…\n`);
  const r = await autocannon(opts);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx, busy: r.statusCodeStats?.["503"]?.count ?? 0, total: r.requests.total };
}

async function main(): Promise<void> {
  const duration = positiveNumberFlag("duration", 30);
  const connections = positiveNumberFlag("connections", 100);
  const queue = positiveNumberFlag("queue", connections);
  const workers = positiveNumberFlag("workers", 2);
  const child = spawn(path.join(ROOT, "node_modules/.bin/ts-node"), ["--transpile-only", "scripts/bench-http.ts", "--serve", "--queue", String(queue), "--workers", String(workers)], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`the node exited with ${code}`))));
  try {
    const ready = (await Promise.race([new Promise<Answer>((resolve) => child.once("message", resolve)), exited])) as Ready;
    const pdf = readFileSync(ready.pdfFile);
    const rss = async () => ((await ask(child, { type: "rss" }, "rss")) as { rssBytes: number }).rssBytes / 1024 / 1024;
    const rssBefore = await rss();

    const verify = await load("POST /api/verify", {
      url: `${ready.baseUrl}/api/verify`,
      method: "POST",
      headers: { "content-type": "application/pdf" },
      body: pdf,
      connections,
      duration,
    });
    const check = await fetch(`${ready.baseUrl}/api/verify`, { method: "POST", headers: { "content-type": "application/pdf" }, body: pdf });
    const verdict = ((await check.json()) as { verdict: string }).verdict;
    const rssAfterVerify = await rss();

    const issue = await load("POST /api/certificates", {
      url: `${ready.baseUrl}/api/certificates`,
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${ready.token}` },
      body: issueBody(),
      connections,
      duration,
    });
    const rssAfter = await rss();
    const drained = (await ask(child, { type: "drain" }, "drained")) as { documents: number; ms: number };

    const row = (name: string, f: Figures) => [name, f.total.toString(), f.rps.toFixed(1), f.p50.toFixed(0), f.p99.toFixed(0), f.errors.toString(), f.timeouts.toString(), f.non2xx.toString(), f.busy.toString()];
    printTable(["endpoint", "requests", "req/s", "p50 ms", "p99 ms", "errors", "timeouts", "non-2xx", "of which 503"], [row(`POST /api/verify (verdict ${verdict})`, verify), row("POST /api/certificates", issue)]);
    process.stdout.write(
      `RSS of the node: ${rssBefore.toFixed(0)} MB before, ${rssAfterVerify.toFixed(0)} MB after verify, ${rssAfter.toFixed(0)} MB after issue\n` +
        `Anchoring: ${drained.documents} documents queued in all; every one confirmed ${(drained.ms / 1000).toFixed(1)} s after the issue load stopped\n` +
        `(${connections} connections, ${duration} s per endpoint, ${workers} workers with a queue of ${queue}, node and load generator on the same machine; load average ${os.loadavg().map((l) => l.toFixed(2)).join(", ")})\n`,
    );
    const errors = verify.errors + issue.errors + verify.timeouts + issue.timeouts + verify.non2xx + issue.non2xx;
    process.stdout.write(
      `RESULT verify_rps=${verify.rps.toFixed(1)} verify_p99_ms=${verify.p99.toFixed(0)} issue_rps=${issue.rps.toFixed(1)} issue_p99_ms=${issue.p99.toFixed(0)} errors=${errors} rss_mb=${rssAfter.toFixed(0)}\n`,
    );
    if (errors > 0 || verdict !== "valid") process.exitCode = 1;
  } finally {
    child.send({ type: "stop" } satisfies Request);
    await exited.catch(() => undefined);
  }
}

const run = process.argv.includes("--serve") ? serve : main;
run().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
