// GET /api/departments: the trust registry as the chain holds it (departments, whether active,
// their signing keys with role and validity window), so a client can see whose keys it trusts.
import { Router } from "express";
import type { RouterDeps } from "./app";

export function departmentsRouter(deps: RouterDeps): Router {
  const router = Router();
  router.get("/api/departments", deps.publicLimiter, async (_req, res) => {
    res.json({ departments: await deps.listDepartments() });
  });
  return router;
}
