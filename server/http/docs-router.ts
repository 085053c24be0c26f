// GET /api/openapi.json and GET /api/docs: the API describing itself (GET / is the public site, server/web/). The document is built
// once per app and served as is. GET /api/health: the HTTP loop is answering (verification and
// signing run in workers, so it answers while they are busy).
import { Router } from "express";
import { renderDocsPage } from "./docs-page";
import { buildOpenApiDocument } from "./openapi";

export function docsRouter(): Router {
  const router = Router();
  const doc = buildOpenApiDocument();
  const docsHtml = renderDocsPage(doc);
  router.get("/api/openapi.json", (_req, res) => {
    res.json(doc);
  });
  router.get("/api/docs", (_req, res) => {
    res.type("html").send(docsHtml);
  });
  router.get("/api/health", (_req, res) => {
    res.json({ status: "ok" });
  });
  return router;
}
