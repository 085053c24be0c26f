// createReadProvider against a real node (the embedded Anvil): requests asked together share one
// batch POST and each gets its own answer, answers are never reused across questions (key status and revocations must
// be fresh), a contract's revert is still decoded, and a destroyed provider refuses to ask.
import { expect } from "chai";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { encodeBytes32String, JsonRpcProvider, NonceManager, Wallet, type JsonRpcPayload } from "ethers";
import { createChainReader } from "../../../server/chain/chain-reader";
import { attachZeroSign, deployZeroSign, type Deployment } from "../../../server/chain/deploy";
import { jsonRpcOver } from "../../../server/chain/json-rpc";
import { createReadProvider } from "../../../server/chain/read-provider";
import { EMBEDDED_CHAIN_ID, EMBEDDED_DEPLOYER_KEY, startEmbeddedChain, type EmbeddedChain } from "../../../server/devnet/embedded-chain";

describe("createReadProvider: the verifier's provider on a local node", function () {
  this.timeout(60_000);
  let dataDir: string;
  let node: EmbeddedChain;
  let setup: JsonRpcProvider;
  let read: JsonRpcProvider;
  let deployment: Deployment;
  let deployer: NonceManager;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "zerosign-read-provider-"));
    node = await startEmbeddedChain({ dataDir, port: 0, log: () => undefined });
    setup = new JsonRpcProvider(node.rpcUrl, EMBEDDED_CHAIN_ID, { staticNetwork: true });
    deployer = new NonceManager(new Wallet(EMBEDDED_DEPLOYER_KEY, setup));
    ({ deployment } = await deployZeroSign(deployer, await deployer.getAddress()));
    read = createReadProvider(node.rpcUrl, EMBEDDED_CHAIN_ID);
  });
  after(async () => {
    read.destroy();
    setup.destroy();
    await node.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("answers each of many concurrent requests with its own result", async function () {
    const latest = await read.getBlockNumber();
    const blocks = await Promise.all(Array.from({ length: latest + 1 }, (_, n) => read.getBlock(n)));
    expect(blocks.map((b) => b?.number)).to.deep.equal(Array.from({ length: latest + 1 }, (_, n) => n));
  });

  it("posts questions asked together as one batch, and a lone question on its own", async function () {
    const posted: number[] = [];
    const send = JsonRpcProvider.prototype._send;
    JsonRpcProvider.prototype._send = function (this: JsonRpcProvider, payload: JsonRpcPayload | JsonRpcPayload[]) {
      posted.push(Array.isArray(payload) ? payload.length : 1);
      return send.call(this, payload);
    };
    try {
      const [b0, b1, b2, latest] = await Promise.all([read.getBlock(0), read.getBlock(1), read.getBlock(2), read.getBlockNumber()]);
      expect([b0?.number, b1?.number, b2?.number]).to.deep.equal([0, 1, 2]);
      expect(latest).to.be.at.least(2);
      await read.getBlockNumber();
    } finally {
      JsonRpcProvider.prototype._send = send;
    }
    expect(posted).to.deep.equal([4, 1]);
  });

  it("asks again rather than reusing an answer from moments ago", async function () {
    const before = await read.getBlockNumber();
    await setup.send("evm_mine", []);
    expect(await read.getBlockNumber()).to.equal(before + 1);
  });

  it("sees a department registered between two identical questions", async function () {
    const reader = createChainReader({ rpc: jsonRpcOver(read), deployment });
    const id = encodeBytes32String("FRESH");
    expect(await reader.departmentName(id)).to.equal(undefined);
    const { registry } = attachZeroSign(deployment, deployer);
    await (await registry.registerDepartment(id, "新登记的部门")).wait();
    expect(await reader.departmentName(id)).to.equal("新登记的部门");
  });

  it("refuses to ask once destroyed", async function () {
    const gone = createReadProvider(node.rpcUrl, EMBEDDED_CHAIN_ID);
    gone.destroy();
    const err = await gone.send("eth_blockNumber", []).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(Error);
    expect((err as { code?: unknown }).code).to.equal("UNSUPPORTED_OPERATION");
  });
});
