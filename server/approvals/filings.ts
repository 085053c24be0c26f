// 自审备案: a filing in public notice, objections by anyone (recorded on chain as salted hashes, the
// text kept here), their resolution by the owning department, and the close after the notice:
// approved with no signature when no objection was upheld (then the certificate is issued), else
// refused. Anyone may close on chain; this node closes its own filings when their notice is over.
import { randomBytes } from "node:crypto";
import { concat, encodeBytes32String, hexlify, keccak256, toUtf8Bytes } from "ethers";
import { ApprovalRules__factory } from "../../typechain-types";
import { ConflictError, ForbiddenError, NotFoundError } from "../errors";
import type { ApplicationRecord } from "../store/application-store";
import { issueFor } from "./decide";
import { matterOf, type ApprovalServiceDeps } from "./service-deps";

/** A filing as the public list shows it: no applicant data, the hashes and the notice. */
export interface PublicFiling {
  id: string;
  matter: { code: string; name: string };
  departmentCode: string;
  /** The owning department's name, as this node serves it (e.g. 行政审批局). */
  departmentName?: string;
  applicationHashHex: string;
  evidence: Array<{ docHashHex: string; documentId?: string; label: string }>;
  noticeEnds: string;
  objections: Array<{ id: string; hashHex: string; state: "filed" | "upheld" | "rejected" }>;
}

const RULES = ApprovalRules__factory.createInterface();

export function publicFiling(deps: ApprovalServiceDeps, app: ApplicationRecord): PublicFiling {
  const matter = matterOf(deps, app.matterCode);
  return {
    id: app.id,
    matter: { code: matter.code, name: matter.name },
    departmentCode: app.departmentCode,
    departmentName: deps.departments.find((d) => d.code === app.departmentCode)?.name,
    applicationHashHex: app.applicationHashHex,
    evidence: app.evidence.map((e) => ({ docHashHex: e.docHashHex, ...(e.documentId ? { documentId: e.documentId } : {}), label: e.label })),
    noticeEnds: new Date((app.noticeEndsSec ?? 0) * 1000).toISOString(),
    objections: (app.objections ?? []).map(({ id, hashHex, state }) => ({ id, hashHex, state })),
  };
}

/** Filings in notice, oldest first. */
export function listFilings(deps: ApprovalServiceDeps): PublicFiling[] {
  return deps.applications.listByStatus("in-notice").map((app) => publicFiling(deps, app));
}

function filingOf(deps: ApprovalServiceDeps, id: string): ApplicationRecord {
  const app = deps.applications.get(id);
  if (!app || app.path !== "filing") throw new NotFoundError("FILING_NOT_FOUND", `No filing ${id}`);
  return app;
}

/** Files an objection (anyone); only its salted hash goes on chain. */
export async function fileObjection(deps: ApprovalServiceDeps, id: string, text: string): Promise<PublicFiling> {
  const app = filingOf(deps, id);
  if (app.status !== "in-notice") throw new ConflictError("FILING_NOT_IN_NOTICE", `Filing ${id} is ${app.status}`);
  const hashHex = keccak256(concat([hexlify(randomBytes(32)), toUtf8Bytes(text)]));
  await deps.chain.fileObjection(app.departmentCode, app.applicationHashHex, hashHex);
  const objection = { id: `OB-${hexlify(randomBytes(6)).slice(2)}`, hashHex, state: "filed" as const, filedAtMs: deps.clock.now() };
  const current = filingOf(deps, id);
  const updated = { ...current, objections: [...(current.objections ?? []), objection] };
  deps.applications.save(updated, deps.clock.now());
  return publicFiling(deps, updated);
}

/** Upholds or rejects an objection (the owning department's operator). */
export async function resolveObjection(
  deps: ApprovalServiceDeps,
  id: string,
  objectionId: string,
  operatorDepartment: string,
  upheld: boolean,
): Promise<PublicFiling> {
  const app = filingOf(deps, id);
  if (operatorDepartment !== app.departmentCode) throw new ForbiddenError("MATTER_NOT_HANDLED", `Only ${app.departmentCode}'s operators resolve objections to ${id}`);
  const objection = (app.objections ?? []).find((o) => o.id === objectionId);
  if (!objection) throw new NotFoundError("OBJECTION_NOT_FOUND", `No objection ${objectionId} to filing ${id}`);
  await deps.chain.resolveObjection(app.departmentCode, app.applicationHashHex, objection.hashHex, upheld);
  const state: "upheld" | "rejected" = upheld ? "upheld" : "rejected";
  const updated = { ...app, objections: (app.objections ?? []).map((o) => (o.id === objectionId ? { ...o, state } : o)) };
  deps.applications.save(updated, deps.clock.now());
  return publicFiling(deps, updated);
}

/** Closes a filing whose notice is over; approved → certificate issued with zero signatures. */
export async function closeFiling(deps: ApprovalServiceDeps, id: string): Promise<ApplicationRecord> {
  const app = filingOf(deps, id);
  if (app.status !== "in-notice") throw new ConflictError("FILING_NOT_IN_NOTICE", `Filing ${id} is ${app.status}`);
  const refs = app.evidence.map((e) => ({ docHash: e.docHashHex, departmentId: encodeBytes32String(e.departmentCode) }));
  const sent = await deps.chain.closeFiling(app.departmentCode, app.applicationHashHex, refs);
  const closed = sent.receipt.logs.map((log) => RULES.parseLog(log)).find((parsed) => parsed?.name === "FilingClosed");
  const outcome = closed && Number(closed.args.outcome) === 0 ? "approved" : "refused";
  const decided: ApplicationRecord = {
    ...app,
    outcome,
    status: outcome === "approved" ? "decided" : "refused",
    decisionTxHash: sent.txHash,
    stages: { ...app.stages, decidedAtMs: deps.clock.now() },
  };
  deps.applications.save(decided, deps.clock.now());
  return outcome === "approved" ? deps.issuing.run(decided, (a) => issueFor(deps, a)) : decided;
}

/** Closes every filing of this node whose notice ended by the chain's time; returns how many. */
export async function closeDueFilings(deps: ApprovalServiceDeps): Promise<number> {
  const nowSec = await deps.chain.latestBlockTimeSec();
  let closed = 0;
  for (const app of deps.applications.listByStatus("in-notice")) {
    if ((app.noticeEndsSec ?? Infinity) > nowSec) continue;
    if ((app.objections ?? []).some((o) => o.state === "filed")) continue;
    await closeFiling(deps, app.id);
    closed += 1;
  }
  return closed;
}
