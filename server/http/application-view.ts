// How an application looks in responses: status, path and why, the timed stages, the evidence and
// signatures, and (while it waits) the digest its signers sign. The applicant's data is shown
// only to the operators who may act on it (GET /api/applications/{id} requires their token).
import type { ApprovalService } from "../approvals/approval-service";
import { PATH_SIGNATURES } from "../approvals/matter-rules";
import type { ApplicationRecord } from "../store/application-store";
import type { QueuedIntake } from "../store/intake-queue";

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** Whether `app` is still in the intake queue (accepted while the chain was away, not reviewed). */
export function isQueued(app: ApplicationRecord | QueuedIntake): app is QueuedIntake {
  return !("status" in app);
}

export function applicationView(service: ApprovalService, app: ApplicationRecord | QueuedIntake) {
  return isQueued(app) ? queuedView(service, app) : recordView(service, app);
}

/**
 * An accepted application before its review: status accepted (waiting for the chain, `lastError`
 * says why) or rejected (its review refused it: `reasons` name the code); no path chosen yet.
 */
function queuedView(service: ApprovalService, q: QueuedIntake) {
  const matter = service.catalog.find((m) => m.code === q.matter);
  return {
    id: q.id,
    matter: { code: q.matter, name: matter?.name ?? q.matter },
    departmentCode: q.departmentCode,
    acceptedBy: q.acceptedBy,
    applicant: q.applicant,
    status: q.state === "rejected" ? "rejected" : "accepted",
    reasons: q.state === "rejected" ? [{ code: q.rejectedCode ?? "REVIEW_REFUSED", reason: q.lastError ?? "" }] : [],
    evidence: [],
    requiredSignatures: 0,
    baselineSignatures: matter?.baselineSignatures ?? 0,
    signatures: [],
    ...(q.lastError && q.state === "waiting" ? { lastError: q.lastError } : {}),
    stages: { acceptedAt: iso(q.acceptedAtMs) },
  };
}

function recordView(service: ApprovalService, app: ApplicationRecord) {
  const matter = service.catalog.find((m) => m.code === app.matterCode);
  return {
    id: app.id,
    matter: { code: app.matterCode, name: matter?.name ?? app.matterCode },
    departmentCode: app.departmentCode,
    acceptedBy: app.acceptedBy,
    applicant: app.applicant,
    applicationHashHex: app.applicationHashHex,
    path: app.path,
    status: app.status,
    ...(app.outcome ? { outcome: app.outcome } : {}),
    ruleVersion: app.ruleVersion,
    reasons: app.reasons,
    evidence: app.evidence.map((e) => ({
      docHashHex: e.docHashHex,
      ...(e.documentId ? { documentId: e.documentId } : {}),
      label: e.label,
      departmentCode: e.departmentCode,
      batchId: e.batchId,
    })),
    requiredSignatures: PATH_SIGNATURES[app.path],
    baselineSignatures: app.baselineSignatures,
    signatures: app.signatures.map((s) => ({ role: s.role, departmentCode: s.departmentCode, keyId: s.keyId, signedAt: iso(s.signedAtMs) })),
    ...(app.status === "awaiting-signatures" ? { digest: service.digestOf(app), deadline: new Date(app.deadlineSec * 1000).toISOString() } : {}),
    ...(app.lastError ? { lastError: app.lastError } : {}),
    ...(app.decisionTxHash ? { decisionTxHash: app.decisionTxHash } : {}),
    ...(app.certificateId ? { certificateId: app.certificateId } : {}),
    ...(app.postCheckDueSec !== undefined ? { postCheckDue: iso(app.postCheckDueSec * 1000) } : {}),
    ...(app.postCheck ? { postCheck: { passed: app.postCheck.passed, recordedAt: iso(app.postCheck.recordedAtMs), txHash: app.postCheck.txHash } } : {}),
    ...(app.noticeEndsSec !== undefined ? { noticeEnds: iso(app.noticeEndsSec * 1000) } : {}),
    stages: {
      acceptedAt: iso(app.stages.acceptedAtMs),
      ...(app.stages.reviewedAtMs !== undefined ? { reviewedAt: iso(app.stages.reviewedAtMs) } : {}),
      ...(app.stages.decidedAtMs !== undefined ? { decidedAt: iso(app.stages.decidedAtMs) } : {}),
      ...(app.stages.issuedAtMs !== undefined ? { issuedAt: iso(app.stages.issuedAtMs) } : {}),
    },
  };
}
