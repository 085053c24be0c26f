// bench:approvals — 秒批 end to end under load, on what `npm start` runs: the built service
// (dist/server/main.js) with its embedded chain, demo departments and catalog, in a temp data
// folder. PSB issues one 户籍证明 per applicant (anchored first: evidence must be on the ledger);
// then N applications for 老年人优待证 (ELDERLY_CARD) are sent at once, each answered after intake →
// evidence verified in the worker pool → rule → decision recorded on chain (mined); the
// certificate is issued after the answer. Measured per application: time to the decision answer
// (which is also the decision anchored), and to its certificate being issued and anchored;
// one certificate per run is verified as valid. Then a scripted workload over the whole catalog
// (every path) and the node's statistics table: human signatures against today's rule.
// Last line: RESULT decide_p50_ms=… decide_p95_ms=… anchored_p95_ms=… certificate_anchored_p95_ms=…
//            apps_per_s=… avg_signatures=… baseline_signatures=… targets: decide p95 ≤ 300 ms,
//            (decision) anchored p95 ≤ 3 s.
// Run: npm run bench:approvals [-- --apps 100] [--cpu-prof DIR]   (DIR: the service's CPU profiles, one per thread)
import os from "node:os";
import { statisticsTable } from "../server/cli/commands/stats";
import type { Statistics } from "../server/approvals/statistics";
import { positiveIntegerFlag, textFlag } from "./bench-args";
import { startBuiltService, type BuiltService } from "./built-service";

/**
 * The node's settings for this load: no public rate limit (one address sends everything), and a
 * worker queue that holds 100 applications' jobs (the default 32 answers 503 SERVICE_BUSY past it).
 */
const NODE_ENV_FOR_LOAD = { PUBLIC_RATE_LIMIT: "1000000", ANCHOR_MAX_WAIT_MS: "200", WORKER_QUEUE: "512" };

async function call<T>(node: BuiltService, method: string, route: string, department?: string, body?: unknown): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = {};
  if (department) headers.authorization = `Bearer ${node.tokens[department]}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${node.url}${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as T };
}

async function expectStatus<T>(what: string, p: Promise<{ status: number; body: T }>, ...ok: number[]): Promise<T> {
  const res = await p;
  if (!ok.includes(res.status)) throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The anchoring status of each of `ids` in `department`'s document list (newest 100 per page). */
async function confirmedIds(node: BuiltService, department: string): Promise<Set<string>> {
  const confirmed = new Set<string>();
  let before: string | undefined;
  for (;;) {
    const page = await expectStatus<{ documents: Array<{ id: string; anchoring: { status: string } }>; nextBefore?: string }>(
      "list documents",
      call(node, "GET", `/api/documents?limit=100${before ? `&before=${encodeURIComponent(before)}` : ""}`, department),
      200,
    );
    for (const d of page.documents) if (d.anchoring.status === "confirmed") confirmed.add(d.id);
    if (!page.nextBefore) return confirmed;
    before = page.nextBefore;
  }
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

const hukou = (i: number) => ({
  kind: "certificate",
  templateId: "hukou-record",
  title: "户籍证明",
  holder: [
    { label: "姓名", value: `申请人${i}` },
    { label: "出生日期", value: `19${40 + (i % 20)}-0${1 + (i % 9)}-1${i % 10}` },
  ],
  documentNumber: `HJ-BENCH-${i}`,
});

interface Application {
  id: string;
  status: string;
  path: string;
  certificateId?: string;
}

/** Applies for every matter of the catalog along each path a demo applicant can take. */
async function demoWorkload(node: BuiltService): Promise<void> {
  const evidence = await expectStatus<{ id: string }>("PSB evidence", call(node, "POST", "/api/certificates", "PSB", hukou(7)), 201);
  const licence = await expectStatus<{ id: string }>(
    "SAMR licence",
    call(node, "POST", "/api/certificates", "SAMR", {
      kind: "certificate",
      title: "食品经营许可证",
      holder: [{ label: "经营者名称", value: "青禾餐饮" }, { label: "许可证编号", value: "JY11010800001" }],
      documentNumber: "JY11010800001",
    }),
    201,
  );
  for (;;) {
    const [psb, samr] = await Promise.all([confirmedIds(node, "PSB"), confirmedIds(node, "SAMR")]);
    if (psb.has(evidence.id) && samr.has(licence.id)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // The workload waits for each certificate, so the statistics below have every stage's time.
  const submit = (department: string, body: unknown) => expectStatus<Application>("workload application", call(node, "POST", "/api/applications?wait=issued", department, body), 201);
  await submit("SAMR", { matter: "FOOD_LICENCE_CANCEL", applicant: { 经营者名称: "青禾餐饮" }, evidence: [{ documentId: licence.id }] });
  await submit("SAMR", { matter: "SOLE_TRADER_REGISTRATION", applicant: { 经营者: "申请人7" }, evidence: [{ documentId: evidence.id }] });
  await submit("SAMR", { matter: "SMALL_RESTAURANT_LICENCE", applicant: { 经营者名称: "小馆" }, commitment: true });
  await submit("APPROVAL", { matter: "CONSTRUCTION_QUALIFICATION", applicant: { 企业名称: "城建公司" }, commitment: true });
  await submit("APPROVAL", { matter: "DRAWING_REVIEW", applicant: { 项目名称: "3号楼" }, selfReview: true });
  // Without the commitment, the same restaurant licence falls to 签两次: staff, then chief.
  const twice = await submit("APPROVAL", { matter: "SMALL_RESTAURANT_LICENCE", applicant: { 经营者名称: "另一小馆" } });
  const once = await submit("APPROVAL", { matter: "SOCIAL_ORG_CHANGE", applicant: { 社会团体名称: "书法协会" } });
  const production = await submit("APPROVAL", { matter: "FOOD_PRODUCTION_LICENCE", applicant: { 企业名称: "京味食品" } });
  for (const app of [twice, production]) {
    await expectStatus("staff signature", call(node, "POST", `/api/applications/${app.id}/signatures`, "APPROVAL", { role: "staff" }), 202);
    await expectStatus("chief signature", call(node, "POST", `/api/applications/${app.id}/signatures?wait=issued`, "APPROVAL", { role: "chief" }), 201);
  }
  await expectStatus("staff signature", call(node, "POST", `/api/applications/${once.id}/signatures?wait=issued`, "APPROVAL", { role: "staff" }), 201);
}

async function main(): Promise<void> {
  const apps = positiveIntegerFlag("apps", 100);
  const profileDir = textFlag("cpu-prof");
  const node = await startBuiltService(NODE_ENV_FOR_LOAD, profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []);
  try {
    process.stdout.write(`Service at ${node.url}; issuing ${apps} 户籍证明 (PSB) as evidence…\n`);
    const evidence: string[] = [];
    for (let i = 0; i < apps; i += 10) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(10, apps - i) }, (_, j) => expectStatus<{ id: string }>("issue evidence", call(node, "POST", "/api/certificates", "PSB", hukou(i + j)), 201)),
      );
      evidence.push(...batch.map((d) => d.id));
    }
    for (;;) {
      const confirmed = await confirmedIds(node, "PSB");
      if (evidence.every((id) => confirmed.has(id))) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    process.stdout.write(`Evidence anchored. Sending ${apps} 秒批 applications at once…\n`);

    const started = performance.now();
    const decideMs: number[] = [];
    const decided: Array<{ app: Application; sentAt: number }> = [];
    await Promise.all(
      evidence.map(async (id, i) => {
        const sentAt = performance.now();
        const app = await expectStatus<Application>(
          "application",
          call(node, "POST", "/api/applications", "MCA", { matter: "ELDERLY_CARD", applicant: { 姓名: `申请人${i}` }, evidence: [{ documentId: id }] }),
          201,
        );
        decideMs.push(performance.now() - sentAt);
        // Answered once decided on chain; the certificate id appears when it is issued.
        if (app.status !== "decided" && app.status !== "issued") throw new Error(`application ${app.id} is ${app.status}, not decided`);
        decided.push({ app, sentAt });
      }),
    );
    const anchoredMs = new Map<string, number>();
    while (anchoredMs.size < decided.length) {
      // Certificates issued since the answer: their ids, from the applications (ten at a time).
      const unnamed = decided.filter((d) => !d.app.certificateId);
      for (let i = 0; i < unnamed.length; i += 10) {
        await Promise.all(
          unnamed.slice(i, i + 10).map(async (d) => {
            d.app = await expectStatus<Application>("application", call(node, "GET", `/api/applications/${d.app.id}`, "MCA"), 200);
          }),
        );
      }
      const confirmed = await confirmedIds(node, "MCA");
      const now = performance.now();
      for (const { app, sentAt } of decided) if (app.certificateId && !anchoredMs.has(app.id) && confirmed.has(app.certificateId)) anchoredMs.set(app.id, now - sentAt);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const wallS = (performance.now() - started) / 1000;

    const sample = decided[0].app.certificateId as string;
    const pdf = await fetch(`${node.url}/api/documents/${sample}/pdf`, { headers: { authorization: `Bearer ${node.tokens.MCA}` } });
    const verdict = await fetch(`${node.url}/api/verify`, { method: "POST", headers: { "content-type": "application/pdf" }, body: new Uint8Array(await pdf.arrayBuffer()) });
    const report = (await verdict.json()) as { verdict: string; reason: string };
    if (report.verdict !== "valid") throw new Error(`the issued certificate ${sample} verifies ${report.verdict}: ${report.reason}`);

    process.stdout.write("Scripted workload over the whole catalog…\n");
    await demoWorkload(node);
    const stats = await expectStatus<Statistics>("statistics", call(node, "GET", "/api/statistics"), 200);

    const anchored = [...anchoredMs.values()];
    const fmt = (n: number) => n.toFixed(0).padStart(9);
    process.stdout.write(`\n${apps} concurrent 秒批 applications (ELDERLY_CARD), ${os.cpus().length} cores, node settings ${JSON.stringify(NODE_ENV_FOR_LOAD)}\n`);
    process.stdout.write(`${"".padEnd(40)}${"p50 ms".padStart(9)}${"p95 ms".padStart(9)}${"max ms".padStart(9)}  target p95\n`);
    // The service answers once the decision's transaction is mined: answered = anchored.
    process.stdout.write(`${"decision answered, anchored on chain".padEnd(40)}${fmt(percentile(decideMs, 50))}${fmt(percentile(decideMs, 95))}${fmt(Math.max(...decideMs))}  ≤ 300 answered, ≤ 3000 anchored\n`);
    process.stdout.write(`${"certificate issued and anchored".padEnd(40)}${fmt(percentile(anchored, 50))}${fmt(percentile(anchored, 95))}${fmt(Math.max(...anchored))}  (not in the issue)\n`);
    process.stdout.write(`Throughput: ${(apps / wallS).toFixed(1)} applications/s end to end (${wallS.toFixed(1)} s); sample certificate ${sample}: ${report.verdict}\n\n`);
    process.stdout.write(statisticsTable(stats));
    const decideP95 = percentile(decideMs, 95);
    process.stdout.write(
      `RESULT decide_p50_ms=${percentile(decideMs, 50).toFixed(0)} decide_p95_ms=${decideP95.toFixed(0)} ` +
        `anchored_p95_ms=${decideP95.toFixed(0)} certificate_anchored_p95_ms=${percentile(anchored, 95).toFixed(0)} apps_per_s=${(apps / wallS).toFixed(1)} ` +
        `avg_signatures=${stats.avgSignatures} baseline_signatures=${stats.baselineSignatures} ` +
        `decide_target_ratio=${(decideP95 / 300).toFixed(2)} anchored_target_ratio=${(decideP95 / 3000).toFixed(2)}\n`,
    );
  } catch (err) {
    process.stderr.write(`The service's last output:\n${node.output().slice(-4000)}\n`);
    throw err;
  } finally {
    await node.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:approvals failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
