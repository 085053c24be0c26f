// The JSON-RPC provider a verifier reads the chain through (createChainReader's contracts connect
// to it). It decides how soon each question leaves and that no answer is reused; which contracts
// are asked what stays chain-reader.ts's business.
import { JsonRpcProvider, makeError, Network, type JsonRpcError, type JsonRpcPayload, type JsonRpcResult } from "ethers";

/**
 * ethers' JsonRpcProvider, except that `send` posts each request at once. ethers queues every
 * request and posts the queue from a timer (batchStallTime, 10 ms by default; still a timer tick
 * with batchMaxCount 1), which only fires once the thread is idle: a question asked before the
 * verifier's offline checks left after them, and every round trip waited for the next tick.
 * ethers asks subclasses not to override `send`; posting through its own `_send` keeps its
 * transport, timeouts and error decoding, and only the queue is bypassed.
 */
class ImmediateJsonRpcProvider extends JsonRpcProvider {
  #nextId = 1;

  override async send(method: string, params: unknown[] | Record<string, unknown>): Promise<unknown> {
    if (this.destroyed) throw makeError("provider destroyed; cancelled request", "UNSUPPORTED_OPERATION", { operation: method });
    const payload: JsonRpcPayload = { method, params, id: this.#nextId++, jsonrpc: "2.0" };
    const responses: (JsonRpcResult | JsonRpcError)[] = await this._send(payload);
    const response = responses.find((r) => r.id === payload.id);
    if (!response) throw makeError("missing response for request", "BAD_DATA", { value: responses, info: { payload } });
    if ("error" in response) throw this.getRpcError(payload, response);
    return response.result;
  }
}

/**
 * A provider for the verifier's reads at `rpcUrl`, on chain `chainId`: each question is posted
 * as soon as it is asked (see ImmediateJsonRpcProvider), staticNetwork so no eth_chainId goes
 * before them, and cacheTimeout -1 because ethers would otherwise answer an identical request
 * from memory for 250 ms, across verifications; key status and revocations are asked afresh
 * every time.
 */
export function createReadProvider(rpcUrl: string, chainId: number): JsonRpcProvider {
  return new ImmediateJsonRpcProvider(rpcUrl, Network.from(chainId), { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
}
