// 秒批 rules: declarative tests over the fields of verified evidence (审批材料变成审批数据). Each
// rule names the evidence requirement it reads, the field and the test; the answer says which rule
// passed or failed on which document, so the applicant and the clerk see why.
import type { FieldTest, InstantRule } from "./types";

/** The outcome of one rule on one document. */
export interface RuleOutcome {
  rule: InstantRule;
  passed: boolean;
  /** One line: what was read and what it was compared with. */
  detail: string;
}

/** Beijing's calendar day of `nowMs` as [year, month, day]. */
function beijingDay(nowMs: number): [number, number, number] {
  const d = new Date(nowMs + 8 * 3_600_000);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}

/** Whole years from the YYYY-MM-DD `date` to the day of `nowMs`, or undefined if not a date. */
export function ageInYears(date: string, nowMs: number): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
  const [ny, nm, nd] = beijingDay(nowMs);
  return ny - y - (nm < mo || (nm === mo && nd < d) ? 1 : 0);
}

function runTest(test: FieldTest, value: string | undefined, nowMs: number): { passed: boolean; detail: string } {
  if (value === undefined || value.trim() === "") return { passed: false, detail: "the field is absent" };
  if ("present" in test) return { passed: true, detail: "present" };
  if ("equals" in test) return { passed: value === test.equals, detail: `${value} ${value === test.equals ? "=" : "≠"} ${test.equals}` };
  const age = ageInYears(value, nowMs);
  if (age === undefined) return { passed: false, detail: `${value} is not a YYYY-MM-DD date` };
  return { passed: age >= test.ageAtLeast, detail: `${value}: age ${age} ${age >= test.ageAtLeast ? "≥" : "<"} ${test.ageAtLeast}` };
}

/** Runs `rule` on the fields of the document cited for its requirement (undefined: none cited or no data). */
export function evaluateRule(rule: InstantRule, fields: Readonly<Record<string, string>> | undefined, nowMs: number): RuleOutcome {
  if (!fields) return { rule, passed: false, detail: "the evidence carries no verified data" };
  const { passed, detail } = runTest(rule.test, fields[rule.field], nowMs);
  return { rule, passed, detail: `${rule.field}: ${detail}` };
}
