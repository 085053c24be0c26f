// The site: the public verification page (/, /verify), the record page a certificate's QR code
// opens (/v/:id), the registry, the public filings and the department console, each an HTML shell
// whose script under /static/ calls the JSON API and renders its answers; verdicts come only from
// the API. Everything is served from this process: the machines it runs on are offline.
import { existsSync } from "node:fs";
import path from "node:path";
import express, { Router, type RequestHandler } from "express";
import { renderPage, type PageSpec } from "./page-shell";
import { CONSOLE_PAGE, FILINGS_PAGE, RECORD_PAGE, REGISTRY_PAGE, VERIFY_PAGE } from "./pages";
import { reasonTablesScript } from "./reason-text";

/**
 * Own scripts and styles only, no inline code, no other origin; unlike helmet's default, no
 * upgrade-insecure-requests, since a department's node is often reached over plain HTTP on its LAN.
 */
const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
  "base-uri 'none'",
].join("; ");

/** The static files ship as source beside this file; from dist/ they are found in the source tree. */
function staticDir(): string {
  const candidates = [path.join(__dirname, "static"), path.resolve(__dirname, "../../../server/web/static")];
  const found = candidates.find((dir) => existsSync(path.join(dir, "site.js")));
  if (!found) throw new Error(`the web pages' static files are missing (looked in ${candidates.join(", ")})`);
  return found;
}

const setCsp: RequestHandler = (_req, res, next) => {
  res.setHeader("Content-Security-Policy", PAGE_CSP);
  next();
};

export function webRouter(): Router {
  const router = Router();
  const send = (spec: PageSpec): RequestHandler => {
    const html = renderPage(spec);
    return (_req, res) => {
      res.type("html").setHeader("Cache-Control", "no-cache");
      res.send(html);
    };
  };
  const reasonsJs = reasonTablesScript();
  router.use(["/static", "/verify", "/v", "/registry", "/filings", "/console"], setCsp);
  router.get("/", setCsp, send({ nav: "verify", ...VERIFY_PAGE }));
  router.get("/verify", send({ nav: "verify", ...VERIFY_PAGE }));
  router.get("/v/:id", send({ nav: "verify", ...RECORD_PAGE }));
  router.get("/registry", send({ nav: "registry", ...REGISTRY_PAGE }));
  router.get("/filings", send({ nav: "filings", ...FILINGS_PAGE }));
  router.get("/console", send({ nav: "console", ...CONSOLE_PAGE }));
  router.get("/static/reasons.js", (_req, res) => {
    res.type("application/javascript").setHeader("Cache-Control", "no-cache");
    res.send(reasonsJs);
  });
  router.use("/static", express.static(staticDir(), { index: false, fallthrough: true, maxAge: 0 }));
  return router;
}
