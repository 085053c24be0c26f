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
