// Intake (受理): an operator of the owning department, or of the approval bureau's hall, submits an
// application; its evidence is verified, the path chosen, and the paths without a person are
// carried through at once — 秒批 decided and issued, 告知承诺 approved on a sealed, anchored
// commitment letter, 自审备案 filed for notice. Signed paths wait for their signatures. While the
// chain is unreachable an application is accepted and queued, and reviewed once it is back.
import { randomBytes } from "node:crypto";
import { concat, hexlify, keccak256, toUtf8Bytes } from "ethers";
import type { ApprovalPathName } from "../chain/approval-typed-data";
import { ChainUnavailableError, ConflictError, ForbiddenError, ZeroSignError } from "../errors";
import type { ApplicationEvidence, ApplicationRecord } from "../store/application-store";
import type { QueuedIntake } from "../store/intake-queue";
import type { ChainPathRules } from "./approvals-chain";
import { choosePath } from "./choose-path";
import { recordAndIssue, type WaitFor } from "./decide";
import { verifyEvidence, type EvidenceInput, type VerifiedEvidence } from "./evidence";
import { issueDocument, stableIdentifier } from "./issue";
import { DECISION_VALIDITY_SEC, departmentOf, matterOf, waitAnchored, type ApprovalServiceDeps } from "./service-deps";
import type { MatterDefinition } from "./types";

export interface ApplicationInput {
  matter: string;
  /** The applicant's data: printed on the certificate, hashed (salted) on chain, never read by rules. */
  applicant: Record<string, string>;
  evidence: EvidenceInput[];
  commitment?: boolean;
  selfReview?: boolean;
}

/** The salted application hash: keccak256(salt ‖ the application's canonical JSON). */
export function applicationHash(saltHex: string, matter: string, applicant: Record<string, string>, evidence: readonly string[]): string {
  const sorted = Object.fromEntries(Object.entries(applicant).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return keccak256(concat([saltHex, toUtf8Bytes(JSON.stringify({ matter, applicant: sorted, evidence }))]));
}

/** What is fixed at intake, before any review: the id and salt stay the same however often it is reviewed. */
interface Intake {
  id: string;
  saltHex: string;
  acceptedBy: string;
  acceptedAtMs: number;
  applicant: Record<string, string>;
  commitment: boolean;
  selfReview: boolean;
}

/** The review's chain facts: the verified evidence, the path rules and the chain's time. */
interface Review {
  verified: VerifiedEvidence[];
  rulesOf: Map<ApprovalPathName, ChainPathRules>;
  chainTimeSec: number;
}

/**
 * Intake: reviews the application and carries it through. An application whose review cannot
 * reach the chain (its evidence is verified against it) is accepted all the same and queued with
 * its uploaded evidence; it is reviewed once the chain is back ({@link reviewQueued}).
 */
export async function submitApplication(
  deps: ApprovalServiceDeps,
  operatorDepartment: string,
  input: ApplicationInput,
  opts: { waitFor?: WaitFor } = {},
): Promise<ApplicationRecord | QueuedIntake> {
  const matter = matterOf(deps, input.matter);
  if (operatorDepartment !== matter.departmentCode && operatorDepartment !== deps.hallDepartmentCode) {
    throw new ForbiddenError("MATTER_NOT_HANDLED", `Matter ${matter.code} is ${matter.departmentCode}'s; only its operators or the hall's accept it`);
  }
  if (!deps.chain.departmentCodes.includes(matter.departmentCode)) {
    throw new ForbiddenError("DEPARTMENT_NOT_SERVED", `This node cannot record decisions for ${matter.departmentCode}`);
  }
  const intake: Intake = {
    id: `AP-${hexlify(randomBytes(8)).slice(2)}`,
    saltHex: hexlify(randomBytes(32)),
    acceptedBy: operatorDepartment,
    acceptedAtMs: deps.clock.now(),
    applicant: input.applicant,
    commitment: input.commitment === true,
    selfReview: input.selfReview === true,
  };
  let review: Review;
  try {
    review = await reviewOnChain(deps, matter, input.evidence);
  } catch (err) {
    if (!(err instanceof ChainUnavailableError)) throw err;
    return queueIntake(deps, matter, intake, input.evidence, err);
  }
  // Nothing has been sent for a fresh application: the chain is not asked for its decision.
  return carryThrough(deps, matter, intake, review, { ...opts, firstAttempt: true });
}

/**
 * Reviews a queued application now that the chain may be back: as intake would have, with the id
 * and salt of its acceptance. Still unreachable: it stays queued, `lastError` says why. Refused by
 * the review (evidence revoked meanwhile, no path): kept as rejected, with the code and reason a
 * request would have had. Returns whether it moved on.
 */
export async function reviewQueued(deps: ApprovalServiceDeps, queued: QueuedIntake): Promise<boolean> {
  // Saved before a crash took the queue row with it: the application carries on by itself.
  if (deps.applications.get(queued.id)) return settled(deps, queued.id);
  const matter = matterOf(deps, queued.matter);
  const uploads = deps.intakeQueue.uploads(queued.id);
  const evidence: EvidenceInput[] = queued.evidence.map((e) => ("documentId" in e ? e : { pdfBytes: uploads[e.upload] }));
  try {
    const review = await reviewOnChain(deps, matter, evidence);
    // A review repeated after a crash may follow a decision already sent: the chain is asked first.
    await carryThrough(deps, matter, queued, review, { waitFor: "issued", firstAttempt: false });
  } catch (err) {
    // Saved before it failed: the application carries on by itself (deciding, retried).
    if (deps.applications.get(queued.id)) return settled(deps, queued.id);
    if (err instanceof ChainUnavailableError) {
      deps.intakeQueue.setLastError(queued.id, err.message);
      return false;
    }
    if (err instanceof ZeroSignError && err.httpStatus < 500) {
      deps.intakeQueue.reject(queued.id, err.code, err.message);
      return true;
    }
    throw err;
  }
  return settled(deps, queued.id);
}

/** The queued application is an application now: its queue row goes. */
function settled(deps: ApprovalServiceDeps, id: string): true {
  deps.intakeQueue.remove(id);
  return true;
}

/** Keeps an application whose review could not reach the chain, with its uploaded PDFs. */
function queueIntake(deps: ApprovalServiceDeps, matter: MatterDefinition, intake: Intake, evidence: EvidenceInput[], err: ChainUnavailableError): QueuedIntake {
  const uploads: Uint8Array[] = [];
  const queued: QueuedIntake = {
    ...intake,
    matter: matter.code,
    departmentCode: matter.departmentCode,
    evidence: evidence.map((e) => ("documentId" in e ? { documentId: e.documentId } : { upload: uploads.push(e.pdfBytes) - 1 })),
    state: "waiting",
    lastError: `${err.message}; the application is reviewed once the chain is back`,
  };
  deps.intakeQueue.add(queued, uploads);
  deps.log.warn({ application: intake.id, code: err.code }, "the chain is unreachable: the application is queued for its review");
  return queued;
}

/** Verifies the evidence and reads the path rules and the chain's time, all against the chain. */
async function reviewOnChain(deps: ApprovalServiceDeps, matter: MatterDefinition, evidence: EvidenceInput[]): Promise<Review> {
  const [verified, rulesList, chainTimeSec] = await Promise.all([
    Promise.all(evidence.map((e, i) => verifyEvidence(deps, e, i))),
    Promise.all(matter.paths.map(async (p) => [p, await deps.chain.pathRules(matter.code, p)] as [ApprovalPathName, ChainPathRules])),
    deps.chain.latestBlockTimeSec(),
  ]);
  return { verified, rulesOf: new Map(rulesList), chainTimeSec };
}

/** Chooses the path on the review and carries the application through it. */
async function carryThrough(
  deps: ApprovalServiceDeps,
  matter: MatterDefinition,
  intake: Intake,
  { verified, rulesOf, chainTimeSec }: Review,
  opts: { waitFor?: WaitFor; firstAttempt: boolean },
): Promise<ApplicationRecord> {
  const nowMs = Math.max(deps.clock.now(), chainTimeSec * 1000);
  const choice = choosePath(matter, rulesOf, verified, { commitment: intake.commitment, selfReview: intake.selfReview }, nowMs);
  const path = choice.path ?? (choice.instantRefusal ? "instant" : undefined);
  if (!path) {
    throw new ConflictError("APPLICATION_NO_PATH", `No path of ${matter.code} fits: ${choice.reasons.map((r) => `${r.path}: ${r.reason}`).join("; ") || "none allowed"}`);
  }
  const rules = choice.rules ?? choice.instantRefusal?.rules;
  const evidence: ApplicationEvidence[] = choice.path ? choice.evidence : choice.instantRefusal?.evidence ?? [];
  let app: ApplicationRecord = {
    id: intake.id,
    matterCode: matter.code,
    departmentCode: matter.departmentCode,
    acceptedBy: intake.acceptedBy,
    applicationHashHex: applicationHash(intake.saltHex, matter.code, intake.applicant, verified.map((e) => e.docHashHex)),
    saltHex: intake.saltHex,
    applicant: intake.applicant,
    path,
    status: path === "signOnce" || path === "signTwice" ? "awaiting-signatures" : "decided",
    ruleVersion: rules?.version ?? 0,
    baselineSignatures: matter.baselineSignatures,
    reasons: choice.reasons,
    evidence,
    deadlineSec: chainTimeSec + DECISION_VALIDITY_SEC,
    signatures: [],
    stages: { acceptedAtMs: intake.acceptedAtMs, reviewedAtMs: deps.clock.now() },
  };
  // A decision taken now is first saved as deciding (one write, one fsync, fewer per application).
  if (!choice.path) return recordAndIssue(deps, app, "refused", opts);
  if (path === "instant") return recordAndIssue(deps, app, "approved", opts);
  deps.applications.save(app, deps.clock.now());
  if (path === "commitment") {
    app = await withOwnDocument(deps, app, "commitment-letter");
    return recordAndIssue(deps, app, "approved", opts);
  }
  if (path === "filing") {
    app = await withOwnDocument(deps, app, "filing");
    const sent = await deps.chain.fileForNotice(app.departmentCode, app.applicationHashHex, app.matterCode, app.ruleVersion, app.evidence.map((e) => ({
      docHash: e.docHashHex, kind: e.kind, batchId: e.batchId, proof: e.proof,
    })));
    app = { ...app, status: "in-notice", noticeEndsSec: sent.blockTimeSec + matter.noticePeriodSec, objections: [], decisionTxHash: sent.txHash };
    deps.applications.save(app, deps.clock.now());
    return app;
  }
  return app;
}

/**
 * The document the path cites that the service makes itself: the commitment letter (告知承诺书, the
 * applicant's confirmation sealed by the department) or the self-review filing (自审备案材料); it
 * is anchored before the decision cites it.
 */
async function withOwnDocument(deps: ApprovalServiceDeps, app: ApplicationRecord, kind: "commitment-letter" | "filing"): Promise<ApplicationRecord> {
  const matter = matterOf(deps, app.matterCode);
  const owner = departmentOf(deps, app.departmentCode);
  const holder = Object.entries(app.applicant).slice(0, 9).map(([label, value]) => ({ label, value }));
  const body =
    kind === "commitment-letter"
      ? `申请人已知晓${matter.name}的全部条件，承诺所填信息真实、符合条件，并接受${Math.round(matter.postCheckPeriodSec / 86_400)}日内的事后核查；不符合承诺的，许可将被撤销。`
      : `申请人已按${matter.name}的标准完成自审，材料公示${Math.round(matter.noticePeriodSec / 86_400)}日，接受异议。`;
  const doc = await issueDocument(
    deps,
    owner,
    {
      kind: kind === "commitment-letter" ? "commitment-letter" : "sealed-document",
      title: kind === "commitment-letter" ? "告知承诺书" : "自审备案材料",
      holder: [...holder, { label: "事项", value: matter.name }],
      documentNumber: app.id,
      body,
    },
    deps.clock.now(),
    { storedKind: kind, identifier: stableIdentifier(app, owner.code, kind, app.stages.acceptedAtMs) },
  );
  const state = await waitAnchored(deps.anchors, doc.docHashHex, deps.anchorWaitMs ?? 30_000);
  const anchor = state.anchor;
  if (!anchor) throw new Error("confirmed without an anchor");
  const definition = matter.evidence.find((e) => e.paths.includes(app.path));
  const cited: ApplicationEvidence = {
    docHashHex: doc.docHashHex,
    documentId: doc.id,
    kind: anchor.kind,
    departmentCode: owner.code,
    batchId: anchor.batchId,
    proof: anchor.proof,
    label: definition?.label ?? doc.title,
  };
  const evidence = [cited];
  const updated: ApplicationRecord = { ...app, evidence };
  deps.applications.save(updated, deps.clock.now());
  return updated;
}

