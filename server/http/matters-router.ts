// GET /api/matters (the matter catalog as this node seeds it, with each path's current rule
// version and circuit breaker read from the chain) and GET /api/statistics (per matter and path:
// applications, decisions, human signatures against the baseline, time per stage). Both public.
import { Router } from "express";
import type { ApprovalsChain } from "../approvals/approvals-chain";
import type { ApprovalService } from "../approvals/approval-service";
import type { RouterDeps } from "./app";

export function mattersRouter(deps: RouterDeps, service: ApprovalService, chain: ApprovalsChain): Router {
  const router = Router();
  router.get("/api/matters", deps.publicLimiter, async (_req, res) => {
    const matters = await Promise.all(
      service.catalog.map(async (m) => {
        const paths = await Promise.all(
          m.paths.map(async (path) => {
            const rules = await chain.pathRules(m.code, path);
            return { path, allowed: rules.allowed, suspendedReason: rules.suspendedReason, ruleVersion: rules.version };
          }),
        );
        return {
          code: m.code,
          name: m.name,
          departmentCode: m.departmentCode,
          baselineSignatures: m.baselineSignatures,
          paths,
          postCheckPeriodSec: m.postCheckPeriodSec,
          noticePeriodSec: m.noticePeriodSec,
          evidence: m.evidence.map((e) => ({ kind: e.kind, departmentCode: e.departmentCode, paths: e.paths, label: e.label })),
          instantRules: m.instantRules.map((r) => ({ evidence: r.evidence, field: r.field, test: r.test, description: r.description })),
        };
      }),
    );
    res.json({ matters });
  });
  router.get("/api/statistics", deps.publicLimiter, (_req, res) => {
    res.json(service.statistics());
  });
  return router;
}
