// POST /api/documents/{id}/revocation: the issuing department revokes a document on the ledger
// with a reason code (1 注销 cancelled on request, 2 吊销 revoked as a sanction). Checked here first
// (issuer, anchored, not yet revoked) so the common refusals cost no transaction; the ledger checks
// the issuer again and is the authority.
import { Router } from "express";
import { ConflictError } from "../errors";
import type { RouterDeps } from "./app";
import { requireOperator } from "./auth";
import { staffView } from "./document-view";
import { jsonBody } from "./middleware";
import { DocumentIdParamsSchema, RevokeBodySchema } from "./schemas";
import { ownDocument, servedDepartmentOf } from "./staff-access";
import { parseRequest } from "./validate";

export function revocationsRouter(deps: RouterDeps): Router {
  const router = Router();
  router.post("/api/documents/:id/revocation", requireOperator(deps.tokens), jsonBody(deps.limits), async (req, res) => {
    const { operator } = servedDepartmentOf(deps, res);
    const { id } = parseRequest(DocumentIdParamsSchema, req.params, "params");
    const { reasonCode } = parseRequest(RevokeBodySchema, req.body, "body");
    const record = ownDocument(deps, operator, id);
    if (record.revocation) throw new ConflictError("DOCUMENT_ALREADY_REVOKED", `Document ${id} is already revoked; revocation is final`);
    const state = deps.anchors.state(record.docHashHex);
    if (state?.status !== "confirmed") {
      throw new ConflictError("DOCUMENT_NOT_ANCHORED", `Document ${id} is not anchored yet (${state?.status ?? "pending"}); revoke it once it is`);
    }
    const revoked = await deps.revokeOnChain(record.departmentCode, record, reasonCode);
    // The ledger's record: an earlier revocation (a crashed or concurrent request) keeps its reason.
    const updated = deps.documents.markRevoked(record.id, { reasonCode: revoked.reasonCode, revokedAtMs: revoked.revokedAtSec * 1000, txHash: revoked.txHash });
    res.json(staffView(updated, state));
  });
  return router;
}
