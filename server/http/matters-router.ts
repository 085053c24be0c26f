// GET /api/matters (the matter catalog as this node seeds it and the chain holds it, with each path's current rule
// version and circuit breaker read from the chain) and GET /api/statistics (per matter and path:
// applications, decisions, human signatures against the baseline, time per stage). Both public.
// POST / DELETE /api/matters/{code}/paths/{path}/suspension: the circuit breaker (熔断), thrown by
// an operator of the owning department; the chain judges who may and records it publicly.
import { Router } from "express";
import type { ApprovalsChain } from "../approvals/approvals-chain";
import type { ApprovalService } from "../approvals/approval-service";
import { ApprovalRefusedError } from "../approvals/chain-errors";
import type { RouterDeps } from "./app";
import { MatterPathParamsSchema, SuspensionBodySchema } from "./application-schemas";
import { requireOperator } from "./auth";
import { jsonBody } from "./middleware";
import { servedDepartmentOf } from "./staff-access";
import { parseRequest } from "./validate";

type PathName = Parameters<ApprovalsChain["pathRules"]>[1];

/** Each path's rules on chain; undefined when the chain's catalog has no such matter. Other failures pass on. */
async function pathsOnChain(chain: ApprovalsChain, code: string, paths: readonly PathName[]) {
  try {
    return await Promise.all(
      paths.map(async (path) => {
        const rules = await chain.pathRules(code, path);
        return { path, allowed: rules.allowed, suspendedReason: rules.suspendedReason, ruleVersion: rules.version };
      }),
    );
  } catch (err) {
    if (err instanceof ApprovalRefusedError && err.code === "MATTER_CATALOG_UNKNOWN_MATTER") return undefined;
    throw err;
  }
}

export function mattersRouter(deps: RouterDeps, service: ApprovalService, chain: ApprovalsChain): Router {
  const router = Router();
  router.get("/api/matters", deps.publicLimiter, async (_req, res) => {
    const listed = await Promise.all(
      service.catalog.map(async (m) => {
        // The demo seed skips a matter whose evidence department is not registered yet: until it
        // is, the chain does not know the matter, and the list shows only the matters it does.
        const paths = await pathsOnChain(chain, m.code, m.paths);
        if (!paths) return undefined;
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
    res.json({ matters: listed.filter((m) => m !== undefined) });
  });
  const suspension = "/api/matters/:code/paths/:path/suspension";
  const pathState = async (code: string, path: PathName, txHash: string) => {
    const rules = await chain.pathRules(code, path);
    return { matter: code, path, suspendedReason: rules.suspendedReason, ruleVersion: rules.version, txHash };
  };
  router.post(suspension, requireOperator(deps.tokens), jsonBody(deps.limits), async (req, res) => {
    const { department } = servedDepartmentOf(deps, res);
    const { code, path } = parseRequest(MatterPathParamsSchema, req.params, "params");
    const { reasonCode } = parseRequest(SuspensionBodySchema, req.body, "body");
    const sent = await chain.suspendPath(department.code, code, path, reasonCode);
    res.json(await pathState(code, path, sent.txHash));
  });
  router.delete(suspension, requireOperator(deps.tokens), async (req, res) => {
    const { department } = servedDepartmentOf(deps, res);
    const { code, path } = parseRequest(MatterPathParamsSchema, req.params, "params");
    const sent = await chain.resumePath(department.code, code, path);
    res.json(await pathState(code, path, sent.txHash));
  });
  router.get("/api/statistics", deps.publicLimiter, (_req, res) => {
    res.json(service.statistics());
  });
  return router;
}
