// Where ZeroSign's contracts are: read from configuration for an external chain, or from
// <dataDir>/deployment.json, written when ZeroSign deployed them itself. A deployment file whose
// contracts have no code on the chain (a wiped chain) is ignored and replaced; one recorded before
// the approval contracts existed keeps its registry and ledger and gets them deployed next to it.
// Every node records the chain's RPC URL beside the addresses, so the CLI run on its data folder
// reaches the same chain (an embedded chain on port 0 gets a new port at each start).
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
  // Optional: files written before it was recorded still load (the CLI then needs --rpc).
  rpcUrl: z.string().optional(),
});

/** A deployment as recorded in deployment.json: the addresses and the chain's JSON-RPC URL. */
export type RecordedDeployment = Deployment & { rpcUrl?: string };

const fileOf = (dataDir: string) => path.join(dataDir, "deployment.json");

/** Writes <dataDir>/deployment.json: the contracts' addresses and the RPC URL this node uses. */
export async function recordDeployment(dataDir: string, deployment: RecordedDeployment, rpcUrl?: string): Promise<void> {
  const recorded: RecordedDeployment = rpcUrl === undefined ? deployment : { ...deployment, rpcUrl };
  await writePrivateFile(fileOf(dataDir), JSON.stringify(recorded, null, 2) + "\n");
}

/** Returns the recorded deployment if its contracts exist on this chain, else deploys and records. */
export async function ensureDeployment(opts: {
  dataDir: string;
  provider: Provider;
  deployer: Signer;
  /** The chain's JSON-RPC URL, recorded in the file for the CLI (main.ts always gives it). */
  rpcUrl?: string;
  log: (line: string) => void;
}): Promise<{ deployment: Deployment; fresh: boolean }> {
  const recorded = await readDeployment(fileOf(opts.dataDir));
  const chainId = Number((await opts.provider.getNetwork()).chainId);
  if (recorded && recorded.chainId === chainId && (await hasCode(opts.provider, recorded))) {
    if (recorded.approvals && (await hasApprovalsCode(opts.provider, recorded.approvals))) {
      if (opts.rpcUrl !== undefined && recorded.rpcUrl !== opts.rpcUrl) await recordDeployment(opts.dataDir, recorded, opts.rpcUrl);
      return { deployment: recorded, fresh: false };
    }
    opts.log("Deploying the approval contracts next to the recorded registry and ledger");
    const { deployment: approvals } = await deployApprovals(opts.deployer, recorded);
    const completed: RecordedDeployment = { ...recorded, approvals };
    await recordDeployment(opts.dataDir, completed, opts.rpcUrl);
    return { deployment: completed, fresh: false };
  }
  opts.log(recorded ? "Recorded contracts are not on this chain: deploying again" : "Deploying ZeroSign's contracts");
  const { deployment } = await deployZeroSign(opts.deployer, await opts.deployer.getAddress());
  await recordDeployment(opts.dataDir, deployment, opts.rpcUrl);
  return { deployment, fresh: true };
}

/** Reads a deployment file; undefined when it does not exist, a zod error when it is malformed. */
export async function readDeployment(file: string): Promise<RecordedDeployment | undefined> {
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
