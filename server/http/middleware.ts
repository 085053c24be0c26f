// Small middleware the routers share: a JSON body parser that insists on application/json, and
// the rate limiter of the public endpoints (one per app, so its counts live and die with the app).
import express, { type RequestHandler } from "express";
import { rateLimit } from "express-rate-limit";
import { UnsupportedMediaError, ZeroSignError } from "../errors";
import type { HttpLimits } from "./app";

/** Parses a JSON body of at most `maxJsonBytes`; another Content-Type is 415, bad JSON 400. */
export function jsonBody(limits: HttpLimits): RequestHandler {
  const parse = express.json({ limit: limits.maxJsonBytes, strict: true, inflate: false, type: "application/json" });
  return (req, res, next) => {
    if (!req.is("application/json")) {
      return next(new UnsupportedMediaError("UNSUPPORTED_MEDIA_TYPE", "Send the body as Content-Type application/json"));
    }
    parse(req, res, next);
  };
}

/**
 * Limits each client IP on the public endpoints; over the limit: 429 RATE_LIMITED with Retry-After.
 * The IP is Express's req.ip: the peer's address, or, from a peer `limits.trustProxy` trusts (the
 * app sets it), the client named in X-Forwarded-For. Untrusted peers' X-Forwarded-For is ignored,
 * so a client cannot dodge its bucket by forging one.
 */
export function publicRateLimit(limits: HttpLimits): RequestHandler {
  return rateLimit({
    windowMs: limits.publicWindowMs,
    limit: limits.publicRequestsPerWindow,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    // Its check for X-Forwarded-For without `trust proxy` writes to the console whenever any client
    // sends the header; TRUST_PROXY is the deployer's setting, documented in the README instead.
    validate: { xForwardedForHeader: false },
    handler: (_req, _res, next) => {
      next(new ZeroSignError("RATE_LIMITED", "Too many requests from this address; try again later", { httpStatus: 429 }));
    },
  });
}
