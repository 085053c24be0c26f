// Demo operator accounts, one per demo department, generated once and kept in the data folder
// (mode 0600). Dev keys only: a real department's operator key belongs in its own wallet or HSM.
import path from "node:path";
import { Wallet } from "ethers";
import { z } from "zod";
import { readIfExists, writePrivateFile } from "../pki/key-files";
import type { DemoDepartment } from "./departments";

export interface DemoOperator {
  departmentCode: string;
  address: string;
  privateKey: string;
}

const OperatorsFileSchema = z.array(
  z.object({ departmentCode: z.string(), address: z.string(), privateKey: z.string() }),
);

/** Loads the operators file, adding a fresh account for any department that lacks one. */
export async function ensureDemoOperators(dataDir: string, departments: readonly DemoDepartment[]): Promise<DemoOperator[]> {
  const file = path.join(dataDir, "operators.json");
  const text = await readIfExists(file);
  const operators: DemoOperator[] = text === undefined ? [] : OperatorsFileSchema.parse(JSON.parse(text));
  let changed = false;
  for (const dept of departments) {
    if (operators.some((op) => op.departmentCode === dept.code)) continue;
    const wallet = Wallet.createRandom();
    operators.push({ departmentCode: dept.code, address: wallet.address, privateKey: wallet.privateKey });
    changed = true;
  }
  if (changed) await writePrivateFile(file, JSON.stringify(operators, null, 2) + "\n");
  return operators;
}
