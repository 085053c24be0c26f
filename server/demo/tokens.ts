// Demo operator API tokens, one per served department, created on the first start and kept with
// their secrets in <data>/demo-tokens.json (mode 0600); the store keeps only their hashes. A secret
// is printed once, when created; later starts say where it is. A demo token that expired or was
// revoked is not replaced behind the operator's back (that would undo the revocation): the start
// says how to create a new one. A real department hands tokens out and never writes them down.
import path from "node:path";
import { z } from "zod";
import { readIfExists, writePrivateFile } from "../pki/key-files";
import type { TokenStore } from "../store/types";

/** A recorded demo token, as demo-tokens.json holds it. */
export interface DemoToken {
  departmentCode: string;
  tokenId: string;
  secret: string;
}

/** A served department's demo token at this start; the secret only when it was created now. */
export type DemoTokenState =
  | { status: "created"; departmentCode: string; tokenId: string; secret: string; expiresAtMs: number }
  | { status: "valid"; departmentCode: string; tokenId: string; expiresAtMs: number }
  | { status: "expired" | "revoked"; departmentCode: string; tokenId: string };

const TokensFileSchema = z.array(z.object({ departmentCode: z.string(), tokenId: z.string(), secret: z.string() }));

/** Where the demo tokens are kept. */
export function demoTokensFile(dataDir: string): string {
  return path.join(dataDir, "demo-tokens.json");
}

/**
 * The demo token of each department in `departmentCodes`: the recorded one, whatever its state,
 * or a new one (recorded) when none is recorded or the store does not know it (a new database).
 */
export async function ensureDemoTokens(
  dataDir: string,
  tokens: TokenStore,
  departmentCodes: readonly string[],
  opts: { validDays?: number } = {},
): Promise<DemoTokenState[]> {
  const file = demoTokensFile(dataDir);
  const text = await readIfExists(file);
  const recorded: DemoToken[] = text === undefined ? [] : TokensFileSchema.parse(JSON.parse(text));
  const expiries = new Map(tokens.listTokens().map((t) => [t.tokenId, t.expiresAtMs]));
  const kept: DemoToken[] = [];
  const result: DemoTokenState[] = [];
  for (const departmentCode of departmentCodes) {
    const known = recorded.find((t) => t.departmentCode === departmentCode);
    const resolved = known ? tokens.resolveToken(known.secret) : undefined;
    if (known && resolved?.status === "valid" && resolved.operator.departmentCode === departmentCode) {
      kept.push(known);
      result.push({ status: "valid", departmentCode, tokenId: known.tokenId, expiresAtMs: expiries.get(known.tokenId) ?? 0 });
    } else if (known && (resolved?.status === "expired" || resolved?.status === "revoked")) {
      kept.push(known);
      result.push({ status: resolved.status, departmentCode, tokenId: resolved.tokenId });
    } else {
      const created = tokens.createToken(departmentCode, "demo operator", { validDays: opts.validDays });
      kept.push({ departmentCode, tokenId: created.tokenId, secret: created.secret });
      result.push({ status: "created", departmentCode, ...created });
    }
  }
  if (result.some((t) => t.status === "created")) {
    const others = recorded.filter((t) => !departmentCodes.includes(t.departmentCode));
    await writePrivateFile(file, JSON.stringify([...others, ...kept], null, 2) + "\n");
  }
  return result;
}

/** The start-up line about a demo token: its secret only on the start that created it. */
export function describeDemoToken(token: DemoTokenState, dataDir: string): string {
  const file = demoTokensFile(dataDir);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  switch (token.status) {
    case "created":
      return `${token.secret} (new, shown once; kept in ${file}; expires ${day(token.expiresAtMs)})`;
    case "valid":
      return `${token.tokenId}, secret in ${file} (expires ${day(token.expiresAtMs)})`;
    case "expired":
    case "revoked":
      return `demo token ${token.tokenId} is ${token.status}; see npx zerosign token list --data ${dataDir}, or create one with npx zerosign token create --dept ${token.departmentCode} --data ${dataDir}`;
  }
}
