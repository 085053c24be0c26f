// Composition root of `npm start`: reads the configuration, starts the embedded chain (or connects
// to an external one), makes sure the contracts are deployed and this node's departments seeded,
// opens the store, starts the anchoring queue and the HTTP API, prints where everything is and
// runs until Ctrl-C. Only this file knows every part; everything else gets its parts passed in.
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { encodeBytes32String, FetchRequest, JsonRpcProvider, NonceManager, Wallet } from "ethers";
import pino, { type Logger } from "pino";
import type { DocumentLedger } from "../typechain-types";
import { createAnchorQueue, type RunningAnchorQueue } from "./anchor/anchor-queue";
import { createChainReader } from "./chain/chain-reader";
import { createVerifiedBatchCache, lookupDocumentAnchors } from "./chain/anchor-lookup";
import { attachZeroSign, type Deployment } from "./chain/deploy";
import { createRecordFinder } from "./chain/find-record";
import { ensureDeployment, recordDeployment } from "./chain/deployment-file";
import { listDepartments, searchKeyRegistrations } from "./chain/list-departments";
import { createHttpJsonRpc, type HttpJsonRpc } from "./chain/json-rpc";
import { createLogIndex, type LogIndex } from "./chain/log-index/log-index";
import { createDocumentRevoker } from "./chain/revoke-document";
import { createSystemClock } from "./clock";
import { ConfigError, loadConfig, type Config } from "./config";
import { DEMO_DEPARTMENTS, type DemoDepartment } from "./demo/departments";
import { ensureDemoOperators, type DemoOperator } from "./demo/operators";
import { seedDemo } from "./demo/seed";
import { DEMO_CATALOG, DEMO_HALL_DEPARTMENT } from "./demo/catalog";
import { ensureDemoApprovals } from "./demo/seed-approvals";
import { createApprovals } from "./approvals/create-approvals";
import { describeDemoToken, ensureDemoTokens } from "./demo/tokens";
import { EMBEDDED_DEPLOYER_KEY, startEmbeddedChain, type EmbeddedChain } from "./devnet/embedded-chain";
import { createApp } from "./http/app";
import { loadCertificateFonts } from "./pdf/fonts";
import { ensureDevPki } from "./pki/dev-pki";
import { ensurePrivateDir } from "./pki/key-files";
import { createStore, type Store } from "./store/create-store";
import { createWorkerPool, type WorkerPool } from "./workers/worker-pool";

const say = (line: string) => process.stdout.write(`${line}\n`);

/** A JSON-RPC call slower than this counts as an outage (the queue retries, the verifier says unknown). */
const RPC_TIMEOUT_MS = 10_000;
/** How often decisions an outage left waiting are tried again (server/approvals/decide.ts). */
const APPROVALS_RESUME_MS = 5_000;

/** What has to be shut down, in reverse order of starting. */
interface Running {
  chain?: EmbeddedChain;
  store?: Store;
  queue?: RunningAnchorQueue;
  pool?: WorkerPool;
  server?: http.Server;
  providers: JsonRpcProvider[];
  verifyRpc?: HttpJsonRpc;
  logIndex?: LogIndex;
}

async function main(config: Config): Promise<void> {
  const log = pino({ level: config.logLevel, base: { service: "zerosign" } }, pino.destination(2));
  const running: Running = { providers: [] };
  const stopped = onceStopped(() => shutDown(running, log));
  try {
    await start(config, log, running);
  } catch (err) {
    await shutDown(running, log);
    throw err;
  }
  await stopped;
}

async function start(config: Config, log: Logger, running: Running): Promise<void> {
  const clock = createSystemClock();
  const departments = config.departments.map((code) => DEMO_DEPARTMENTS.find((d) => d.code === code) as DemoDepartment);
  // The data folder may not exist yet on a first start (e.g. ZEROSIGN_DATA=./data-a). It holds
  // keys, token hashes and holders' documents: owner-only, and so is anything created in it
  // (the umask backs up the modes each writer sets).
  process.umask(0o077);
  await ensurePrivateDir(config.dataDir);

  if (config.chain.mode === "embedded") {
    say(`Starting the embedded chain (state in ${config.dataDir}/chain)`);
    running.chain = await startEmbeddedChain({ dataDir: config.dataDir, port: config.chain.port, log: say });
  }
  const rpcUrl = running.chain?.rpcUrl ?? (config.chain.mode === "external" ? config.chain.rpcUrl : "");
  const { deployment, fresh, sent, operators, approvalOperators, pki } = await prepareChain(config, rpcUrl, departments);

  // The queue's provider must not cache answers (nonces, receipts) and skips ethers' 10 ms
  // request batching, which stalls every call.
  const rpc = (cacheTimeout: number) => {
    const request = new FetchRequest(rpcUrl);
    request.timeout = RPC_TIMEOUT_MS;
    const provider = new JsonRpcProvider(request, deployment.chainId, {
      staticNetwork: true,
      batchMaxCount: 1,
      cacheTimeout,
    });
    running.providers.push(provider);
    return provider;
  };
  const queueProvider = rpc(-1);
  // Registry listings and counts go through ethers; the verifier reads raw JSON-RPC
  // (chain/json-rpc.ts), its questions of one round in one POST.
  const readContracts = attachZeroSign(deployment, rpc(-1));
  const verifyRpc = createHttpJsonRpc(rpcUrl, { timeoutMs: RPC_TIMEOUT_MS });
  running.verifyRpc = verifyRpc;
  // Where each document was logged, in its own file: lookups cost the same on a year-old chain,
  // and everything it names is still confirmed on chain. Deleting the file only costs a catch-up.
  const logIndex = createLogIndex({
    rpc: verifyRpc,
    file: path.join(config.dataDir, "log-index.sqlite"),
    identity: { chainId: deployment.chainId, ledgerAddress: deployment.ledgerAddress, registryAddress: deployment.registryAddress, fromBlock: deployment.deployBlock },
    logRange: config.chainLogRange,
    clock,
    log: log.child({ part: "log-index" }),
  });
  running.logIndex = logIndex;
  logIndex.start();
  const anchorLookup = { rpc: verifyRpc, ledgerAddress: deployment.ledgerAddress, fromBlock: deployment.deployBlock, logRange: config.chainLogRange, index: logIndex };
  const { ledger } = attachZeroSign(deployment, queueProvider);
  // A plain Wallet per operator, shared by the queue and revocations: both read the pending nonce
  // from the chain, so neither keeps a count the other could invalidate.
  const ledgers: Record<string, DocumentLedger> = {};
  for (const op of operators) ledgers[op.departmentCode] = ledger.connect(new Wallet(op.privateKey, queueProvider));

  running.store = await createStore({ dataDir: config.dataDir, log, clock });
  const store = running.store;
  running.queue = createAnchorQueue({
    db: store.db,
    ledgers,
    provider: queueProvider,
    clock,
    log: log.child({ part: "anchor-queue" }),
    fromBlock: deployment.deployBlock,
    logRange: config.chainLogRange,
    findAnchors: (docHashHex) => lookupDocumentAnchors(anchorLookup, docHashHex),
    maxBatchSize: config.anchor.maxBatchSize,
    maxWaitMs: config.anchor.maxWaitMs,
  });
  await running.queue.start();
  const tokens = await ensureDemoTokens(config.dataDir, store.tokens, config.departments, { validDays: config.tokenValidDays });

  // Verification, issuing, sealing and countersigning run here, off the HTTP loop. Every worker is
  // started and has parsed its fonts before the node says it is ready: the first certificate
  // issued after a start is as quick as the next.
  running.pool = createWorkerPool({
    size: config.workers.size,
    maxQueue: config.workers.maxQueue,
    jobTimeoutMs: config.workers.jobTimeoutMs,
    maxOldGenerationSizeMb: config.workers.memoryMb,
    log: log.child({ part: "workers" }),
  });
  const pool = running.pool;
  await Promise.all(Array.from({ length: config.workers.size }, () => pool.run("warm", undefined)));

  const server = http.createServer();
  running.server = server;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.http.port, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  // One chain reader and one revoker for the HTTP routes and the approvals service alike.
  const verifyChain = createChainReader({ rpc: verifyRpc, deployment, timeoutMs: RPC_TIMEOUT_MS, logRange: config.chainLogRange, index: logIndex });
  const revokeOnChain = createDocumentRevoker({ ledgerFor: (code) => ledgers[code], fromBlock: deployment.deployBlock, logRange: config.chainLogRange });
  // Decisions go out as each department's approval operator, over a provider of their own.
  const approvalContracts = attachZeroSign(deployment, rpc(-1)).approvals;
  const approvals = approvalContracts && approvalOperators.length > 0
    ? createApprovals({
        db: store.db,
        contracts: approvalContracts,
        provider: rpc(-1),
        chainId: deployment.chainId,
        operatorKeys: Object.fromEntries(approvalOperators.map((op) => [op.departmentCode, op.privateKey])),
        revokeOnChain,
        documents: store.documents,
        anchors: running.queue,
        pool: running.pool,
        verifyChain,
        maxPdfBytes: config.http.maxUploadBytes,
        fonts: loadCertificateFonts(),
        publicBaseUrl: config.http.publicBaseUrl ?? baseUrl,
        catalog: DEMO_CATALOG,
        departments: departments.map((dept) => ({ code: dept.code, name: dept.nameZh, signerFor: (role) => pki.signerFor(dept.code, role) })),
        hallDepartmentCode: DEMO_HALL_DEPARTMENT,
        clock,
        log: log.child({ part: "approvals" }),
      })
    : undefined;
  if (approvals) {
    // A decision recorded just before a crash gets its certificate now; filings close when their notice ends.
    await approvals.service.resume({ startup: true });
    const closeFilings = () => approvals.service.closeDueFilings().catch((err: unknown) => log.warn({ err }, "closing filings failed"));
    setInterval(closeFilings, 30_000).unref();
    // Decisions an outage left waiting are recorded once the chain is back.
    const resume = () => approvals.service.resume().catch((err: unknown) => log.warn({ err }, "resuming decisions failed"));
    setInterval(resume, APPROVALS_RESUME_MS).unref();
  }

  const app = createApp({
    documents: store.documents,
    tokens: store.tokens,
    anchors: running.queue,
    departments: departments.map((dept) => ({
      code: dept.code,
      name: dept.nameZh,
      signerFor: (role) => pki.signerFor(dept.code, role),
    })),
    fonts: loadCertificateFonts(),
    chain: verifyChain,
    records: createRecordFinder({ ...anchorLookup, batches: createVerifiedBatchCache() }),
    pool: running.pool,
    listDepartments: () => listDepartments(readContracts.registry, searchKeyRegistrations(verifyRpc, deployment.registryAddress, deployment.deployBlock, config.chainLogRange, logIndex)),
    revokeOnChain,
    publicBaseUrl: config.http.publicBaseUrl ?? baseUrl,
    logger: log.child({ part: "http" }),
    clock,
    // The queue reads the same table the approvals service writes (the store holds no state).
    approvals,
    limits: { maxPdfBytes: config.http.maxUploadBytes, publicRequestsPerWindow: config.http.publicRequestsPerMinute, publicWindowMs: 60_000,
      trustProxy: config.http.trustProxy },
  });
  server.on("request", app);

  const batches = await readContracts.ledger.batchCount();
  say("");
  say(`Chain RPC:        ${rpcUrl} (chain id ${deployment.chainId})`);
  say(`TrustRegistry:    ${deployment.registryAddress}${fresh ? " (deployed now)" : ""}`);
  say(`DocumentLedger:   ${deployment.ledgerAddress} (from block ${deployment.deployBlock}, ${batches} batches anchored)`);
  if (deployment.approvals) say(`ApprovalRules:    ${deployment.approvals.approvalRulesAddress} (${DEMO_CATALOG.length} demo matters${approvals ? "" : ", not served: no approval operator"})`);
  for (const dept of departments) {
    const op = operators.find((o) => o.departmentCode === dept.code);
    const token = tokens.find((t) => t.departmentCode === dept.code);
    say(`Department ${dept.code.padEnd(9)} ${encodeBytes32String(dept.code).slice(0, 18)}…  operator ${op?.address}  ${dept.nameZh}`);
    if (token) say(`  operator token: ${describeDemoToken(token, config.dataDir)}`);
  }
  say(`Data folder:      ${config.dataDir} (dev keys and demo tokens, mode 0600; ${sent} registry transactions sent now)`);
  say(`Public page:      ${config.http.publicBaseUrl ?? baseUrl}/   API docs: ${baseUrl}/api/docs`);
  if (config.http.publicBaseUrl === undefined) {
    // Every QR code printed now carries this address for good; a port that changes at the next
    // start (PORT=0) or an address only this host reaches makes them dead links on paper.
    log.warn({ baseUrl }, "PUBLIC_BASE_URL is not set: QR codes point to this local address, which may be gone after a restart; set it to the public address of the verification page");
  }
  say("");
  say(`ZeroSign chain ready: ${rpcUrl}`);
  say(`ZeroSign ready: ${baseUrl}/`);
  say("Press Ctrl-C to stop.");
}

/**
 * Deploys (or finds) the contracts and brings this node's departments to the demo state. Against
 * an external chain only this node's departments are seeded, with the deployer key acting as the
 * approval bureau; without a deployer key nothing is sent and the registry is taken as it is.
 */
async function prepareChain(config: Config, rpcUrl: string, departments: readonly DemoDepartment[]) {
  const provider = new JsonRpcProvider(rpcUrl, undefined, { pollingInterval: 500 });
  try {
    const deployerKey = config.chain.deployerKey ?? (config.chain.mode === "embedded" ? EMBEDDED_DEPLOYER_KEY : undefined);
    const deployer = deployerKey === undefined ? undefined : new NonceManager(new Wallet(deployerKey, provider));
    let deployment: Deployment;
    let fresh = false;
    if (config.chain.mode === "external" && config.chain.contracts) {
      deployment = { ...config.chain.contracts, chainId: Number((await provider.getNetwork()).chainId) };
      // Recorded too, so the CLI on this node's data folder finds the chain and the contracts.
      await recordDeployment(config.dataDir, deployment, rpcUrl);
    } else {
      if (!deployer) throw new Error("deploying needs DEPLOYER_PRIVATE_KEY");
      ({ deployment, fresh } = await ensureDeployment({ dataDir: config.dataDir, provider, deployer, rpcUrl, log: say }));
    }
    const contracts = attachZeroSign(deployment, provider);
    const pki = await ensureDevPki(config.dataDir, departments, { algorithms: ["ecdsa-p256", "rsa-2048"] });
    const operators = await ensureDemoOperators(config.dataDir, departments);
    let sent = 0;
    let approvalOperators: DemoOperator[] = [];
    if (deployer) {
      sent = await seedDemo({ contracts, bureau: deployer, provider, departments, operators, pki, log: say });
      if (contracts.approvals) {
        const seeded = await ensureDemoApprovals({ dataDir: config.dataDir, contracts, bureau: deployer, provider, departmentCodes: departments.map((d) => d.code), pki, log: say });
        sent += seeded.sent;
        approvalOperators = seeded.approvalOperators;
      }
    } else {
      say("No DEPLOYER_PRIVATE_KEY: the registry is used as it is (register this node's operators and keys there)");
    }
    return { deployment, fresh, sent, operators, approvalOperators, pki };
  } finally {
    provider.destroy();
  }
}

/** Stops accepting requests, stops the workers, lets the queue finish its batch in flight, closes the store, stops the chain. */
async function shutDown(running: Running, log: Logger): Promise<void> {
  say("Stopping…");
  if (running.server) {
    const server = running.server;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await closed;
  }
  await running.pool?.close();
  await running.queue?.stop();
  await running.logIndex?.stop();
  running.store?.close();
  running.providers.forEach((p) => p.destroy());
  running.verifyRpc?.close();
  await running.chain?.stop();
  log.flush();
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
