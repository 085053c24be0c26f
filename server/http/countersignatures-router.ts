// POST /api/documents/{id}/countersignatures: the second signature (签两次) on a stored document by
// the department's staff or chief representative key, shown as a block beside the seal, as an
// incremental update that keeps the first signature valid. The result is a new document (its own hash, id and anchoring) whose
// parentId is the one signed.
import { Router } from "express";
import { NotFoundError } from "../errors";
import { generateCertificateIdentifier } from "../pdf/certificate-identifier";
import { assertCountersignable } from "../pdf/countersign-rule";
import { countersignInPool } from "../workers/pool-jobs";
import type { RouterDeps } from "./app";
import { requireOperator } from "./auth";
import { acceptDocument } from "./document-view";
import { jsonBody } from "./middleware";
import { CountersignBodySchema, DocumentIdParamsSchema } from "./schemas";
import { beijingDate, ownDocument, servedDepartmentOf } from "./staff-access";
import { parseRequest } from "./validate";

export function countersignaturesRouter(deps: RouterDeps): Router {
  const router = Router();
  router.post("/api/documents/:id/countersignatures", requireOperator(deps.tokens), jsonBody(deps.limits), async (req, res) => {
    const { operator, department } = servedDepartmentOf(deps, res);
    const { id } = parseRequest(DocumentIdParamsSchema, req.params, "params");
    const { role } = parseRequest(CountersignBodySchema, req.body, "body");
    const parent = ownDocument(deps, operator, id);
    assertCountersignable(id, parent.revocation !== undefined);
    const parentBytes = await deps.documents.readPdf(parent.docHashHex);
    if (!parentBytes) throw new NotFoundError("DOCUMENT_FILE_MISSING", `The file of document ${id} is not in this node's store`);
    const nowMs = deps.clock.now();
    const pdfBytes = await countersignInPool(deps.pool, parentBytes, {
      signer: department.signerFor(role),
      role,
      departmentName: department.name,
      signingTime: new Date(nowMs),
      maxPdfBytes: deps.limits.maxPdfBytes,
    });
    const view = await acceptDocument(
      deps,
      {
        id: generateCertificateIdentifier({ departmentCode: department.code, issueDate: beijingDate(nowMs) }),
        kind: parent.kind,
        departmentCode: department.code,
        title: parent.title,
        parentId: parent.id,
        createdAtMs: nowMs,
      },
      pdfBytes,
    );
    res.status(201).location(`/api/documents/${view.id}`).json(view);
  });
  return router;
}
