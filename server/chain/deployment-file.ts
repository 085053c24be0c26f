// Where ZeroSign's contracts are: read from configuration for an external chain, or from
// <dataDir>/deployment.json, written when ZeroSign deployed them itself. A deployment file whose
// contracts have no code on the chain (a wiped chain) is ignored and replaced; one recorded before
// the approval contracts existed keeps its registry and ledger and gets them deployed next to it.
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Provider, Signer } from "ethers";
import { z } from "zod";
import { writePrivateFile } from "../pki/key-files";
import { deployApprovals, deployZeroSign, type ApprovalsDeployment, type Deployment } from "./deploy";

const ApprovalsDeploymentSchema = z.object({
  matterCatalogAddress: z.string(),
  delegatedAuthorityAddress: z.string(),
  approvalRulesAddress: z.string(),
  deployBlock: z.number().int().min(0),
});

const DeploymentSchema = z.object({
  registryAddress: z.string(),
  ledgerAddress: z.string(),
  chainId: z.number().int(),
  deployBlock: z.number().int().min(0),
  // Optional: a file written before the approval contracts existed still loads, and gets them.
  approvals: ApprovalsDeploymentSchema.optional(),
});

/** Returns the recorded deployment if its contracts exist on this chain, else deploys and records. */
export async function ensureDeployment(opts: {
  dataDir: string;
  provider: Provider;
  deployer: Signer;
  log: (line: string) => void;
}): Promise<{ deployment: Deployment; fresh: boolean }> {
  const file = path.join(opts.dataDir, "deployment.json");
  const recorded = await readDeployment(file);
  const chainId = Number((await opts.provider.getNetwork()).chainId);
  if (recorded && recorded.chainId === chainId && (await hasCode(opts.provider, recorded))) {
    if (recorded.approvals && (await hasApprovalsCode(opts.provider, recorded.approvals))) {
      return { deployment: recorded, fresh: false };
    }
    opts.log("Deploying the approval contracts next to the recorded registry and ledger");
    const { deployment: approvals } = await deployApprovals(opts.deployer, recorded);
    const completed: Deployment = { ...recorded, approvals };
    await writePrivateFile(file, JSON.stringify(completed, null, 2) + "\n");
    return { deployment: completed, fresh: false };
  }
  opts.log(recorded ? "Recorded contracts are not on this chain: deploying again" : "Deploying ZeroSign's contracts");
  const { deployment } = await deployZeroSign(opts.deployer, await opts.deployer.getAddress());
  await writePrivateFile(file, JSON.stringify(deployment, null, 2) + "\n");
  return { deployment, fresh: true };
}

/** Reads a deployment file; undefined when it does not exist, a zod error when it is malformed. */
export async function readDeployment(file: string): Promise<Deployment | undefined> {
  const text = await readFile(file, "utf8").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return undefined;
    throw err;
  });
  return text === undefined ? undefined : DeploymentSchema.parse(JSON.parse(text));
}

async function hasCode(provider: Provider, deployment: Deployment): Promise<boolean> {
  const [registryCode, ledgerCode] = await Promise.all([
    provider.getCode(deployment.registryAddress),
    provider.getCode(deployment.ledgerAddress),
  ]);
  return registryCode !== "0x" && ledgerCode !== "0x";
}

async function hasApprovalsCode(provider: Provider, approvals: ApprovalsDeployment): Promise<boolean> {
  const codes = await Promise.all(
    [approvals.matterCatalogAddress, approvals.delegatedAuthorityAddress, approvals.approvalRulesAddress].map((address) =>
      provider.getCode(address),
    ),
  );
  return codes.every((code) => code !== "0x");
}
