// Operator authentication for the staff endpoints: `Authorization: Bearer <secret>`, resolved by
// the token store (which keeps only hashes and compares in constant time). The resolved operator
// acts for its own department only; routers compare it with the document's department.
import type { RequestHandler, Response } from "express";
import { UnauthorizedError } from "../errors";
import type { OperatorIdentity, TokenStore } from "../store/types";

/** Longest secret looked up; anything longer cannot be a token and is refused before hashing. */
const MAX_SECRET_CHARS = 256;

/**
 * Middleware: resolves the bearer token or fails with 401 TOKEN_MISSING, TOKEN_INVALID (unknown),
 * TOKEN_EXPIRED or TOKEN_REVOKED; the last two only for the token's whole secret, so an operator
 * learns to ask for a new token and a guesser learns nothing.
 */
export function requireOperator(tokens: TokenStore): RequestHandler {
  return (req, res, next) => {
    const header = req.get("authorization");
    if (header === undefined || header.trim() === "") {
      throw new UnauthorizedError("TOKEN_MISSING", "This endpoint needs an operator token: Authorization: Bearer <token>");
    }
    const match = /^Bearer +([\x21-\x7e]+) *$/i.exec(header);
    const resolved = match && match[1].length <= MAX_SECRET_CHARS ? tokens.resolveToken(match[1]) : { status: "unknown" as const };
    switch (resolved.status) {
      case "valid":
        res.locals.operator = resolved.operator;
        return next();
      case "expired":
        throw new UnauthorizedError("TOKEN_EXPIRED", `Operator token ${resolved.tokenId} has expired; ask for a new one (zerosign token create)`);
      case "revoked":
        throw new UnauthorizedError("TOKEN_REVOKED", `Operator token ${resolved.tokenId} was revoked`);
      case "unknown":
        throw new UnauthorizedError("TOKEN_INVALID", "The operator token is unknown");
    }
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
