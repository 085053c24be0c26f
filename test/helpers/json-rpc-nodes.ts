// Local HTTP servers standing in for a chain node's policy, not for ZeroSign's code: one that
// answers whatever a test says, one that caps log searches as Besu does, and the assertion that a
// question to such a node came back as an outage.
import { expect } from "chai";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ChainUnavailableError } from "../../server/errors";

/** A local HTTP server answering every POST with `answer(body)`. */
export async function serveHttp(answer: (body: string) => Promise<{ status: number; body: string }>): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void answer(Buffer.concat(chunks).toString("utf8")).then(({ status, body }) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

/** http://127.0.0.1:<port> of a listening server. */
export function urlOf(server: http.Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * A node that refuses every eth_getLogs as Besu does when the range exceeds
 * --rpc-max-logs-range, and answers anything else with chain id 31337 (enough for a provider
 * with a static network). Single requests and batches.
 */
export function serveRangeCappedNode(): Promise<http.Server> {
  const answer = ({ id, method }: { id: number; method: string }) =>
    method === "eth_getLogs"
      ? { jsonrpc: "2.0", id, error: { code: -32005, message: "Requested range exceeds maximum RPC range limit" } }
      : { jsonrpc: "2.0", id, result: "0x7a69" };
  return serveHttp(async (body) => {
    const payload = JSON.parse(body) as { id: number; method: string } | Array<{ id: number; method: string }>;
    return { status: 200, body: JSON.stringify(Array.isArray(payload) ? payload.map(answer) : answer(payload)) };
  });
}

/** Asserts that `promise` rejects with ChainUnavailableError CHAIN_UNREACHABLE (HTTP 503). */
export async function expectUnreachable(promise: Promise<unknown>): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).to.be.instanceOf(ChainUnavailableError);
  expect((err as ChainUnavailableError).code).to.equal("CHAIN_UNREACHABLE");
  expect((err as ChainUnavailableError).httpStatus).to.equal(503);
}

/** A JSON-RPC proxy in front of a real node that refuses eth_getLogs over `maxRange` blocks, as Besu does. */
export interface CappedProxy {
  url: string;
  /** Requests forwarded or refused, by method. */
  calls: Map<string, number>;
  /** The widest eth_getLogs range answered (not refused). */
  widestAnswered: number;
  /** eth_getLogs refused for their range. */
  refused: number;
  close(): Promise<void>;
}

interface RpcRequest {
  jsonrpc: "2.0";
  id: number;
  method: string;
  params?: unknown[];
}

/**
 * Starts a proxy to `upstreamUrl` that answers eth_getLogs over more than `maxRange` blocks with
 * Besu's error (-32005), resolving "latest" and a missing bound as a node does. With
 * `stripBlockTimestamp` it removes the `blockTimestamp` field from logs, as older nodes send them.
 */
export async function startCappedProxy(upstreamUrl: string, maxRange: number, options: { stripBlockTimestamp?: boolean } = {}): Promise<CappedProxy> {
  const calls = new Map<string, number>();
  const upstream = async (payload: RpcRequest | RpcRequest[]): Promise<unknown> => {
    const res = await fetch(upstreamUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(payload) });
    return res.json();
  };
  const blockOf = async (tag: unknown): Promise<number> => {
    if (typeof tag === "string" && /^0x[0-9a-f]+$/i.test(tag)) return Number.parseInt(tag, 16);
    if (tag === "earliest") return 0;
    const answer = (await upstream({ jsonrpc: "2.0", id: 0, method: "eth_blockNumber", params: [] })) as { result: string };
    return Number.parseInt(answer.result, 16);
  };
  const proxy: CappedProxy = { url: "", calls, widestAnswered: 0, refused: 0, close: async () => undefined };
  const one = async (request: RpcRequest): Promise<unknown> => {
    calls.set(request.method, (calls.get(request.method) ?? 0) + 1);
    if (request.method === "eth_getLogs") {
      const filter = (request.params?.[0] ?? {}) as { fromBlock?: unknown; toBlock?: unknown; blockHash?: unknown };
      if (filter.blockHash === undefined) {
        const range = (await blockOf(filter.toBlock ?? "latest")) - (await blockOf(filter.fromBlock ?? "latest")) + 1;
        if (range > maxRange) {
          proxy.refused++;
          return { jsonrpc: "2.0", id: request.id, error: { code: -32005, message: "Requested range exceeds maximum RPC range limit" } };
        }
        proxy.widestAnswered = Math.max(proxy.widestAnswered, range);
      }
    }
    const answer = (await upstream(request)) as { result?: unknown };
    if (options.stripBlockTimestamp && request.method === "eth_getLogs" && Array.isArray(answer.result)) {
      answer.result = answer.result.map((log: Record<string, unknown>) => {
        const { blockTimestamp: _dropped, ...rest } = log;
        return rest;
      });
    }
    return answer;
  };
  const server = await serveHttp(async (body) => {
    const payload = JSON.parse(body) as RpcRequest | RpcRequest[];
    const answer = Array.isArray(payload) ? await Promise.all(payload.map(one)) : await one(payload);
    return { status: 200, body: JSON.stringify(answer) };
  });
  proxy.url = urlOf(server);
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
