// Operator API tokens. The secret is shown once; only its SHA-256 is kept. A secret carries its
// token id (zs_<id>_<random>), so resolving is one primary-key lookup followed by a constant-time
// comparison of the hashes: response time says nothing about how much of a guess was right.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Clock } from "../clock";
import type { Db } from "./database";
import type { OperatorIdentity, TokenStore } from "./types";

interface TokenRow {
  id: string;
  department_code: string;
  label: string;
  secret_sha256: Buffer;
  revoked_at_ms: number | null;
}

const SECRET_FORMAT = /^zs_([0-9a-f]{16})_[A-Za-z0-9_-]{43}$/;

/** The TokenStore over `db`. */
export function createTokenStore(db: Db, clock: Pick<Clock, "now">): TokenStore {
  const insert = db.prepare(
    "INSERT INTO api_tokens (id, department_code, label, secret_sha256, created_at_ms) VALUES (?, ?, ?, ?, ?)",
  );
  const byId = db.prepare<[string], TokenRow>("SELECT * FROM api_tokens WHERE id = ?");
  return {
    createToken(departmentCode, label) {
      const tokenId = randomBytes(8).toString("hex");
      const secret = `zs_${tokenId}_${randomBytes(32).toString("base64url")}`;
      insert.run(tokenId, departmentCode, label, sha256(secret), clock.now());
      return { tokenId, secret };
    },
    resolveToken(secret): OperatorIdentity | undefined {
      const match = SECRET_FORMAT.exec(secret);
      if (!match) return undefined;
      const row = byId.get(match[1]);
      if (!row || row.revoked_at_ms !== null) return undefined;
      if (!timingSafeEqual(sha256(secret), row.secret_sha256)) return undefined;
      return { tokenId: row.id, departmentCode: row.department_code, label: row.label };
    },
  };
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}
