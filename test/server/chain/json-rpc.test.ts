// createHttpJsonRpc against a real node (the embedded Anvil): requests asked together share one
// batch POST and each gets its own answer, a revert comes back as JsonRpcCallError with its data,
// answers are never reused. Against servers that are not a working node (nothing listening, HTTP
// 500, HTML, silence), every request fails as ChainUnavailableError CHAIN_UNREACHABLE.
import { expect } from "chai";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { encodeBytes32String, JsonRpcProvider, NonceManager, Wallet } from "ethers";
import { TrustRegistry__factory } from "../../../typechain-types";
import { deployZeroSign, type Deployment } from "../../../server/chain/deploy";
import { createHttpJsonRpc, JsonRpcCallError, type HttpJsonRpc } from "../../../server/chain/json-rpc";
import { decodeRevert } from "../../../server/chain/decode-revert";
import { EMBEDDED_CHAIN_ID, EMBEDDED_DEPLOYER_KEY, startEmbeddedChain, type EmbeddedChain } from "../../../server/devnet/embedded-chain";
import { expectUnreachable, serveHttp, urlOf } from "../../helpers/json-rpc-nodes";

describe("createHttpJsonRpc: the verifier's JSON-RPC client", function () {
  this.timeout(60_000);
  let dataDir: string;
  let node: EmbeddedChain;
  let setup: JsonRpcProvider;
  let deployment: Deployment;
  let rpc: HttpJsonRpc;
  /** Batch sizes of the POSTs the node received, seen through a counting proxy. */
  let posted: number[];
  let proxy: http.Server;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "zerosign-json-rpc-"));
    node = await startEmbeddedChain({ dataDir, port: 0, log: () => undefined });
    setup = new JsonRpcProvider(node.rpcUrl, EMBEDDED_CHAIN_ID, { staticNetwork: true });
    ({ deployment } = await deployZeroSign(new NonceManager(new Wallet(EMBEDDED_DEPLOYER_KEY, setup)), new Wallet(EMBEDDED_DEPLOYER_KEY).address));
    proxy = await serveHttp(async (body) => {
      const payload = JSON.parse(body) as unknown;
      posted.push(Array.isArray(payload) ? payload.length : 1);
      const res = await fetch(node.rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body });
      return { status: res.status, body: await res.text() };
    });
    rpc = createHttpJsonRpc(urlOf(proxy));
  });
  beforeEach(() => {
    posted = [];
  });
  after(async () => {
    rpc.close();
    proxy.close();
    setup.destroy();
    await node.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("answers each of many concurrent requests with its own result", async function () {
    const latest = Number.parseInt(String(await rpc.request("eth_blockNumber", [])), 16);
    const blocks = await Promise.all(Array.from({ length: latest + 1 }, (_, n) => rpc.request("eth_getBlockByNumber", [`0x${n.toString(16)}`, false])));
    expect(blocks.map((b) => Number.parseInt((b as { number: string }).number, 16))).to.deep.equal(Array.from({ length: latest + 1 }, (_, n) => n));
  });

  it("posts requests asked together as one batch, and a lone request on its own", async function () {
    await Promise.all([rpc.request("eth_blockNumber", []), rpc.request("eth_chainId", []), rpc.request("eth_gasPrice", [])]);
    await rpc.request("eth_blockNumber", []);
    expect(posted).to.deep.equal([3, 1]);
  });

  it("splits more than 64 requests asked together into batches of at most 64", async function () {
    await Promise.all(Array.from({ length: 100 }, () => rpc.request("eth_chainId", [])));
    // Two POSTs leave together; the proxy may see either first.
    expect([...posted].sort((a, b) => b - a)).to.deep.equal([64, 36]);
  });

  it("returns a revert as JsonRpcCallError carrying the custom error's data", async function () {
    const registry = TrustRegistry__factory.createInterface();
    const data = registry.encodeFunctionData("department", [encodeBytes32String("NOPE")]);
    const [ok, err] = await Promise.all([
      rpc.request("eth_chainId", []),
      rpc.request("eth_call", [{ to: deployment.registryAddress, data }, "latest"]).then(
        () => undefined,
        (e: unknown) => e,
      ),
    ]);
    expect(ok).to.equal(`0x${EMBEDDED_CHAIN_ID.toString(16)}`);
    expect(err).to.be.instanceOf(JsonRpcCallError);
    expect(decodeRevert(registry, err)?.name).to.equal("TrustRegistryUnknownDepartment");
  });

  it("asks again rather than reusing an answer from moments ago", async function () {
    const before = await rpc.request("eth_blockNumber", []);
    await setup.send("evm_mine", []);
    const after = await rpc.request("eth_blockNumber", []);
    expect(Number.parseInt(String(after), 16)).to.equal(Number.parseInt(String(before), 16) + 1);
  });

  it("refuses to ask once closed", async function () {
    const closed = createHttpJsonRpc(node.rpcUrl);
    closed.close();
    await expectUnreachable(closed.request("eth_blockNumber", []));
  });

  it("reports nothing listening, HTTP 500, a body that is not JSON and a missing answer as CHAIN_UNREACHABLE", async function () {
    const released = await serveHttp(async () => ({ status: 200, body: "" }));
    const closedUrl = urlOf(released);
    await new Promise<void>((resolve) => released.close(() => resolve()));
    const broken = [
      await serveHttp(async () => ({ status: 500, body: "internal error" })),
      await serveHttp(async () => ({ status: 200, body: "<html>gateway</html>" })),
      await serveHttp(async () => ({ status: 200, body: JSON.stringify({ jsonrpc: "2.0", id: 999_999, result: "0x1" }) })),
    ];
    try {
      for (const url of [closedUrl, ...broken.map(urlOf)]) {
        const client = createHttpJsonRpc(url);
        await expectUnreachable(client.request("eth_blockNumber", []));
        client.close();
      }
    } finally {
      broken.forEach((s) => s.close());
    }
  });

  it("matches answers to requests by id, whatever their order, and fails only the one left unanswered", async function () {
    // Answers the batch in reverse order, adds an answer to an id nobody asked, drops the first request's.
    const shuffling = await serveHttp(async (body) => {
      const batch = JSON.parse(body) as Array<{ id: number; params: unknown[] }>;
      const answers = batch.slice(1).map((r) => ({ jsonrpc: "2.0", id: r.id, result: r.params[0] }));
      return { status: 200, body: JSON.stringify([{ jsonrpc: "2.0", id: 424_242, result: "foreign" }, ...answers.reverse()]) };
    });
    const client = createHttpJsonRpc(urlOf(shuffling));
    try {
      const asked = ["a", "b", "c", "d"].map((tag) => client.request("echo", [tag]));
      await expectUnreachable(asked[0]);
      expect(await Promise.all(asked.slice(1))).to.deep.equal(["b", "c", "d"]);
    } finally {
      client.close();
      shuffling.close();
    }
  });

  it("gives up on a node that trickles its answer past the deadline, and on an answer over the size limit", async function () {
    const trickling = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const timer = setInterval(() => res.write(" "), 50);
      res.on("close", () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => trickling.listen(0, "127.0.0.1", resolve));
    const huge = await serveHttp(async () => ({ status: 200, body: JSON.stringify({ jsonrpc: "2.0", id: 1, result: "x".repeat(10_000) }) }));
    const slow = createHttpJsonRpc(urlOf(trickling), { timeoutMs: 300 });
    const capped = createHttpJsonRpc(urlOf(huge), { maxResponseBytes: 1_000 });
    try {
      // Bytes keep arriving every 50 ms, so only a deadline for the whole answer ends this.
      await expectUnreachable(slow.request("eth_blockNumber", []));
      await expectUnreachable(capped.request("eth_blockNumber", []));
    } finally {
      slow.close();
      capped.close();
      trickling.closeAllConnections();
      trickling.close();
      huge.close();
    }
  });

  it("gives up on a node that accepts but never answers after its time limit", async function () {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const client = createHttpJsonRpc(urlOf(silent), { timeoutMs: 200 });
    try {
      await expectUnreachable(client.request("eth_blockNumber", []));
    } finally {
      client.close();
      silent.closeAllConnections();
      silent.close();
    }
  });
});
