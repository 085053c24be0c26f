// Choosing the path with the fewest signatures the rules allow (and saying why): paths are tried
// fewest signatures first — 秒批, 告知承诺, 自审备案, 签一次, 签两次 — each against the chain's current
// rules for it (allowed, not suspended, its evidence requirements) and, for 秒批, the matter's
// declarative rules over the verified evidence's data.
import type { ApprovalPathName } from "../chain/approval-typed-data";
import { documentKindName } from "../chain/merkle";
import type { ApplicationEvidence, PathReason } from "../store/application-store";
import type { ChainPathRules } from "./approvals-chain";
import type { VerifiedEvidence } from "./evidence";
import { evaluateRule } from "./instant-rules";
import { PATH_SIGNATURES } from "./matter-rules";
import type { MatterDefinition } from "./types";

export const PATH_ORDER: readonly ApprovalPathName[] = ["instant", "commitment", "filing", "signOnce", "signTwice"];

/** What the applicant declared: the commitment (告知承诺) and the self-review (自审). */
export interface Declarations {
  commitment: boolean;
  selfReview: boolean;
}

export interface PathChoice {
  /** The chosen path, or undefined when none fits. */
  path?: ApprovalPathName;
  rules?: ChainPathRules;
  /** The evidence cited on the chosen path, in the order of its requirements. */
  evidence: ApplicationEvidence[];
  reasons: PathReason[];
  /** 秒批 was possible but a rule failed: the refusal to record when no other path fits. */
  instantRefusal?: { rules: ChainPathRules; evidence: ApplicationEvidence[] };
}

/** Matches verified evidence to the requirements of one path, in order; undefined items are missing. */
export function matchEvidence(
  matter: MatterDefinition,
  path: ApprovalPathName,
  rules: ChainPathRules,
  verified: readonly VerifiedEvidence[],
): Array<ApplicationEvidence | undefined> {
  const definitions = matter.evidence.filter((e) => e.paths.includes(path));
  const used = new Set<number>();
  return rules.evidence.map((req, i) => {
    const definition = definitions[i];
    const at = verified.findIndex(
      (v, j) =>
        !used.has(j) &&
        v.kind === req.kind &&
        v.departmentId === req.departmentId.toLowerCase() &&
        (definition?.templateId === undefined || v.data?.templateId === definition.templateId),
    );
    if (at < 0) return undefined;
    used.add(at);
    const v = verified[at];
    return {
      docHashHex: v.docHashHex,
      ...(v.documentId ? { documentId: v.documentId } : {}),
      kind: v.kind,
      departmentCode: definition?.departmentCode ?? req.departmentId,
      batchId: v.batchId,
      proof: v.proof,
      label: definition?.label ?? documentKindName(req.kind) ?? String(req.kind),
      ...(v.data ? { fields: { ...v.data.fields } } : {}),
    };
  });
}

/** Chooses the path; `rulesOf` holds the chain's rules of each path the matter lists. */
export function choosePath(
  matter: MatterDefinition,
  rulesOf: ReadonlyMap<ApprovalPathName, ChainPathRules>,
  verified: readonly VerifiedEvidence[],
  declared: Declarations,
  nowMs: number,
): PathChoice {
  const reasons: PathReason[] = [];
  let instantRefusal: PathChoice["instantRefusal"];
  for (const path of PATH_ORDER) {
    const rules = rulesOf.get(path);
    if (!rules || !rules.allowed) continue;
    const signatures = PATH_SIGNATURES[path];
    if (rules.suspendedReason !== 0) {
      reasons.push({ path, chosen: false, code: "PATH_SUSPENDED", reason: `The path is suspended (熔断, reason ${rules.suspendedReason})` });
      continue;
    }
    if (path === "instant") {
      const matched = matchEvidence(matter, path, rules, verified);
      const missing = matched.findIndex((m) => m === undefined);
      if (missing >= 0) {
        const label = matter.evidence.filter((e) => e.paths.includes(path))[missing]?.label ?? `requirement ${missing}`;
        reasons.push({ path, chosen: false, code: "EVIDENCE_MISSING", reason: `No verified, anchored ${label} among the evidence` });
        continue;
      }
      const cited = matched.filter((m): m is ApplicationEvidence => m !== undefined);
      const outcomes = matter.instantRules.map((rule) => ({ outcome: evaluateRule(rule, cited[rule.evidence]?.fields, nowMs), doc: cited[rule.evidence] }));
      const failed = outcomes.find((o) => !o.outcome.passed);
      if (failed) {
        reasons.push({
          path,
          chosen: false,
          code: "INSTANT_RULE_FAILED",
          reason: `Rule ${failed.outcome.rule.description} not met on ${failed.doc?.label ?? "the evidence"} (${failed.outcome.detail})`,
          rule: failed.outcome.rule.description,
          ...(failed.doc ? { evidenceDocHashHex: failed.doc.docHashHex } : {}),
        });
        instantRefusal = { rules, evidence: cited };
        continue;
      }
      for (const { outcome, doc } of outcomes) {
        reasons.push({
          path,
          chosen: true,
          code: "INSTANT_RULES_PASSED",
          reason: `Rule ${outcome.rule.description} met on ${doc?.label ?? "the evidence"} (${outcome.detail}): 0 signatures`,
          rule: outcome.rule.description,
          ...(doc ? { evidenceDocHashHex: doc.docHashHex } : {}),
        });
      }
      return { path, rules, evidence: cited, reasons };
    }
    if (path === "commitment" || path === "filing") {
      const declaredIt = path === "commitment" ? declared.commitment : declared.selfReview;
      if (!declaredIt) {
        const what = path === "commitment" ? "commit to the conditions (commitment: true)" : "file a self-review (selfReview: true)";
        reasons.push({ path, chosen: false, code: "NOT_DECLARED", reason: `The applicant did not ${what}` });
        continue;
      }
      const what = path === "commitment" ? "告知承诺: approved at once on the applicant's commitment, post-check later" : "自审备案: published for objections, issued when the notice closes clean";
      reasons.push({ path, chosen: true, code: "DECLARED", reason: `${what}: 0 signatures` });
      return { path, rules, evidence: [], reasons };
    }
    const matched = matchEvidence(matter, path, rules, verified);
    if (matched.some((m) => m === undefined)) {
      reasons.push({ path, chosen: false, code: "EVIDENCE_MISSING", reason: "The evidence this path needs is missing" });
      continue;
    }
    reasons.push({ path, chosen: true, code: "SIGNATURES_NEEDED", reason: `No path without a signature fits: ${signatures} authorised signature(s)` });
    return { path, rules, evidence: matched.filter((m): m is ApplicationEvidence => m !== undefined), reasons };
  }
  return { evidence: [], reasons, instantRefusal };
}
