// 告知承诺's post-check (事后核查): staff record whether the applicant met the commitment. A failure
// revokes the certificate through the ledger first (吊销, reason 2: every verifier sees it), and
// only then records the failure, which the contract refuses while the certificate still verifies.
import type { RevokeOnChain } from "../chain/revoke-document";
import { ConflictError, ForbiddenError, NotFoundError } from "../errors";
import type { ApplicationRecord } from "../store/application-store";
import type { ApprovalServiceDeps } from "./service-deps";

/** The ledger's reason for a revocation as a sanction (吊销). */
export const REVOKED_AS_SANCTION = 2;

export async function recordPostCheck(
  deps: ApprovalServiceDeps & { revokeOnChain: RevokeOnChain },
  id: string,
  operatorDepartment: string,
  passed: boolean,
): Promise<ApplicationRecord> {
  const app = deps.applications.get(id);
  if (!app) throw new NotFoundError("APPLICATION_NOT_FOUND", `No application ${id}`);
  if (operatorDepartment !== app.departmentCode) {
    throw new ForbiddenError("MATTER_NOT_HANDLED", `Only ${app.departmentCode}'s operators record the post-check of ${id}`);
  }
  if (app.path !== "commitment" || app.status !== "issued" || !app.certificateId) {
    throw new ConflictError("APPLICATION_NO_POST_CHECK", `Application ${id} has no post-check to record (${app.path}, ${app.status})`);
  }
  if (app.postCheck) throw new ConflictError("POST_CHECK_RECORDED", `The post-check of ${id} is already recorded`);
  const certificate = deps.documents.getDocument(app.certificateId);
  if (!certificate) throw new NotFoundError("DOCUMENT_NOT_FOUND", `No document ${app.certificateId}`);
  let status: ApplicationRecord["status"] = app.status;
  if (!passed) {
    const revocation = await deps.revokeOnChain(app.departmentCode, certificate, REVOKED_AS_SANCTION);
    if (!certificate.revocation) {
      deps.documents.markRevoked(certificate.id, { reasonCode: revocation.reasonCode, revokedAtMs: revocation.revokedAtSec * 1000, txHash: revocation.txHash });
    }
    status = "revoked";
  }
  const sent = await deps.chain.recordPostCheck(app.departmentCode, app.applicationHashHex, passed, certificate.docHashHex);
  const updated: ApplicationRecord = { ...app, status, postCheck: { passed, recordedAtMs: deps.clock.now(), txHash: sent.txHash } };
  deps.applications.save(updated, deps.clock.now());
  return updated;
}
