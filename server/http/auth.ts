// Operator authentication for the staff endpoints: `Authorization: Bearer <secret>`, resolved by
// the token store (which keeps only hashes and compares in constant time). The resolved operator
// acts for its own department only; routers compare it with the document's department.
import type { RequestHandler, Response } from "express";
import { UnauthorizedError } from "../errors";
import type { OperatorIdentity, TokenStore } from "../store/types";

/** Longest secret looked up; anything longer cannot be a token and is refused before hashing. */
const MAX_SECRET_CHARS = 256;

/** Middleware: resolves the bearer token or fails with 401 TOKEN_MISSING / TOKEN_INVALID. */
export function requireOperator(tokens: TokenStore): RequestHandler {
  return (req, res, next) => {
    const header = req.get("authorization");
    if (header === undefined || header.trim() === "") {
      throw new UnauthorizedError("TOKEN_MISSING", "This endpoint needs an operator token: Authorization: Bearer <token>");
    }
    const match = /^Bearer +([\x21-\x7e]+) *$/i.exec(header);
    const operator = match && match[1].length <= MAX_SECRET_CHARS ? tokens.resolveToken(match[1]) : undefined;
    if (!operator) throw new UnauthorizedError("TOKEN_INVALID", "The operator token is unknown or revoked");
    res.locals.operator = operator;
    next();
  };
}

/** The operator that requireOperator resolved for this request. */
export function operatorOf(res: Response): OperatorIdentity {
  const operator: unknown = res.locals.operator;
  if (!isOperator(operator)) throw new Error("operatorOf() on a route without requireOperator");
  return operator;
}

function isOperator(value: unknown): value is OperatorIdentity {
  return typeof value === "object" && value !== null && typeof (value as OperatorIdentity).departmentCode === "string";
}
