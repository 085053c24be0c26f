// 自审备案's public side: GET /api/filings (filings in notice, hashes only) and
// POST /api/filings/{id}/objections (anyone, rate-limited like every public endpoint); the owning
// department's operator resolves objections and closes a filing whose notice is over.
import { Router } from "express";
import type { ApprovalService } from "../approvals/approval-service";
import type { RouterDeps } from "./app";
import { ApplicationIdParamsSchema, ObjectionBodySchema, ObjectionParamsSchema, ResolutionBodySchema } from "./application-schemas";
import { applicationView } from "./application-view";
import { requireOperator } from "./auth";
import { jsonBody } from "./middleware";
import { servedDepartmentOf } from "./staff-access";
import { parseRequest } from "./validate";

export function filingsRouter(deps: RouterDeps, service: ApprovalService): Router {
  const router = Router();
  router.get("/api/filings", deps.publicLimiter, (_req, res) => {
    res.json({ filings: service.filings() });
  });
  router.post("/api/filings/:id/objections", deps.publicLimiter, jsonBody(deps.limits), async (req, res) => {
    const { id } = parseRequest(ApplicationIdParamsSchema, req.params, "params");
    const { text } = parseRequest(ObjectionBodySchema, req.body, "body");
    res.status(201).json(await service.object(id, text));
  });
  router.post("/api/filings/:id/objections/:objectionId/resolution", requireOperator(deps.tokens), jsonBody(deps.limits), async (req, res) => {
    const { department } = servedDepartmentOf(deps, res);
    const { id, objectionId } = parseRequest(ObjectionParamsSchema, req.params, "params");
    const { upheld } = parseRequest(ResolutionBodySchema, req.body, "body");
    res.json(await service.resolveObjection(id, objectionId, department.code, upheld));
  });
  router.post("/api/filings/:id/close", requireOperator(deps.tokens), async (req, res) => {
    servedDepartmentOf(deps, res);
    const { id } = parseRequest(ApplicationIdParamsSchema, req.params, "params");
    res.json(applicationView(service, await service.closeFiling(id)));
  });
  return router;
}
