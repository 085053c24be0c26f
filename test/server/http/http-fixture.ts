// A ZeroSign node for the HTTP tests, all real parts: the embedded Anvil chain with the contracts
// and departments SAMR and MCA (test/helpers/ledger-chain.ts), their dev PKI keys registered, the
// SQLite store and the anchoring queue in a temp folder, the worker pool (production jobs unless a
// test gives its own worker entry), and createApp listening on port 0.
import { Writable } from "node:stream";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import path from "node:path";
import { encodeBytes32String, type JsonRpcProvider } from "ethers";
import pino from "pino";
import { createAnchorQueue, type RunningAnchorQueue } from "../../../server/anchor/anchor-queue";
import { createChainReader } from "../../../server/chain/chain-reader";
import { createHttpJsonRpc } from "../../../server/chain/json-rpc";
import { listDepartments, searchKeyRegistrations } from "../../../server/chain/list-departments";
import { createDocumentRevoker } from "../../../server/chain/revoke-document";
import { KEY_ROLES } from "../../../server/chain/roles";
import { createSystemClock } from "../../../server/clock";
import { DEMO_DEPARTMENTS } from "../../../server/demo/departments";
import { createApp, type HttpLimits } from "../../../server/http/app";
import { loadCertificateFonts, type CertificateFonts } from "../../../server/pdf/fonts";
import { ensureDevPki, type DevPki } from "../../../server/pki/dev-pki";
import { createStore, type Store } from "../../../server/store/create-store";
import { createWorkerPool, type WorkerPool, type WorkerPoolOptions } from "../../../server/workers/worker-pool";
import { startLedgerChain, type LedgerChain } from "../../helpers/ledger-chain";
import { tempDir } from "../pdf/signature-tools";

export const SERVED = ["SAMR", "MCA"] as const;

export interface HttpFixture {
  baseUrl: string;
  chain: LedgerChain;
  pki: DevPki;
  store: Store;
  queue: RunningAnchorQueue;
  pool: WorkerPool;
  /** Bearer secrets: one per served department, and one of a department this node does not serve. */
  tokens: { SAMR: string; MCA: string; unserved: string };
  /** Log lines written so far, parsed. */
  logs(): Record<string, unknown>[];
  close(): Promise<void>;
}

let fonts: CertificateFonts | undefined;

/** How a test may change the node's parts. */
export interface HttpFixtureOptions {
  /** The provider revocations are sent through (default: the queue's); the fixture destroys it. */
  revokerProvider?(rpcUrl: string): JsonRpcProvider;
  /** Worker pool options over the fixture's (2 workers, queue 32, 30 s, 256 MB, the production entry). */
  pool?: Partial<Omit<WorkerPoolOptions, "log">>;
}

/** Starts a node; `limits` override the HTTP limits (the rate limit is high unless set). */
export async function startHttpFixture(limits: Partial<HttpLimits> = {}, options: HttpFixtureOptions = {}): Promise<HttpFixture> {
  const dir = tempDir("http");
  const chain = await startLedgerChain(path.join(dir, "chain"), SERVED);
  const provider = chain.provider();
  const pki = await ensureDevPki(path.join(dir, "data"), DEMO_DEPARTMENTS.filter((d) => (SERVED as readonly string[]).includes(d.code)));
  for (const key of pki.keys) {
    const registry = chain.contracts.registry.connect(chain.operators[key.departmentCode].connect(provider));
    await (await registry.registerKey(key.keyId, encodeBytes32String(key.departmentCode), KEY_ROLES[key.role], key.validFromSec, key.validUntilSec)).wait();
  }

  const lines: string[] = [];
  const logger = pino({ level: "info" }, new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString("utf8")), done()) }));
  const clock = createSystemClock();
  const store = await createStore({ dataDir: path.join(dir, "data"), log: logger, clock });
  const fromBlock = chain.deployment.deployBlock;
  const queue = createAnchorQueue({
    db: store.db,
    ledgers: Object.fromEntries(SERVED.map((code) => [code, chain.ledgerFor(code, provider)])),
    provider,
    clock,
    log: logger,
    fromBlock,
    maxWaitMs: 20,
    receiptPollMs: 50,
  });
  await queue.start();
  const readProvider = chain.provider();
  const revokerProvider = options.revokerProvider?.(chain.rpcUrl) ?? provider;
  // The verifier reads as main.ts's does: raw JSON-RPC over HTTP to the node.
  const verifyRpc = createHttpJsonRpc(chain.rpcUrl);
  const readContracts = { registry: chain.contracts.registry.connect(readProvider), ledger: chain.contracts.ledger.connect(readProvider) };

  fonts ??= loadCertificateFonts();
  const pool = createWorkerPool({ size: 2, maxQueue: 32, jobTimeoutMs: 30_000, maxOldGenerationSizeMb: 256, ...options.pool, log: logger });
  const app = createApp({
    documents: store.documents,
    tokens: store.tokens,
    anchors: queue,
    departments: DEMO_DEPARTMENTS.filter((d) => (SERVED as readonly string[]).includes(d.code)).map((d) => ({
      code: d.code,
      name: d.nameZh,
      signerFor: (role) => pki.signerFor(d.code, role),
    })),
    fonts,
    chain: createChainReader({ rpc: verifyRpc, deployment: chain.deployment }),
    pool,
    listDepartments: () => listDepartments(readContracts.registry, searchKeyRegistrations(verifyRpc, chain.deployment.registryAddress, fromBlock)),
    revokeOnChain: createDocumentRevoker({ ledgerFor: (code) => chain.ledgerFor(code, revokerProvider), fromBlock }),
    publicBaseUrl: "http://127.0.0.1:8080",
    logger,
    clock,
    limits: { publicRequestsPerWindow: 10_000, ...limits },
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    chain,
    pki,
    store,
    queue,
    pool,
    tokens: {
      SAMR: store.tokens.createToken("SAMR", "test operator").secret,
      MCA: store.tokens.createToken("MCA", "test operator").secret,
      unserved: store.tokens.createToken("APPROVAL", "not served here").secret,
    },
    logs: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.close();
      await queue.stop();
      verifyRpc.close();
      store.close();
      if (revokerProvider !== provider) revokerProvider.destroy();
      await chain.close();
    },
  };
}
