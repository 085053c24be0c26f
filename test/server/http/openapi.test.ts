// The OpenAPI document and the express app agree: every route the app serves is a path and method
// in the document, and every operation in the document is a route. The docs page renders every
// operation and loads nothing from elsewhere.
import { expect } from "chai";
import type express from "express";
import pino from "pino";
import type { ApprovalService } from "../../../server/approvals/approval-service";
import type { ApprovalsChain } from "../../../server/approvals/approvals-chain";
import { createApp } from "../../../server/http/app";
import { renderDocsPage } from "../../../server/http/docs-page";
import { buildOpenApiDocument } from "../../../server/http/openapi";
import type { CertificateFonts } from "../../../server/pdf/fonts";

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** "METHOD /path/{param}" for every route of `app`, from express's router stack. */
function routesOf(app: express.Express): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) found.push(`${method.toUpperCase()} ${layer.route.path.replace(/:(\w+)/g, "{$1}")}`);
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return found.sort();
}

/** The app with capabilities that are never called: route listing only. */
function appForListing(): express.Express {
  const never = () => {
    throw new Error("not called when listing routes");
  };
  return createApp({
    documents: { addDocument: never, getDocument: never, getDocumentByHash: never, listDocuments: never, readPdf: never, markRevoked: never },
    tokens: { createToken: never, resolveToken: never, listTokens: never, revokeToken: never },
    anchors: { enqueue: never, state: never, start: never, stop: never },
    departments: [],
    fonts: {} as CertificateFonts,
    chain: undefined,
    pool: { run: never, stats: never, close: never },
    listDepartments: never,
    revokeOnChain: never,
    publicBaseUrl: "http://127.0.0.1",
    logger: pino({ level: "silent" }),
    clock: { now: () => 0 },
    // Routers only keep these; listing calls none of their methods.
    approvals: { service: {} as ApprovalService, chain: {} as ApprovalsChain, applications: { listForDepartment: never } },
  });
}

describe("OpenAPI document", function () {
  const doc = buildOpenApiDocument();
  const documented = Object.entries(doc.paths)
    .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();

  it("lists exactly the app's API routes (the public pages are in docs/web.md)", function () {
    const routes = routesOf(appForListing()).filter((r) => r.split(" ")[1].startsWith("/api/"));
    expect(routes).to.include("POST /api/verify");
    expect(routes).to.deep.equal(documented);
  });

  it("is OpenAPI 3.1 with an error schema, every $ref resolvable and every operation with responses", function () {
    expect(doc.openapi).to.equal("3.1.0");
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]);
    for (const name of refs) expect(doc.components.schemas, name).to.have.property(name);
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        expect(Object.keys(op.responses), `${method} ${path}`).to.satisfy((codes: string[]) => codes.some((c) => c.startsWith("2")));
        for (const param of (path.match(/\{(\w+)\}/g) ?? []).map((p) => p.slice(1, -1))) {
          expect(op.parameters?.some((p) => p.in === "path" && p.name === param), `${method} ${path} ${param}`).to.equal(true);
        }
      }
    }
  });

  it("describes the request bodies from the routers' own zod schemas", function () {
    const issue = doc.paths["/api/certificates"].post?.requestBody?.content["application/json"].schema as { properties: Record<string, unknown>; required: string[] };
    expect(issue.properties).to.have.property("holder");
    expect(issue.properties).not.to.have.property("department");
    expect(issue.properties).not.to.have.property("certificateIdentifier");
    expect(issue.properties).to.have.property("identifierPrefix");
    expect(issue.required).not.to.include("identifierPrefix");
    const revoke = doc.paths["/api/documents/{id}/revocation"].post?.requestBody?.content["application/json"].schema;
    expect(revoke).to.deep.include({ required: ["reasonCode"] });
  });

  it("renders a docs page with every operation and nothing loaded from elsewhere", function () {
    const html = renderDocsPage(doc);
    for (const path of Object.keys(doc.paths)) expect(html).to.contain(`<code>${path}</code>`);
    expect(html).not.to.match(/<script|<link|src=|https?:\/\/(?!json-schema)/i);
  });
});
