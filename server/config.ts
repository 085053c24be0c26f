// Every setting ZeroSign reads from the environment, validated once at start-up by one zod
// schema. Defaults give the embedded mode: a local chain in the data folder, contracts deployed
// and demo departments seeded by `npm start`. Nothing else reads process.env.
import path from "node:path";
import { z } from "zod";

const hexKey = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x-prefixed 32-byte hex private key");
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte hex address");
const port = z.coerce.number().int().min(0).max(65535);

const EnvSchema = z
  .object({
    ZEROSIGN_DATA: z.string().min(1).default("./data"),
    CHAIN_RPC_URL: z.url({ protocol: /^(https?|wss?)$/ }).optional(),
    CHAIN_PORT: port.default(8545),
    DEPLOYER_PRIVATE_KEY: hexKey.optional(),
    REGISTRY_ADDRESS: address.optional(),
    LEDGER_ADDRESS: address.optional(),
    LEDGER_DEPLOY_BLOCK: z.coerce.number().int().min(0).default(0),
  })
  .refine((env) => (env.REGISTRY_ADDRESS === undefined) === (env.LEDGER_ADDRESS === undefined), {
    message: "REGISTRY_ADDRESS and LEDGER_ADDRESS go together",
    path: ["LEDGER_ADDRESS"],
  })
  .refine((env) => env.CHAIN_RPC_URL !== undefined || env.REGISTRY_ADDRESS === undefined, {
    message: "contract addresses need CHAIN_RPC_URL (the embedded chain deploys its own)",
    path: ["CHAIN_RPC_URL"],
  })
  .refine((env) => env.CHAIN_RPC_URL === undefined || env.DEPLOYER_PRIVATE_KEY !== undefined || env.REGISTRY_ADDRESS !== undefined, {
    message: "an external chain needs DEPLOYER_PRIVATE_KEY to deploy, or REGISTRY_ADDRESS and LEDGER_ADDRESS",
    path: ["DEPLOYER_PRIVATE_KEY"],
  });

/** Where the chain is: embedded (a local node ZeroSign starts) or external (a URL). */
export type ChainConfig =
  | { mode: "embedded"; port: number; deployerKey?: string }
  | {
      mode: "external";
      rpcUrl: string;
      deployerKey?: string;
      contracts?: { registryAddress: string; ledgerAddress: string; deployBlock: number };
    };

export interface Config {
  dataDir: string;
  chain: ChainConfig;
}

/** A configuration error naming every bad variable; main.ts prints it and exits. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Reads and validates the configuration from an environment (process.env in main.ts). */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join(".") || "environment"}: ${issue.message}`));
  }
  const e = parsed.data;
  const chain: ChainConfig =
    e.CHAIN_RPC_URL === undefined
      ? { mode: "embedded", port: e.CHAIN_PORT, deployerKey: e.DEPLOYER_PRIVATE_KEY }
      : {
          mode: "external",
          rpcUrl: e.CHAIN_RPC_URL,
          deployerKey: e.DEPLOYER_PRIVATE_KEY,
          contracts:
            e.REGISTRY_ADDRESS && e.LEDGER_ADDRESS
              ? { registryAddress: e.REGISTRY_ADDRESS, ledgerAddress: e.LEDGER_ADDRESS, deployBlock: e.LEDGER_DEPLOY_BLOCK }
              : undefined,
        };
  return { dataDir: path.resolve(e.ZEROSIGN_DATA), chain };
}
