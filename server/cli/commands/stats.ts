// `zerosign stats --service URL [--json]`: the node's approval statistics (GET /api/statistics) as a
// table — per matter and path, applications, decisions, human signatures given against the
// baseline today's 最多签两次 rule would have needed, mean time per stage (分段计时: accepted →
// reviewed → decided → issued) — and the average per decided application.
import { loadCliConfig } from "../../config";
import type { Statistics } from "../../approvals/statistics";
import { parseCommandLine, required } from "../args";
import { EXIT, UsageError, type CliEnv, type CliIo } from "../io";
import { createServiceClient } from "../service-client";

const USAGE = `Usage: zerosign stats --service URL [--json]

Prints the approval statistics of the ZeroSign node at URL (a public endpoint: no token needed):
per matter and path, the applications, decisions, human signatures given and the signatures
today's rule (最多签两次) would have needed, then the average per decided application.

  --service URL   the node (e.g. http://127.0.0.1:8080)
  --json          print the node's JSON answer instead of the table
`;

export async function statsCommand(args: string[], io: CliIo, env: CliEnv): Promise<number> {
  const parsed = parseCommandLine(args, io, { usage: USAGE, options: { service: { type: "string" }, json: { type: "boolean", default: false } } });
  if (!parsed) return EXIT.ok;
  const url = required(parsed.values.service, "service");
  if (!/^https?:\/\/[^\s/]+/.test(url)) throw new UsageError(`--service must be an http(s) URL, got "${url}"`);
  const stats = await createServiceClient(url, loadCliConfig(env).token).requestJson<Statistics>("GET", "/api/statistics");
  if (parsed.values.json) {
    io.stdout.write(JSON.stringify(stats, null, 2) + "\n");
    return EXIT.ok;
  }
  io.stdout.write(statisticsTable(stats));
  return EXIT.ok;
}

/** The statistics as a fixed-width table, one row per matter and path, then the totals. */
export function statisticsTable(stats: Statistics): string {
  const header = ["matter", "path", "apps", "decided", "approved", "signatures", "baseline", "review ms", "decide ms", "issue ms"];
  const ms = (n: number | undefined) => (n === undefined ? "-" : String(n));
  const rows = stats.rows.map((r) => [
    `${r.matter} ${r.name}`,
    r.path,
    String(r.applications),
    String(r.decided),
    String(r.approved),
    String(r.humanSignatures),
    String(r.baselineSignatures),
    ms(r.reviewMs),
    ms(r.decideMs),
    ms(r.issueMs),
  ]);
  const t = stats.totals;
  rows.push(["total", "", String(t.applications), String(t.decided), "", String(t.humanSignatures), String(t.baselineSignatures), "", "", ""]);
  // CJK characters take two columns in a terminal.
  const width = (s: string) => [...s].reduce((n, c) => n + (c.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]))));
  const line = (cells: string[]) => cells.map((c, i) => c + " ".repeat(widths[i] - width(c))).join("  ").trimEnd() + "\n";
  return (
    line(header) +
    line(widths.map((w) => "-".repeat(w))) +
    rows.map(line).join("") +
    `\nHuman signatures per decided application: ${stats.avgSignatures} (today's rule: ${stats.baselineSignatures})\n`
  );
}
