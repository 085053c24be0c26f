// The chain a CLI command reads (verify, countersign's revocation check): the contracts from the
// node's deployment.json, the RPC URL from --rpc, else CHAIN_RPC_URL or CHAIN_PORT (as the service
// reads them, through config.ts), else the URL the node recorded in deployment.json. Its modules
// (zod, ethers' ABI coder) are loaded here on first need, so `verify --offline` starts without them.
import path from "node:path";
import type { ChainReader } from "../verify";
import { UsageError, type CliEnv } from "./io";

/** Where the embedded chain listens when nothing else says: CHAIN_PORT's default. */
const DEFAULT_RPC_URL = "http://127.0.0.1:8545";

/** Options naming the chain: --rpc, --deployment and --data (each overriding the environment). */
export interface ChainOptions {
  rpc?: string;
  deployment?: string;
  data?: string;
}

/** Connects a chain reader to the node's chain; UsageError when no deployment file is found. */
export async function connectChain(options: ChainOptions, env: CliEnv): Promise<{ chain: ChainReader; close: () => void }> {
  const [{ loadCliConfig }, { createChainReader }, { createHttpJsonRpc }, { readDeployment }] = await Promise.all([
    import("../config"),
    import("../chain/chain-reader"),
    import("../chain/json-rpc"),
    import("../chain/deployment-file"),
  ]);
  const config = loadCliConfig(env);
  const deploymentFile = options.deployment ?? path.join(options.data ?? config.dataDir, "deployment.json");
  const deployment = await readDeployment(deploymentFile);
  if (!deployment) {
    throw new UsageError(`no contract addresses at ${deploymentFile}: run npm start first (or give --data DIR), pass --deployment FILE, or use --offline`);
  }
  // A node that is down fails the first question, which the report shows as CHAIN_UNREACHABLE.
  const rpc = createHttpJsonRpc(options.rpc ?? config.rpcUrl ?? deployment.rpcUrl ?? DEFAULT_RPC_URL);
  return { chain: createChainReader({ rpc, deployment, logRange: config.chainLogRange }), close: () => rpc.close() };
}
