// Operator API tokens. The secret is shown once; only its SHA-256 is kept. A secret carries its
// token id (zs_<id>_<random>), so resolving is one primary-key lookup followed by a constant-time
// comparison of the hashes: response time says nothing about how much of a guess was right.
// Every token expires (a leaked one stops working on its own) and can be revoked at once.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Clock } from "../clock";
import { BadRequestError, ConflictError, NotFoundError } from "../errors";
import type { Db } from "./database";
import type { TokenInfo, TokenResolution, TokenStore } from "./types";

interface TokenRow {
  id: string;
  department_code: string;
  label: string;
  secret_sha256: Buffer;
  created_at_ms: number;
  expires_at_ms: number;
  revoked_at_ms: number | null;
}

/** How long a token is valid unless its creator says otherwise (TOKEN_VALID_DAYS, `--days`). */
export const DEFAULT_TOKEN_VALID_DAYS = 90;
/** Longest validity a token may be given: ten years. */
export const MAX_TOKEN_VALID_DAYS = 3650;

const DAY_MS = 86_400_000;
const SECRET_FORMAT = /^zs_([0-9a-f]{16})_[A-Za-z0-9_-]{43}$/;

/** The TokenStore over `db`. */
export function createTokenStore(db: Db, clock: Pick<Clock, "now">): TokenStore {
  const insert = db.prepare(
    "INSERT INTO api_tokens (id, department_code, label, secret_sha256, created_at_ms, expires_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
  );
  const byId = db.prepare<[string], TokenRow>("SELECT * FROM api_tokens WHERE id = ?");
  const all = db.prepare<[], TokenRow>("SELECT * FROM api_tokens ORDER BY created_at_ms DESC, id");
  const revoke = db.prepare("UPDATE api_tokens SET revoked_at_ms = ? WHERE id = ? AND revoked_at_ms IS NULL");
  return {
    createToken(departmentCode, label, opts = {}) {
      const validDays = opts.validDays ?? DEFAULT_TOKEN_VALID_DAYS;
      if (!Number.isInteger(validDays) || validDays < 1 || validDays > MAX_TOKEN_VALID_DAYS) {
        throw new BadRequestError("TOKEN_DAYS_INVALID", `A token is valid for 1 to ${MAX_TOKEN_VALID_DAYS} whole days, not ${validDays}`);
      }
      const tokenId = randomBytes(8).toString("hex");
      const secret = `zs_${tokenId}_${randomBytes(32).toString("base64url")}`;
      const createdAtMs = clock.now();
      const expiresAtMs = createdAtMs + validDays * DAY_MS;
      insert.run(tokenId, departmentCode, label, sha256(secret), createdAtMs, expiresAtMs);
      return { tokenId, secret, expiresAtMs };
    },
    resolveToken(secret): TokenResolution {
      const match = SECRET_FORMAT.exec(secret);
      const row = match ? byId.get(match[1]) : undefined;
      if (!row || !timingSafeEqual(sha256(secret), row.secret_sha256)) return { status: "unknown" };
      if (row.revoked_at_ms !== null) return { status: "revoked", tokenId: row.id };
      if (clock.now() >= row.expires_at_ms) return { status: "expired", tokenId: row.id };
      return { status: "valid", operator: { tokenId: row.id, departmentCode: row.department_code, label: row.label } };
    },
    listTokens: () => all.all().map(toInfo),
    revokeToken(tokenId) {
      const row = byId.get(tokenId);
      if (!row) throw new NotFoundError("TOKEN_NOT_FOUND", `No token ${tokenId}`);
      const nowMs = clock.now();
      if (revoke.run(nowMs, tokenId).changes === 0) {
        throw new ConflictError("TOKEN_ALREADY_REVOKED", `Token ${tokenId} is already revoked`);
      }
      return toInfo({ ...row, revoked_at_ms: nowMs });
    },
  };
}

function toInfo(row: TokenRow): TokenInfo {
  return {
    tokenId: row.id,
    departmentCode: row.department_code,
    label: row.label,
    createdAtMs: row.created_at_ms,
    expiresAtMs: row.expires_at_ms,
    ...(row.revoked_at_ms !== null ? { revokedAtMs: row.revoked_at_ms } : {}),
  };
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}
