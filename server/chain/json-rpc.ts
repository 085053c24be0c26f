// The verifier's wire to a node: JSON-RPC requests as plain JSON, nothing formatted. A verification
// asks a handful of small questions and reads one receipt of a few hundred logs; ethers' provider
// turned each answer into checksummed addresses, frozen Log objects and UTF-8 decoded in
// JavaScript, which cost more CPU than every offline check together. Here answers stay the node's
// JSON, and chain/ reads the few fields it needs. Questions asked together share one batch POST.
import http from "node:http";
import https from "node:https";
import { ChainUnavailableError } from "../errors";

/** Sends JSON-RPC requests; the answer is the node's `result`, as parsed JSON. */
export interface JsonRpc {
  /**
   * Asks `method`. Rejects with JsonRpcCallError when the node answers with an error (a reverted
   * eth_call, a refused filter) and, for the HTTP client, ChainUnavailableError when it cannot
   * be reached or does not answer in JSON-RPC.
   */
  request(method: string, params: readonly unknown[]): Promise<unknown>;
}

/** The node answered a request with a JSON-RPC error object. `data` carries revert data, if any. */
export class JsonRpcCallError extends Error {
  readonly rpcCode: number;
  readonly data?: string;

  constructor(method: string, error: { code?: unknown; message?: unknown; data?: unknown }) {
    super(`${method}: ${typeof error.message === "string" ? error.message : "the node answered with an error"}`);
    this.name = "JsonRpcCallError";
    this.rpcCode = typeof error.code === "number" ? error.code : 0;
    if (typeof error.data === "string") this.data = error.data;
  }
}

/**
 * A JsonRpc over anything with ethers' `send(method, params)` (JsonRpcProvider, Hardhat's
 * in-process provider in tests): the same raw results. A node's error object the provider could
 * not classify (ethers' UNKNOWN_ERROR, Hardhat's ProviderError: a numeric JSON-RPC code) becomes
 * JsonRpcCallError, as from the HTTP client; outages and reverts keep ethers' shapes, which
 * chain-reader.ts's isChainOutage and decode-revert.ts know.
 */
export function jsonRpcOver(provider: { send(method: string, params: unknown[]): Promise<unknown> }): JsonRpc {
  return {
    request: async (method, params) => {
      try {
        return await provider.send(method, [...params]);
      } catch (err) {
        const nodeError = nodeErrorOf(err);
        throw nodeError ? new JsonRpcCallError(method, nodeError) : err;
      }
    },
  };
}

/** The JsonRpc of a contract connected to a JSON-RPC provider (directly or through a signer). */
export function jsonRpcOfRunner(runner: { provider?: unknown } | null | undefined): JsonRpc {
  const provider = runner?.provider;
  if (typeof provider !== "object" || provider === null || typeof (provider as { send?: unknown }).send !== "function") {
    throw new Error("the contract is not connected to a JSON-RPC provider");
  }
  return jsonRpcOver(provider as { send(method: string, params: unknown[]): Promise<unknown> });
}

/** The JSON-RPC error object a provider error carries, when it is only that (no outage, no decoded revert). */
function nodeErrorOf(err: unknown): { code?: unknown; message?: unknown; data?: unknown } | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const e = err as { code?: unknown; error?: unknown; message?: unknown; data?: unknown };
  // ethers: makeError("could not coalesce error", "UNKNOWN_ERROR", { error, payload }).
  if (e.code === "UNKNOWN_ERROR" && typeof e.error === "object" && e.error !== null && typeof (e.error as { code?: unknown }).code === "number") {
    return e.error as { code?: unknown; message?: unknown; data?: unknown };
  }
  // Hardhat's ProviderError carries the JSON-RPC code itself.
  if (typeof e.code === "number") return { code: e.code, message: e.message, data: e.data };
  return undefined;
}

/**
 * How many microtask turns a request waits for others before its POST leaves. The questions of
 * one round (a verification's four log searches; its key, revocation and department questions)
 * are started together but reach `request` a few promise steps apart; waiting this many turns lets
 * them share one POST and is far shorter than a timer tick. A microtask turn is not the thread
 * going idle, so offline checks running meanwhile do not hold the questions back.
 */
const COALESCE_TURNS = 32;

/** At most this many requests share one POST (nodes cap their batch size). */
const MAX_BATCH = 64;

/** Options of {@link createHttpJsonRpc}. */
export interface HttpJsonRpcOptions {
  /** A POST not answered in full within this time fails as unreachable. Default 10 000. */
  timeoutMs?: number;
  /** A larger answer is refused (as unreachable) rather than read into memory. Default 64 MiB. */
  maxResponseBytes?: number;
  /** Open connections to the node at most. Default 16. */
  maxSockets?: number;
}

/** A JsonRpc over HTTP(S) with keep-alive connections; `close` ends them and refuses new requests. */
export interface HttpJsonRpc extends JsonRpc {
  close(): void;
}

interface Pending {
  id: number;
  method: string;
  params: readonly unknown[];
  resolve: (result: unknown) => void;
  reject: (err: unknown) => void;
}

/**
 * A JSON-RPC client for `url` (http: or https:). Requests asked within a few microtask turns
 * leave as one batch POST (a lone one as a plain object, which every node accepts); each is
 * answered with its own `result` by id. A transport failure, an HTTP status other than 200, a body
 * that is not JSON-RPC or a missing answer rejects with ChainUnavailableError CHAIN_UNREACHABLE:
 * the node is not answering, which a verifier reports as unknown, never as a verdict.
 */
export function createHttpJsonRpc(url: string, options: HttpJsonRpcOptions = {}): HttpJsonRpc {
  const target = new URL(url);
  if (target.protocol !== "http:" && target.protocol !== "https:") throw new RangeError(`not an http(s) JSON-RPC URL: ${url}`);
  const transport = target.protocol === "https:" ? https : http;
  const agent = new transport.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 16 });
  const limits = { timeoutMs: options.timeoutMs ?? 10_000, maxResponseBytes: options.maxResponseBytes ?? 64 * 1024 * 1024 };
  let nextId = 1;
  let pending: Pending[] = [];
  let closed = false;

  const flushAfter = (turns: number): void =>
    queueMicrotask(() => {
      if (turns > 1 && pending.length < MAX_BATCH) return flushAfter(turns - 1);
      const due = pending;
      pending = [];
      for (let i = 0; i < due.length; i += MAX_BATCH) void post(due.slice(i, i + MAX_BATCH));
    });

  const post = async (batch: Pending[]): Promise<void> => {
    const payload = batch.map(({ id, method, params }) => ({ jsonrpc: "2.0", id, method, params }));
    let answers: unknown;
    try {
      answers = JSON.parse(await postJson(transport, agent, target, JSON.stringify(batch.length === 1 ? payload[0] : payload), limits));
    } catch (err) {
      const outage = new ChainUnavailableError("CHAIN_UNREACHABLE", `The chain node at ${target.host} did not answer (${describe(err)})`, {
        cause: err,
      });
      for (const p of batch) p.reject(outage);
      return;
    }
    const byId = new Map<unknown, { result?: unknown; error?: { code?: unknown; message?: unknown; data?: unknown } }>();
    for (const answer of Array.isArray(answers) ? answers : [answers]) {
      if (answer !== null && typeof answer === "object" && "id" in answer) byId.set(answer.id, answer);
    }
    for (const p of batch) {
      const answer = byId.get(p.id);
      if (answer?.error !== undefined && answer.error !== null) p.reject(new JsonRpcCallError(p.method, answer.error));
      else if (answer && "result" in answer) p.resolve(answer.result);
      else p.reject(new ChainUnavailableError("CHAIN_UNREACHABLE", `The chain node at ${target.host} sent no answer to ${p.method}`));
    }
  };

  return {
    request(method, params) {
      if (closed) return Promise.reject(new ChainUnavailableError("CHAIN_UNREACHABLE", "the JSON-RPC client is closed"));
      return new Promise((resolve, reject) => {
        if (pending.push({ id: nextId++, method, params, resolve, reject }) === 1) flushAfter(COALESCE_TURNS);
      });
    },
    close() {
      closed = true;
      agent.destroy();
    },
  };
}

/**
 * POSTs `body` as JSON and resolves with the response body; rejects on transport failure, a
 * non-200 status, an answer over `maxResponseBytes`, or no complete answer within `timeoutMs`
 * (a deadline for the whole exchange: a node trickling bytes does not keep a socket forever).
 */
function postJson(
  transport: typeof http | typeof https,
  agent: http.Agent,
  target: URL,
  body: string,
  limits: { timeoutMs: number; maxResponseBytes: number },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const fail = (err: unknown) => {
      clearTimeout(deadline);
      reject(err);
    };
    const req = transport.request(
      target,
      {
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let received = 0;
        res.on("data", (chunk: Buffer) => {
          received += chunk.length;
          if (received > limits.maxResponseBytes) res.destroy(new Error(`the answer is larger than ${limits.maxResponseBytes} bytes`));
          else chunks.push(chunk);
        });
        res.on("error", fail);
        res.on("end", () => {
          clearTimeout(deadline);
          if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}`));
          else resolve(Buffer.concat(chunks).toString("utf8"));
        });
      },
    );
    const deadline = setTimeout(
      () => req.destroy(Object.assign(new Error(`no complete answer within ${limits.timeoutMs} ms`), { code: "ETIMEDOUT" })),
      limits.timeoutMs,
    );
    req.on("error", fail);
    req.end(body);
  });
}

function describe(err: unknown): string {
  if (err instanceof SyntaxError) return "its answer is not JSON";
  const code = (err as { code?: unknown }).code;
  return typeof code === "string" ? code : err instanceof Error ? err.message : String(err);
}
