// Recording a decision on chain and issuing its certificate: the stage after review on every path
// but filing's notice. The record is saved after each step (decided, then issued), so a restart
// sees how far an application got and the chain refuses a second decision of the same hash.
import { ConflictError } from "../errors";
import type { ApplicationRecord } from "../store/application-store";
import type { DocumentRecord } from "../store/types";
import { evidenceStruct } from "./evidence";
import { countersignDocument, issueDocument } from "./issue";
import { decisionMessage, departmentOf, matterOf, type ApprovalServiceDeps } from "./service-deps";

/** Records `app`'s decision (with its signatures) and, for an approval, issues the certificate. */
export async function recordAndIssue(
  deps: ApprovalServiceDeps,
  app: ApplicationRecord,
  outcome: "approved" | "refused",
): Promise<ApplicationRecord> {
  const sent = await deps.chain.recordDecision(
    app.departmentCode,
    decisionMessage(app, outcome),
    app.evidence.map(evidenceStruct),
    app.signatures.map(({ x, y, r, s }) => ({ x, y, r, s })),
  );
  const decided: ApplicationRecord = {
    ...app,
    outcome,
    status: outcome === "approved" ? "decided" : "refused",
    decisionTxHash: sent.txHash,
    stages: { ...app.stages, decidedAtMs: deps.clock.now() },
  };
  const matter = matterOf(deps, app.matterCode);
  if (outcome === "approved" && app.path === "commitment") decided.postCheckDueSec = sent.blockTimeSec + matter.postCheckPeriodSec;
  deps.applications.save(decided, deps.clock.now());
  if (outcome === "refused") return decided;
  return issueFor(deps, decided);
}

/** Issues the certificate of a decided approval and marks it issued. */
export async function issueFor(deps: ApprovalServiceDeps, app: ApplicationRecord): Promise<ApplicationRecord> {
  if (app.outcome !== "approved") throw new ConflictError("APPLICATION_NOT_APPROVED", `Application ${app.id} is not approved`);
  const matter = matterOf(deps, app.matterCode);
  const owner = departmentOf(deps, app.departmentCode);
  const nowMs = deps.clock.now();
  const holder = Object.entries(app.applicant).slice(0, 9).map(([label, value]) => ({ label, value }));
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
  );
  if (app.signatures.length > 0) {
    const signers = app.signatures.map((s) => ({ department: departmentOf(deps, s.departmentCode), role: s.role }));
    certificate = await countersignDocument(deps, certificate, signers, nowMs);
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
