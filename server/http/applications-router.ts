// Applications (事项申请): POST /api/applications (intake by an operator of the owning department
// or the hall; the path with the fewest signatures is chosen and carried through),
// GET /api/applications?status=awaiting-signatures (the operator's queue: the department's own and
// those it accepted, newest first), GET /api/applications/{id}, POST /api/applications/{id}/signatures (签一次 / 签两次) and
// POST /api/applications/{id}/post-check (告知承诺's 事后核查). Evidence PDFs travel as base64 in
// the JSON body, so its limit here is the PDF limit's, not the small JSON one. A decision is
// answered once the chain records it; `?wait=issued` waits for the certificate as well.
import { Router } from "express";
import type { ApprovalService } from "../approvals/approval-service";
import type { ApplicationStore } from "../store/application-store";
import { ForbiddenError } from "../errors";
import type { RouterDeps } from "./app";
import {
  ApplicationBodySchema,
  ApplicationIdParamsSchema,
  DecisionWaitQuerySchema,
  ListApplicationsQuerySchema,
  PostCheckBodySchema,
  SignatureBodySchema,
} from "./application-schemas";
import { applicationView, isQueued } from "./application-view";
import { requireOperator } from "./auth";
import { jsonBody } from "./middleware";
import { servedDepartmentOf } from "./staff-access";
import { parseRequest } from "./validate";

/** What the queue reads: the application store's department list. */
export type ApplicationQueue = Pick<ApplicationStore, "listForDepartment">;

export function applicationsRouter(deps: RouterDeps, service: ApprovalService, applications: ApplicationQueue): Router {
  const router = Router();
  const evidenceBody = jsonBody({ ...deps.limits, maxJsonBytes: Math.ceil(deps.limits.maxPdfBytes * 1.4) + 64 * 1024 });
  router.post("/api/applications", requireOperator(deps.tokens), evidenceBody, async (req, res) => {
    const { department } = servedDepartmentOf(deps, res);
    const body = parseRequest(ApplicationBodySchema, req.body, "body");
    const { wait } = parseRequest(DecisionWaitQuerySchema, req.query, "query");
    const input = {
      matter: body.matter,
      applicant: body.applicant,
      evidence: body.evidence.map((e) => ("documentId" in e ? e : { pdfBytes: new Uint8Array(Buffer.from(e.pdfBase64, "base64")) })),
      commitment: body.commitment,
      selfReview: body.selfReview,
    };
    const app = await service.submit(department.code, input, { waitFor: wait });
    // 202: accepted, its review (status accepted) or its decision (deciding) waits for the chain.
    const waiting = isQueued(app) || app.status === "deciding";
    res.status(waiting ? 202 : 201).location(`/api/applications/${app.id}`).json(applicationView(service, app));
  });
  router.get("/api/applications", requireOperator(deps.tokens), (req, res) => {
    const { department } = servedDepartmentOf(deps, res);
    const { status, limit } = parseRequest(ListApplicationsQuerySchema, req.query, "query");
    const records = applications.listForDepartment({ departmentCode: department.code, status, limit });
    res.json({ applications: records.map((app) => applicationView(service, app)) });
  });
  router.get("/api/applications/:id", requireOperator(deps.tokens), (req, res) => {
    const { department } = servedDepartmentOf(deps, res);
    const { id } = parseRequest(ApplicationIdParamsSchema, req.params, "params");
    const app = service.get(id);
    if (department.code !== app.departmentCode && department.code !== app.acceptedBy) {
      throw new ForbiddenError("MATTER_NOT_HANDLED", `Application ${id} is handled by ${app.departmentCode}`);
    }
    res.json(applicationView(service, app));
  });
  router.post("/api/applications/:id/signatures", requireOperator(deps.tokens), jsonBody(deps.limits), async (req, res) => {
    const { department } = servedDepartmentOf(deps, res);
    const { id } = parseRequest(ApplicationIdParamsSchema, req.params, "params");
    const body = parseRequest(SignatureBodySchema, req.body, "body");
    const { wait } = parseRequest(DecisionWaitQuerySchema, req.query, "query");
    const signature = { role: body.role, ...(body.signatureBase64 ? { signatureDer: new Uint8Array(Buffer.from(body.signatureBase64, "base64")) } : {}) };
    const app = await service.sign(id, department.code, signature, { waitFor: wait });
    res.status(app.status === "awaiting-signatures" || app.status === "deciding" ? 202 : 201).json(applicationView(service, app));
  });
  router.post("/api/applications/:id/post-check", requireOperator(deps.tokens), jsonBody(deps.limits), async (req, res) => {
    const { department } = servedDepartmentOf(deps, res);
    const { id } = parseRequest(ApplicationIdParamsSchema, req.params, "params");
    const { passed } = parseRequest(PostCheckBodySchema, req.body, "body");
    res.json(applicationView(service, await service.postCheck(id, department.code, passed)));
  });
  return router;
}
