// The one place an error becomes an HTTP response (STYLE.md): a ZeroSignError gives its status and
// `{ code, reason }`; a zod failure gives 400 INVALID_REQUEST naming the field; a body-parser
// failure gives its 4xx; anything else is a bug: 500 INTERNAL, logged with the request id, and
// nothing of it in the body. Also the JSON 404 for routes that do not exist.
import type { ErrorRequestHandler, RequestHandler } from "express";
import { z } from "zod";
import { NotFoundError, ZeroSignError } from "../errors";
import { TemplateError } from "../pdf/template-error";
import { ServiceBusyError } from "../workers/pool-errors";

/** Every error response body. `field` names the offending request field when there is one. */
export interface ErrorBody {
  code: string;
  reason: string;
  field?: string;
}

/** body-parser's error types, as its errors carry them in `type`, with the code clients see. */
const BODY_PARSER_ERRORS: Record<string, { status: number; code: string; reason: string }> = {
  "entity.parse.failed": { status: 400, code: "INVALID_JSON", reason: "The request body is not valid JSON" },
  "entity.too.large": { status: 413, code: "BODY_TOO_LARGE", reason: "The request body is larger than this endpoint accepts" },
  "entity.verify.failed": { status: 400, code: "INVALID_REQUEST", reason: "The request body was refused" },
  "encoding.unsupported": { status: 415, code: "ENCODING_UNSUPPORTED", reason: "Content-Encoding is not supported; send the body uncompressed" },
  "charset.unsupported": { status: 415, code: "CHARSET_UNSUPPORTED", reason: "Only UTF-8 JSON is accepted" },
  "request.aborted": { status: 400, code: "REQUEST_ABORTED", reason: "The request body ended early" },
  "request.size.invalid": { status: 400, code: "REQUEST_SIZE_INVALID", reason: "The request body's length differs from Content-Length" },
  "stream.encoding.set": { status: 500, code: "INTERNAL", reason: "Internal error" },
  "parameters.too.many": { status: 413, code: "BODY_TOO_LARGE", reason: "Too many parameters" },
};

/** Maps `err` to a status and body; `internal` is true when it is a bug to log. */
export function errorResponse(err: unknown): { status: number; body: ErrorBody; internal: boolean } {
  if (err instanceof ZeroSignError && err.httpStatus < 500 && err.httpStatus >= 400) {
    const field = err instanceof TemplateError ? templateField(err.field) : undefined;
    return { status: err.httpStatus, body: { code: err.code, reason: err.message, ...(field ? { field } : {}) }, internal: false };
  }
  if (err instanceof ZeroSignError && err.httpStatus !== 500) {
    // 502/503: the chain or another dependency; the message is written to be safe to show.
    return { status: err.httpStatus, body: { code: err.code, reason: err.message }, internal: false };
  }
  if (err instanceof z.ZodError) {
    const issue = err.issues[0];
    const field = issue.path.map(String).join(".");
    return { status: 400, body: { code: "INVALID_REQUEST", reason: `${field || "request"}: ${issue.message}`, field }, internal: false };
  }
  const bodyParser = bodyParserError(err);
  if (bodyParser) {
    const known = BODY_PARSER_ERRORS[bodyParser.type];
    if (known && known.status < 500) return { status: known.status, body: { code: known.code, reason: known.reason }, internal: false };
  }
  return { status: 500, body: { code: "INTERNAL", reason: "Internal error; the server logged it with this request's id" }, internal: true };
}

/** The error middleware: last in the chain. */
export const handleErrors: ErrorRequestHandler = (err, req, res, _next) => {
  const { status, body, internal } = errorResponse(err);
  if (internal) req.log.error({ err, reqId: req.id }, "request failed");
  else if (status >= 500) req.log.warn({ code: body.code, reqId: req.id }, body.reason);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (status === 401) res.setHeader("WWW-Authenticate", 'Bearer realm="zerosign"');
  if (err instanceof ServiceBusyError) res.setHeader("Retry-After", String(err.retryAfterSec));
  res.status(status).json(body);
};

/** The JSON 404 for any route not defined. */
export const handleUnknownRoute: RequestHandler = (req, _res, next) => {
  next(new NotFoundError("ROUTE_NOT_FOUND", `No endpoint ${req.method} ${req.path}`));
};

/** The template fields sit in the request body, so the field names the body path. */
function templateField(field: string): string {
  return field === "" ? "body" : `body.${field}`;
}

function bodyParserError(err: unknown): { type: string } | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const type = (err as { type?: unknown }).type;
  return typeof type === "string" ? { type } : undefined;
}
