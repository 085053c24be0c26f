// The JSON-RPC provider a verifier reads the chain through (createChainReader's contracts connect
// to it). It decides how soon each question leaves, which questions share a POST, and that no
// answer is reused; which contracts are asked what stays chain-reader.ts's business.
import { JsonRpcProvider, makeError, Network, type JsonRpcError, type JsonRpcPayload, type JsonRpcResult } from "ethers";

/**
 * How many microtask turns a question waits for others before its POST leaves. The questions of
 * one round (a verification's four log searches; its key, revocation and department questions)
 * are started together but reach `send` a few promise steps apart, depending on what ethers
 * resolves first; waiting this many turns lets them share one POST, and is far shorter than a
 * timer tick. A microtask turn is not the thread going idle: the offline checks do not hold the
 * questions back.
 */
const COALESCE_TURNS = 32;

/** At most this many requests share one POST (a node may cap its batch size). */
const MAX_BATCH = 64;

interface Pending {
  payload: JsonRpcPayload;
  resolve: (result: unknown) => void;
  reject: (err: unknown) => void;
}

/**
 * ethers' JsonRpcProvider, except that `send` coalesces the requests asked within a few
 * microtask turns (COALESCE_TURNS) into one JSON-RPC batch POST. ethers queues every request and
 * posts the queue from a timer (batchStallTime, 10 ms by default; still a timer tick with
 * batchMaxCount 1), which only fires once the thread is idle: a question asked before the
 * verifier's offline checks left after them, and every round trip waited for the next tick.
 * ethers asks subclasses not to override `send`; posting through its own `_send` keeps its
 * transport, timeouts and error decoding, and only the queue is replaced. A transport failure
 * rejects every request of its POST with ethers' own error, so outages are still recognised.
 */
class CoalescingJsonRpcProvider extends JsonRpcProvider {
  #nextId = 1;
  #pending: Pending[] = [];

  override send(method: string, params: unknown[] | Record<string, unknown>): Promise<unknown> {
    if (this.destroyed) {
      return Promise.reject(makeError("provider destroyed; cancelled request", "UNSUPPORTED_OPERATION", { operation: method }));
    }
    return new Promise((resolve, reject) => {
      const payload: JsonRpcPayload = { method, params, id: this.#nextId++, jsonrpc: "2.0" };
      if (this.#pending.push({ payload, resolve, reject }) === 1) this.#flushAfter(COALESCE_TURNS);
    });
  }

  #flushAfter(turns: number): void {
    queueMicrotask(() => {
      if (turns > 1 && this.#pending.length < MAX_BATCH) return this.#flushAfter(turns - 1);
      const pending = this.#pending;
      this.#pending = [];
      for (let i = 0; i < pending.length; i += MAX_BATCH) void this.#post(pending.slice(i, i + MAX_BATCH));
    });
  }

  async #post(batch: Pending[]): Promise<void> {
    let responses: (JsonRpcResult | JsonRpcError)[];
    try {
      // A lone request goes as a plain object, as every node accepts.
      responses = await this._send(batch.length === 1 ? batch[0].payload : batch.map((p) => p.payload));
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    }
    const byId = new Map(responses.map((r) => [r.id, r]));
    for (const { payload, resolve, reject } of batch) {
      const response = byId.get(payload.id);
      if (!response) reject(makeError("missing response for request", "BAD_DATA", { value: responses, info: { payload } }));
      else if ("error" in response) reject(this.getRpcError(payload, response));
      else resolve(response.result);
    }
  }
}

/**
 * A provider for the verifier's reads at `rpcUrl`, on chain `chainId`: the questions asked
 * together leave together, at once, as one batch POST (see CoalescingJsonRpcProvider),
 * staticNetwork so no eth_chainId goes before them, and cacheTimeout -1 because ethers would
 * otherwise answer an identical request from memory for 250 ms, across verifications; key status
 * and revocations are asked afresh every time.
 */
export function createReadProvider(rpcUrl: string, chainId: number): JsonRpcProvider {
  return new CoalescingJsonRpcProvider(rpcUrl, Network.from(chainId), { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
}
