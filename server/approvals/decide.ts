// Recording a decision on chain and issuing its certificate: the stage after review on every path
// but filing's notice. The record is saved after each step (decided, then issued), so a restart
// sees how far an application got and the chain refuses a second decision of the same hash. The
// decision is the answer: once it is on chain the caller may have it at once and the certificate
// follows (`waitFor: "decided"`), or wait for the certificate too (`"issued"`, the default).
import { ChainUnavailableError, ConflictError } from "../errors";
import type { ApplicationRecord } from "../store/application-store";
import type { DocumentRecord } from "../store/types";
import { evidenceStruct } from "./evidence";
import { ApprovalRefusedError } from "./chain-errors";
import { countersignDocument, issueDocument, stableIdentifier } from "./issue";
import { decisionMessage, departmentOf, matterOf, type ApprovalServiceDeps } from "./service-deps";

/**
 * Records `app`'s decision (with its signatures) and, for an approval, issues the certificate. The
 * application is saved as deciding first, so a crash or an unreachable chain leaves it to
 * {@link completeDecision}'s retries, with its signatures kept.
 */
export async function recordAndIssue(
  deps: ApprovalServiceDeps,
  app: ApplicationRecord,
  outcome: "approved" | "refused",
  opts: { waitFor?: WaitFor; firstAttempt?: boolean } = {},
): Promise<ApplicationRecord> {
  const deciding: ApplicationRecord = { ...app, status: "deciding", pendingOutcome: outcome };
  deps.applications.save(deciding, deps.clock.now());
  // Unless told otherwise nothing has been sent for it yet: the chain cannot hold its decision.
  return completeDecision(deps, deciding, { firstAttempt: opts.firstAttempt ?? true, waitFor: opts.waitFor });
}

/** What a caller waits for: the decision on chain, or the certificate issued after it too. */
export type WaitFor = "decided" | "issued";

/** The certificates being issued now, one run per application whoever asks (a request, the resume loop). */
export interface IssueTracker {
  /** Issues `app`'s certificate, or joins the run already under way for it. */
  run(app: ApplicationRecord, issue: (app: ApplicationRecord) => Promise<ApplicationRecord>): Promise<ApplicationRecord>;
  has(applicationId: string): boolean;
}

export function createIssueTracker(): IssueTracker {
  const running = new Map<string, Promise<ApplicationRecord>>();
  return {
    run(app, issue) {
      let run = running.get(app.id);
      if (!run) {
        run = issue(app).finally(() => running.delete(app.id));
        running.set(app.id, run);
      }
      return run;
    },
    has: (id) => running.has(id),
  };
}

/**
 * Carries a deciding application on: on a retry, asks the chain whether it already holds the
 * decision (sent before a crash or an outage, and mined); records it otherwise, then issues. An unreachable chain
 * leaves it deciding with the reason; the contract refusing a decision nobody signed refuses the
 * application; a refused signature set goes back to the caller (signatures.ts keeps it waiting).
 */
export async function completeDecision(
  deps: ApprovalServiceDeps,
  app: ApplicationRecord,
  opts: { firstAttempt?: boolean; waitFor?: WaitFor } = {},
): Promise<ApplicationRecord> {
  let outcome = app.pendingOutcome ?? "approved";
  let decidedAtSec: number;
  let postCheckDueSec: number | undefined;
  let txHash = app.decisionTxHash;
  try {
    const onChain = opts.firstAttempt ? undefined : await deps.chain.decisionOf(app.applicationHashHex);
    if (onChain) {
      outcome = onChain.outcome;
      decidedAtSec = onChain.decidedAtSec;
      postCheckDueSec = onChain.postCheckDueSec || undefined;
    } else {
      const sent = await deps.chain.recordDecision(
        app.departmentCode,
        decisionMessage(app, outcome),
        app.evidence.map(evidenceStruct),
        app.signatures.map(({ x, y, r, s }) => ({ x, y, r, s })),
      );
      txHash = sent.txHash;
      decidedAtSec = sent.blockTimeSec;
    }
  } catch (err) {
    if (err instanceof ChainUnavailableError) {
      deps.log.warn({ err, application: app.id }, "the decision could not be recorded; it is retried");
      const waiting: ApplicationRecord = { ...app, lastError: "The chain is unreachable; the decision is recorded once it is back" };
      deps.applications.save(waiting, deps.clock.now());
      return waiting;
    }
    if (err instanceof ApprovalRefusedError && app.signatures.length === 0) {
      const { pendingOutcome: _p, ...rest } = app;
      const refused: ApplicationRecord = {
        ...rest,
        status: "refused",
        reasons: [...app.reasons, { path: app.path, chosen: false, code: err.code, reason: err.message }],
        lastError: err.message,
      };
      deps.applications.save(refused, deps.clock.now());
    }
    throw err;
  }
  const { pendingOutcome: _pending, lastError: _error, ...settled } = app;
  const decided: ApplicationRecord = {
    ...settled,
    outcome,
    status: outcome === "approved" ? "decided" : "refused",
    ...(txHash ? { decisionTxHash: txHash } : {}),
    stages: { ...app.stages, decidedAtMs: app.stages.decidedAtMs ?? deps.clock.now() },
  };
  const matter = matterOf(deps, app.matterCode);
  if (outcome === "approved" && app.path === "commitment") decided.postCheckDueSec = postCheckDueSec ?? decidedAtSec + matter.postCheckPeriodSec;
  deps.applications.save(decided, deps.clock.now());
  if (outcome === "refused") return decided;
  const issuing = deps.issuing.run(decided, (a) => issueFor(deps, a));
  if ((opts.waitFor ?? "issued") === "issued") return issuing;
  // The answer goes now; a certificate that fails here is issued by the resume loop.
  issuing.catch((err: unknown) => deps.log.warn({ err, application: decided.id }, "issuing a decided application's certificate failed; it is retried"));
  return decided;
}

/** Issues the certificate of a decided approval and marks it issued. */
export async function issueFor(deps: ApprovalServiceDeps, app: ApplicationRecord): Promise<ApplicationRecord> {
  if (app.outcome !== "approved") throw new ConflictError("APPLICATION_NOT_APPROVED", `Application ${app.id} is not approved`);
  const matter = matterOf(deps, app.matterCode);
  const owner = departmentOf(deps, app.departmentCode);
  const nowMs = deps.clock.now();
  const holder = Object.entries(app.applicant).slice(0, 9).map(([label, value]) => ({ label, value }));
  // Identifiers stable per application: issuing again after a crash finds what was stored.
  const decidedAtMs = app.stages.decidedAtMs ?? nowMs;
  let certificate: DocumentRecord = await issueDocument(
    deps,
    owner,
    {
      kind: "certificate",
      title: matter.certificateTitle,
      holder: [...holder, { label: "事项", value: matter.name }],
      documentNumber: app.id,
      body: `依据${pathLabel(app.path)}决定签发，决定已记录于区块链（申请哈希 ${app.applicationHashHex.slice(0, 18)}…）。`,
    },
    nowMs,
    // The decision is answered already: its certificate waits behind the reviews of the next ones.
    { identifier: stableIdentifier(app, owner.code, "certificate", decidedAtMs), priority: "background" },
  );
  if (app.signatures.length > 0) {
    const signers = app.signatures.map((s) => ({ department: departmentOf(deps, s.departmentCode), role: s.role }));
    const last = signers[signers.length - 1].department.code;
    certificate = await countersignDocument(deps, certificate, signers, nowMs, stableIdentifier(app, last, "countersigned", decidedAtMs), "background");
  }
  const issued: ApplicationRecord = {
    ...app,
    status: "issued",
    certificateId: certificate.id,
    stages: { ...app.stages, issuedAtMs: deps.clock.now() },
  };
  deps.applications.save(issued, deps.clock.now());
  return issued;
}

function pathLabel(path: ApplicationRecord["path"]): string {
  return { instant: "秒批规则", commitment: "告知承诺", filing: "自审备案公示", signOnce: "签一次", signTwice: "签两次" }[path];
}
