// Runs ZeroSign service nodes as real processes (server/main.ts) against a chain node the test
// owns, and talks to them over HTTP with the demo operator tokens each node printed.
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Deployment } from "../../server/chain/deploy";
import { EMBEDDED_DEPLOYER_KEY } from "../../server/devnet/embedded-chain";
import { demoTemplate } from "../../server/pdf/demo-template";
import type { DemoToken } from "../../server/demo/tokens";
import { startZeroSign, type StartedProcess } from "./start-process";

export const SERVICE_READY = /ZeroSign ready: (\S+)/;

export interface ServiceNode {
  process: StartedProcess;
  /** Base URL without the trailing slash. */
  url: string;
  tokens: Record<string, string>;
  deployment: Deployment;
}

/** Starts a node on `dataDir` against the chain at `rpcUrl` serving `departments`. */
export async function startServiceNode(opts: {
  dataDir: string;
  rpcUrl: string;
  departments: string;
  env?: Record<string, string>;
}): Promise<ServiceNode> {
  const process = await startZeroSign(
    {
      ZEROSIGN_DATA: opts.dataDir,
      CHAIN_RPC_URL: opts.rpcUrl,
      DEPLOYER_PRIVATE_KEY: EMBEDDED_DEPLOYER_KEY,
      ZEROSIGN_DEPARTMENTS: opts.departments,
      PORT: "0",
      LOG_LEVEL: "warn",
      ANCHOR_MAX_WAIT_MS: "100",
      ...opts.env,
    },
    SERVICE_READY,
  );
  const tokens = JSON.parse(await readFile(path.join(opts.dataDir, "demo-tokens.json"), "utf8")) as DemoToken[];
  const deployment = opts.env?.LEDGER_ADDRESS
    ? { registryAddress: opts.env.REGISTRY_ADDRESS, ledgerAddress: opts.env.LEDGER_ADDRESS, chainId: 31337, deployBlock: Number(opts.env.LEDGER_DEPLOY_BLOCK ?? 0) }
    : (JSON.parse(await readFile(path.join(opts.dataDir, "deployment.json"), "utf8")) as Deployment);
  return {
    process,
    url: process.readyUrl.replace(/\/$/, ""),
    tokens: Object.fromEntries(tokens.map((t) => [t.departmentCode, t.secret])),
    deployment,
  };
}

/** Stops a node with SIGINT and returns its exit code. */
export async function stopServiceNode(node: ServiceNode | undefined): Promise<number | null> {
  if (!node || node.process.child.exitCode !== null || node.process.child.signalCode !== null) return null;
  node.process.child.kill("SIGINT");
  return node.process.exited;
}

export interface DocumentView {
  id: string;
  title?: string;
  docHashHex: string;
  status?: string;
  anchoring: { status: string; lastError?: string; txHash?: string; anchor?: { batchId: number } };
}

/** JSON over fetch; returns status and parsed body. */
export async function callJson<T = unknown>(
  url: string,
  init: { method?: string; token?: string; json?: unknown; pdf?: Uint8Array } = {},
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let body: string | Uint8Array | undefined;
  if (init.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(init.json);
  } else if (init.pdf) {
    headers["content-type"] = "application/pdf";
    body = init.pdf;
  }
  const res = await fetch(url, { method: init.method ?? (body === undefined ? "GET" : "POST"), headers, body });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** The demo certificate template as POST /api/certificates takes it (the node fills in the department). */
export function certificateBody(issueDate = "2026-01-05"): Record<string, unknown> {
  const { department: _department, certificateIdentifier: _id, ...body } = demoTemplate({ issueDate }) as unknown as Record<string, unknown>;
  return body;
}

/** Issues a certificate on `node` for `departmentCode`; throws unless 201. */
export async function issueOn(node: ServiceNode, departmentCode: string): Promise<DocumentView> {
  const res = await callJson<DocumentView>(`${node.url}/api/certificates`, { token: node.tokens[departmentCode], json: certificateBody() });
  if (res.status !== 201) throw new Error(`issue returned ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Every document of `departmentCode` in `node`'s store, page by page. */
export async function listAllDocuments(node: ServiceNode, departmentCode: string): Promise<DocumentView[]> {
  const all: DocumentView[] = [];
  let before: string | undefined;
  for (;;) {
    const query = `limit=100${before ? `&before=${encodeURIComponent(before)}` : ""}`;
    const res = await callJson<{ documents: DocumentView[]; nextBefore?: string }>(`${node.url}/api/documents?${query}`, {
      token: node.tokens[departmentCode],
    });
    if (res.status !== 200) throw new Error(`list returned ${res.status}`);
    all.push(...res.body.documents);
    if (!res.body.nextBefore) return all;
    before = res.body.nextBefore;
  }
}
