// createApp: the HTTP API as an express app over the capabilities it is given (store, anchoring
// queue, signers, fonts, chain), so main.ts and tests wire real parts freshly and nothing here
// holds state of its own. Middleware order matters: request id and logging first, so every
// response (even a 404 or a rate-limit refusal) carries X-Request-Id; errors last.
import { randomUUID } from "node:crypto";
import express, { type RequestHandler } from "express";
import helmet from "helmet";
import type { Logger } from "pino";
import { pinoHttp } from "pino-http";
import type { AnchorQueue } from "../anchor/types";
import type { ApprovalService } from "../approvals/approval-service";
import type { ApprovalsChain } from "../approvals/approvals-chain";
import type { RecordFinder } from "../chain/find-record";
import type { RegistryDepartmentView } from "../chain/list-departments";
import type { RevokeOnChain } from "../chain/revoke-document";
import type { TrustProxy } from "../config";
import type { CertificateFonts } from "../pdf/fonts";
import type { SigningRole } from "../pki/dev-pki";
import type { Signer } from "../pki/signer";
import type { DocumentStore, TokenStore } from "../store/types";
import type { ChainReader } from "../verify/chain-reader";
import type { WorkerPool } from "../workers/worker-pool";
import { certificatesRouter } from "./certificates-router";
import { countersignaturesRouter } from "./countersignatures-router";
import { departmentsRouter } from "./departments-router";
import { docsRouter } from "./docs-router";
import { documentsRouter } from "./documents-router";
import { handleErrors, handleUnknownRoute } from "./errors";
import { applicationsRouter, type ApplicationQueue } from "./applications-router";
import { filingsRouter } from "./filings-router";
import { mattersRouter } from "./matters-router";
import { publicRateLimit } from "./middleware";
import { recordsRouter } from "./records-router";
import { revocationsRouter } from "./revocations-router";
import { verifyRouter } from "./verify-router";
import { webRouter } from "../web/web-router";

/** A department this node issues, seals and countersigns for, with its signing keys. */
export interface ServedDepartment {
  /** Registry code, e.g. SAMR (on chain: encodeBytes32String(code)). */
  code: string;
  /** Display name, lettered on seals and certificates, e.g. 市场监督管理局. */
  name: string;
  /** The department's signer for a role (DevPki.signerFor in the embedded mode). */
  signerFor(role: SigningRole): Signer;
}

/** Limits of the HTTP layer; every field has a default in {@link DEFAULT_HTTP_LIMITS}. */
export interface HttpLimits {
  /** Largest PDF accepted by verify and seal uploads (413 above). */
  maxPdfBytes: number;
  /** Largest JSON body (413 above). */
  maxJsonBytes: number;
  /** Public endpoints: requests per client IP per window before 429 RATE_LIMITED. */
  publicRequestsPerWindow: number;
  publicWindowMs: number;
  /** Express's `trust proxy`: which peers' X-Forwarded-For names the client the rate limit counts. */
  trustProxy: TrustProxy;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  maxPdfBytes: 20 * 1024 * 1024,
  maxJsonBytes: 64 * 1024,
  publicRequestsPerWindow: 120,
  publicWindowMs: 60_000,
  trustProxy: false,
};

/** Everything the HTTP API calls. Built in main.ts; tests build the same from real parts. */
export interface AppDeps {
  documents: DocumentStore;
  tokens: TokenStore;
  anchors: AnchorQueue;
  /** The departments this node serves; a token of another department gets 403 DEPARTMENT_NOT_SERVED. */
  departments: readonly ServedDepartment[];
  fonts: CertificateFonts;
  /** The chain the verifier checks against; undefined: offline (chain checks skipped, verdict at best unknown). */
  chain: ChainReader | undefined;
  /**
   * The worker pool verification, sealing and countersigning run in (server/workers/), so they
   * never block this loop; its size plus its queue bound cap the verifications at once (503 SERVICE_BUSY past it).
   */
  pool: WorkerPool;
  /** Finds a certificate from its QR link's record key for GET /api/records/{id}; undefined: offline. */
  records?: RecordFinder;
  /** The registry view for GET /api/departments (server/chain/list-departments.ts). */
  listDepartments(): Promise<RegistryDepartmentView[]>;
  /** Revokes on the ledger as the department's operator (server/chain/revoke-document.ts). */
  revokeOnChain: RevokeOnChain;
  /** Base URL of the public verification page; QR codes carry `${publicBaseUrl}/v/${id}`. */
  publicBaseUrl: string;
  logger: Logger;
  /** Milliseconds since the epoch (server/clock.ts's Clock satisfies this). */
  clock: { now(): number };
  limits?: Partial<HttpLimits>;
  /** Applications, filings, matters and statistics (server/approvals/); absent: those routes are not served. */
  approvals?: { service: ApprovalService; chain: ApprovalsChain; applications: ApplicationQueue };
}

/** The AppDeps routers see: limits filled in, and the one rate limiter all public endpoints share. */
export type RouterDeps = Omit<AppDeps, "limits"> & { limits: HttpLimits; publicLimiter: RequestHandler };

/** Longest client-supplied X-Request-Id echoed; others get a fresh UUID. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Builds the API. Listen with `app.listen(port)`; the app owns no timers or connections. */
export function createApp(deps: AppDeps): express.Express {
  const limits: HttpLimits = { ...DEFAULT_HTTP_LIMITS, ...deps.limits };
  const d: RouterDeps = { ...deps, limits, publicLimiter: publicRateLimit(limits) };
  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  app.set("trust proxy", limits.trustProxy);
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const given = req.headers["x-request-id"];
        const id = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader("X-Request-Id", id);
        return id;
      },
      // Query strings carry no secrets here, but tokens do travel in headers: log none of them.
      serializers: {
        req: (req: { id: unknown; method: unknown; url: unknown }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: unknown }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "info" : "debug"),
    }),
  );
  app.use(helmet());
  for (const router of [
    // The public site first: its "/" is the verification page.
    webRouter(),
    docsRouter(),
    verifyRouter(d),
    departmentsRouter(d),
    certificatesRouter(d),
    documentsRouter(d),
    countersignaturesRouter(d),
    revocationsRouter(d),
    recordsRouter(d),
    ...(deps.approvals
      ? [applicationsRouter(d, deps.approvals.service, deps.approvals.applications), filingsRouter(d, deps.approvals.service), mattersRouter(d, deps.approvals.service, deps.approvals.chain)]
      : []),
  ]) {
    app.use(router);
  }
  app.use(handleUnknownRoute);
  app.use(handleErrors);
  return app;
}
