// Demo operator API tokens, one per served department, created once and kept with their secrets
// in <data>/demo-tokens.json (mode 0600) so every start prints the same working tokens. The store
// itself keeps only their hashes; a real department hands tokens out and never writes them down.
import path from "node:path";
import { z } from "zod";
import { readIfExists, writePrivateFile } from "../pki/key-files";
import type { TokenStore } from "../store/types";

export interface DemoToken {
  departmentCode: string;
  tokenId: string;
  secret: string;
}

const TokensFileSchema = z.array(z.object({ departmentCode: z.string(), tokenId: z.string(), secret: z.string() }));

/**
 * Returns a working token per department in `departmentCodes`: the recorded one if the store
 * still resolves it to that department, else a new one (recorded in place of the old).
 */
export async function ensureDemoTokens(dataDir: string, tokens: TokenStore, departmentCodes: readonly string[]): Promise<DemoToken[]> {
  const file = path.join(dataDir, "demo-tokens.json");
  const text = await readIfExists(file);
  const recorded: DemoToken[] = text === undefined ? [] : TokensFileSchema.parse(JSON.parse(text));
  let changed = false;
  const result: DemoToken[] = [];
  for (const departmentCode of departmentCodes) {
    const known = recorded.find((t) => t.departmentCode === departmentCode);
    if (known && tokens.resolveToken(known.secret)?.departmentCode === departmentCode) {
      result.push(known);
      continue;
    }
    const created = tokens.createToken(departmentCode, "demo operator");
    result.push({ departmentCode, ...created });
    changed = true;
  }
  if (changed) {
    const others = recorded.filter((t) => !departmentCodes.includes(t.departmentCode));
    await writePrivateFile(file, JSON.stringify([...others, ...result], null, 2) + "\n");
  }
  return result;
}
