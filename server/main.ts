// Composition root of `npm start`: reads the configuration, starts the embedded chain (or connects
// to an external one), makes sure the contracts are deployed and the demo departments seeded, then
// prints where everything is and runs until Ctrl-C. Only this file knows every part.
import { mkdir } from "node:fs/promises";
import { encodeBytes32String, JsonRpcProvider, NonceManager, Wallet } from "ethers";
import { attachZeroSign } from "./chain/deploy";
import { ensureDeployment } from "./chain/deployment-file";
import { ConfigError, loadConfig, type Config } from "./config";
import { DEMO_DEPARTMENTS } from "./demo/departments";
import { ensureDemoOperators } from "./demo/operators";
import { seedDemo } from "./demo/seed";
import { EMBEDDED_DEPLOYER_KEY, startEmbeddedChain, type EmbeddedChain } from "./devnet/embedded-chain";
import { ensureDevPki } from "./pki/dev-pki";

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(config: Config): Promise<void> {
  await mkdir(config.dataDir, { recursive: true });
  let chain: EmbeddedChain | undefined;
  if (config.chain.mode === "embedded") {
    say(`Starting the embedded chain (state in ${config.dataDir}/chain)`);
    chain = await startEmbeddedChain({ dataDir: config.dataDir, port: config.chain.port, log: say });
  }
  const stop = onceStopped(async () => {
    say("Stopping…");
    await chain?.stop();
  });
  try {
    await prepare(config, chain?.rpcUrl);
  } catch (err) {
    await chain?.stop();
    throw err;
  }
  await stop;
}

/** Deploys and seeds what is missing, then prints where everything is. */
async function prepare(config: Config, embeddedRpcUrl: string | undefined): Promise<void> {

  const rpcUrl = embeddedRpcUrl ?? (config.chain.mode === "external" ? config.chain.rpcUrl : "");
  const provider = new JsonRpcProvider(rpcUrl, undefined, { pollingInterval: 500 });
  const deployerKey = config.chain.deployerKey ?? EMBEDDED_DEPLOYER_KEY;
  const deployer = new NonceManager(new Wallet(deployerKey, provider));

  const { deployment, fresh } =
    config.chain.mode === "external" && config.chain.contracts
      ? {
          deployment: { ...config.chain.contracts, chainId: Number((await provider.getNetwork()).chainId) },
          fresh: false,
        }
      : await ensureDeployment({ dataDir: config.dataDir, provider, deployer, log: say });
  const contracts = attachZeroSign(deployment, provider);

  const pki = await ensureDevPki(config.dataDir, DEMO_DEPARTMENTS, { algorithms: ["ecdsa-p256", "rsa-2048"] });
  const operators = await ensureDemoOperators(config.dataDir, DEMO_DEPARTMENTS);
  const sent = await seedDemo({ contracts, bureau: deployer, provider, departments: DEMO_DEPARTMENTS, operators, pki, log: say });

  const batches = await contracts.ledger.batchCount();
  say("");
  say(`Chain RPC:        ${rpcUrl} (chain id ${deployment.chainId})`);
  say(`TrustRegistry:    ${deployment.registryAddress}${fresh ? " (deployed now)" : ""}`);
  say(`DocumentLedger:   ${deployment.ledgerAddress} (from block ${deployment.deployBlock}, ${batches} batches anchored)`);
  for (const dept of DEMO_DEPARTMENTS) {
    const op = operators.find((o) => o.departmentCode === dept.code);
    say(`Department ${dept.code.padEnd(9)} ${encodeBytes32String(dept.code).slice(0, 18)}…  operator ${op?.address}  ${dept.nameZh}`);
  }
  say(`Data folder:      ${config.dataDir} (dev keys, mode 0600; ${sent} registry transactions sent now)`);
  say("");
  say(`ZeroSign chain ready: ${rpcUrl}`);
  say("Press Ctrl-C to stop.");
  provider.destroy();
}

/** Resolves after the first SIGINT/SIGTERM, once `cleanup` has run. */
function onceStopped(cleanup: () => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    const handler = () => {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
      cleanup().then(resolve, reject);
    };
    process.on("SIGINT", handler);
    process.on("SIGTERM", handler);
  });
}

let config: Config;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(2);
}
main(config).then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`ZeroSign failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
