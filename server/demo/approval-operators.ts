// The accounts each served department's approval service sends decisions with: a second operator
// per department, beside the anchoring queue's, so decisions never race the queue for a nonce.
// Generated once and kept in <data>/approval-operators.json (mode 0600). Dev keys only.
import path from "node:path";
import { Wallet } from "ethers";
import { z } from "zod";
import { readIfExists, writePrivateFile } from "../pki/key-files";
import type { DemoOperator } from "./operators";

const FileSchema = z.array(z.object({ departmentCode: z.string(), address: z.string(), privateKey: z.string() }));

/** Loads the approval operators, adding a fresh account for any of `departmentCodes` without one. */
export async function ensureApprovalOperators(dataDir: string, departmentCodes: readonly string[]): Promise<DemoOperator[]> {
  const file = path.join(dataDir, "approval-operators.json");
  const text = await readIfExists(file);
  const operators: DemoOperator[] = text === undefined ? [] : FileSchema.parse(JSON.parse(text));
  let changed = false;
  for (const departmentCode of departmentCodes) {
    if (operators.some((op) => op.departmentCode === departmentCode)) continue;
    const wallet = Wallet.createRandom();
    operators.push({ departmentCode, address: wallet.address, privateKey: wallet.privateKey });
    changed = true;
  }
  if (changed) await writePrivateFile(file, JSON.stringify(operators, null, 2) + "\n");
  return operators.filter((op) => departmentCodes.includes(op.departmentCode));
}
