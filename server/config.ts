// Every setting ZeroSign reads from the environment, validated once at start-up by one zod
// schema. Defaults give the embedded mode: a local chain in the data folder, contracts deployed
// and demo departments seeded by `npm start`. Nothing else reads process.env.
import { isIP } from "node:net";
import { availableParallelism } from "node:os";
import path from "node:path";
import { z } from "zod";
import { DEFAULT_LOG_RANGE } from "./chain/search-logs";
import { DEMO_DEPARTMENTS } from "./demo/departments";
import { DEFAULT_TOKEN_VALID_DAYS, MAX_TOKEN_VALID_DAYS } from "./store/token-store";

/**
 * Worker threads by default: one per core but one, so the HTTP loop keeps a core of its own while
 * every worker is busy with a costly upload (the public verifier must keep answering); at least one.
 */
export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism() - 1);
}

const hexKey = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x-prefixed 32-byte hex private key");
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte hex address");
const port = z.coerce.number().int().min(0).max(65535);
const DEMO_CODES = DEMO_DEPARTMENTS.map((d) => d.code);
const departmentList = z
  .string()
  .transform((text) => text.split(",").map((code) => code.trim()).filter((code) => code !== ""))
  .pipe(
    z
      .array(z.enum(DEMO_CODES as [string, ...string[]], { error: `each must be one of ${DEMO_CODES.join(", ")}` }))
      .min(1, "name at least one department")
      .refine((codes) => new Set(codes).size === codes.length, "a department is listed twice"),
  );

/** Express's `trust proxy`: false, a hop count, or the proxies' addresses (see {@link trustProxySetting}). */
export type TrustProxy = false | number | string[];

const PROXY_NAMES = ["loopback", "linklocal", "uniquelocal"];

/** One entry of a TRUST_PROXY list: an address, a CIDR block, or one of Express's named ranges. */
function isProxyEntry(entry: string): boolean {
  if (PROXY_NAMES.includes(entry)) return true;
  const [ip, prefix, ...rest] = entry.split("/");
  const family = isIP(ip);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

/**
 * TRUST_PROXY: which peers may set X-Forwarded-For, so the public rate limit counts the client
 * behind a reverse proxy, not the proxy. "false" (default): none, the header is ignored; a number:
 * that many hops; else a comma-separated list of addresses, CIDRs or loopback/linklocal/uniquelocal.
 * "true" is refused: trusting every peer would let any client pick its own address with the header.
 */
const trustProxySetting = z
  .string()
  .trim()
  .transform((text, ctx): TrustProxy => {
    if (text === "" || text === "false" || text === "0") return false;
    if (/^\d+$/.test(text)) {
      const hops = Number(text);
      if (hops <= 16) return hops;
      ctx.addIssue({ code: "custom", message: "a hop count is at most 16" });
      return z.NEVER;
    }
    if (text === "true") {
      ctx.addIssue({ code: "custom", message: "true would trust any client's X-Forwarded-For; give a hop count or the proxies' addresses" });
      return z.NEVER;
    }
    const entries = text.split(",").map((entry) => entry.trim());
    const bad = entries.filter((entry) => !isProxyEntry(entry));
    if (bad.length > 0) {
      ctx.addIssue({ code: "custom", message: `not an address, CIDR, loopback, linklocal or uniquelocal: ${bad.join(", ")}` });
      return z.NEVER;
    }
    return entries;
  });

const EnvSchema = z
  .object({
    ZEROSIGN_DATA: z.string().min(1).default("./data"),
    CHAIN_RPC_URL: z.url({ protocol: /^(https?|wss?)$/ }).optional(),
    CHAIN_PORT: port.default(8545),
    DEPLOYER_PRIVATE_KEY: hexKey.optional(),
    REGISTRY_ADDRESS: address.optional(),
    LEDGER_ADDRESS: address.optional(),
    LEDGER_DEPLOY_BLOCK: z.coerce.number().int().min(0).default(0),
    // Besu refuses eth_getLogs over --rpc-max-logs-range blocks, 1000 by default.
    CHAIN_LOG_RANGE: z.coerce.number().int().min(1).max(1_000_000).default(DEFAULT_LOG_RANGE),
    PORT: port.default(8080),
    PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    ANCHOR_BATCH_SIZE: z.coerce.number().int().min(1).max(1024).default(256),
    ANCHOR_MAX_WAIT_MS: z.coerce.number().int().min(0).max(3_600_000).default(2000),
    WORKERS: z.coerce.number().int().min(1).max(256).default(defaultWorkerCount()),
    WORKER_QUEUE: z.coerce.number().int().min(0).max(100_000).default(32),
    // Above the verifier's 10 s RPC timeout, so a slow chain is an unknown check, not a limit.
    JOB_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
    WORKER_MEMORY_MB: z.coerce.number().int().min(64).max(65_536).default(256),
    MAX_UPLOAD_BYTES: z.coerce.number().int().min(1024).max(512 * 1024 * 1024).default(20 * 1024 * 1024),
    PUBLIC_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000_000).default(120),
    TRUST_PROXY: trustProxySetting.default(false),
    TOKEN_VALID_DAYS: z.coerce.number().int().min(1).max(MAX_TOKEN_VALID_DAYS).default(DEFAULT_TOKEN_VALID_DAYS),
    ZEROSIGN_DEPARTMENTS: departmentList.default(DEMO_CODES),
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
  /** CHAIN_LOG_RANGE: blocks one eth_getLogs covers at most (the node's log-range cap). */
  chainLogRange: number;
  http: {
    /** 0: any free port. */
    port: number;
    /** Base of the public verification page; default http://127.0.0.1:<the port listened on>. */
    publicBaseUrl?: string;
    maxUploadBytes: number;
    /** Requests a minute one client address may make to the public endpoints (verify, documents, departments). */
    publicRequestsPerMinute: number;
    /** Which peers may name the client in X-Forwarded-For (Express's `trust proxy`); false: none. */
    trustProxy: TrustProxy;
  };
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  anchor: { maxBatchSize: number; maxWaitMs: number };
  /** The worker pool verification and signing run in (server/workers/worker-pool.ts). */
  workers: { size: number; maxQueue: number; jobTimeoutMs: number; memoryMb: number };
  /** Codes of the departments this node serves (issues, anchors, revokes for). */
  departments: string[];
  /** Days an operator token the service creates (the demo tokens) stays valid. */
  tokenValidDays: number;
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
  return {
    dataDir: path.resolve(e.ZEROSIGN_DATA),
    chain,
    chainLogRange: e.CHAIN_LOG_RANGE,
    http: {
      port: e.PORT,
      publicBaseUrl: e.PUBLIC_BASE_URL?.replace(/\/+$/, ""),
      maxUploadBytes: e.MAX_UPLOAD_BYTES,
      publicRequestsPerMinute: e.PUBLIC_RATE_LIMIT,
      trustProxy: e.TRUST_PROXY,
    },
    logLevel: e.LOG_LEVEL,
    anchor: { maxBatchSize: e.ANCHOR_BATCH_SIZE, maxWaitMs: e.ANCHOR_MAX_WAIT_MS },
    workers: { size: e.WORKERS, maxQueue: e.WORKER_QUEUE, jobTimeoutMs: e.JOB_TIMEOUT_MS, memoryMb: e.WORKER_MEMORY_MB },
    departments: e.ZEROSIGN_DEPARTMENTS,
    tokenValidDays: e.TOKEN_VALID_DAYS,
  };
}

/** The settings the zerosign CLI shares with the service (its flags override them). */
export interface CliConfig {
  /** ZEROSIGN_DATA: the node's data folder (dev keys, deployment.json, tokens). */
  dataDir: string;
  /**
   * The chain's JSON-RPC URL from CHAIN_RPC_URL, else http://127.0.0.1:CHAIN_PORT for a fixed
   * port; undefined when neither says (CHAIN_PORT=0 included): the CLI then takes the URL the
   * node recorded in its deployment.json.
   */
  rpcUrl?: string;
  /** ZEROSIGN_TOKEN: an operator token for commands run through a node's API (--service). */
  token?: string;
  /** CHAIN_LOG_RANGE, as the service reads it. */
  chainLogRange: number;
}

const CliEnvSchema = z.object({
  ZEROSIGN_DATA: EnvSchema.shape.ZEROSIGN_DATA,
  CHAIN_RPC_URL: EnvSchema.shape.CHAIN_RPC_URL,
  CHAIN_PORT: port.optional(),
  ZEROSIGN_TOKEN: z.string().min(1).optional(),
  CHAIN_LOG_RANGE: EnvSchema.shape.CHAIN_LOG_RANGE,
});

/** Reads the CLI's settings from an environment with the service's rules; ConfigError naming every bad variable. */
export function loadCliConfig(env: Record<string, string | undefined>): CliConfig {
  const parsed = CliEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join(".") || "environment"}: ${issue.message}`));
  }
  const e = parsed.data;
  const fixedPort = e.CHAIN_PORT === undefined || e.CHAIN_PORT === 0 ? undefined : `http://127.0.0.1:${e.CHAIN_PORT}`;
  return { dataDir: e.ZEROSIGN_DATA, rpcUrl: e.CHAIN_RPC_URL ?? fixedPort, token: e.ZEROSIGN_TOKEN, chainLogRange: e.CHAIN_LOG_RANGE };
}
