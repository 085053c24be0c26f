// Statistics (分段计时 and signatures): per matter and path, how many applications, decisions,
// human signatures given against the baseline today's rule would have needed, and the mean time
// of each stage; then the average human signatures per decided application against the baseline.
// That ratio is the number the project exists to lower.
import type { ApplicationRecord } from "../store/application-store";
import type { MatterDefinition } from "./types";

export interface StageTimes {
  /** Mean milliseconds accepted → reviewed, reviewed → decided, decided → issued (absent: none yet). */
  reviewMs?: number;
  decideMs?: number;
  issueMs?: number;
}

export interface StatisticsRow extends StageTimes {
  matter: string;
  name: string;
  path: ApplicationRecord["path"];
  applications: number;
  decided: number;
  approved: number;
  humanSignatures: number;
  baselineSignatures: number;
}

export interface Statistics {
  rows: StatisticsRow[];
  totals: { applications: number; decided: number; humanSignatures: number; baselineSignatures: number };
  /** Human signatures per decided application, and what today's rule would need (2 decimals). */
  avgSignatures: number;
  baselineSignatures: number;
}

const mean = (values: number[]) => (values.length === 0 ? undefined : Math.round(values.reduce((a, b) => a + b, 0) / values.length));

export function computeStatistics(applications: readonly ApplicationRecord[], catalog: readonly MatterDefinition[]): Statistics {
  const groups = new Map<string, ApplicationRecord[]>();
  for (const app of applications) {
    const key = `${app.matterCode}\u0000${app.path}`;
    groups.set(key, [...(groups.get(key) ?? []), app]);
  }
  const rows: StatisticsRow[] = [...groups.values()].map((apps) => {
    const decided = apps.filter((a) => a.outcome !== undefined);
    const gaps = (from: keyof ApplicationRecord["stages"], to: keyof ApplicationRecord["stages"]) =>
      mean(apps.flatMap((a) => (a.stages[from] !== undefined && a.stages[to] !== undefined ? [(a.stages[to] ?? 0) - (a.stages[from] ?? 0)] : [])));
    const times: StageTimes = {};
    const review = gaps("acceptedAtMs", "reviewedAtMs");
    const decide = gaps("reviewedAtMs", "decidedAtMs");
    const issue = gaps("decidedAtMs", "issuedAtMs");
    if (review !== undefined) times.reviewMs = review;
    if (decide !== undefined) times.decideMs = decide;
    if (issue !== undefined) times.issueMs = issue;
    return {
      matter: apps[0].matterCode,
      name: catalog.find((m) => m.code === apps[0].matterCode)?.name ?? apps[0].matterCode,
      path: apps[0].path,
      applications: apps.length,
      decided: decided.length,
      approved: decided.filter((a) => a.outcome === "approved").length,
      humanSignatures: decided.reduce((n, a) => n + a.signatures.length, 0),
      baselineSignatures: decided.reduce((n, a) => n + a.baselineSignatures, 0),
      ...times,
    };
  });
  rows.sort((a, b) => (a.matter === b.matter ? a.path.localeCompare(b.path) : a.matter.localeCompare(b.matter)));
  const totals = rows.reduce(
    (t, r) => ({
      applications: t.applications + r.applications,
      decided: t.decided + r.decided,
      humanSignatures: t.humanSignatures + r.humanSignatures,
      baselineSignatures: t.baselineSignatures + r.baselineSignatures,
    }),
    { applications: 0, decided: 0, humanSignatures: 0, baselineSignatures: 0 },
  );
  const per = (n: number) => (totals.decided === 0 ? 0 : Math.round((n / totals.decided) * 100) / 100);
  return { rows, totals, avgSignatures: per(totals.humanSignatures), baselineSignatures: per(totals.baselineSignatures) };
}
