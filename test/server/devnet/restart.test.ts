// `npm start` keeps the chain's state: contracts, registry and anchored documents are still there
// after a clean stop (Ctrl-C) and after the start process is killed outright.
import { expect } from "chai";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { encodeBytes32String, hexlify, JsonRpcProvider, NonceManager, randomBytes, Wallet } from "ethers";
import { findDocumentAnchors } from "../../../server/chain/anchor-lookup";
import { attachZeroSign, type Deployment } from "../../../server/chain/deploy";
import { DOCUMENT_KINDS } from "../../../server/chain/merkle";
import { DEMO_DEPARTMENTS } from "../../../server/demo/departments";
import type { DemoOperator } from "../../../server/demo/operators";
import { startZeroSign, type StartedProcess } from "../../helpers/start-process";

const READY = /ZeroSign chain ready: (\S+)/;

describe("npm start: embedded chain state across restarts", function () {
  this.timeout(180_000);
  let dataDir: string;
  let running: StartedProcess | undefined;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "zerosign-restart-"));
  });
  after(async () => {
    running?.child.kill("SIGKILL");
    await stopStaleChain(dataDir);
    await rm(dataDir, { recursive: true, force: true });
  });

  const start = () => startZeroSign({ ZEROSIGN_DATA: dataDir, CHAIN_PORT: "0" }, READY);

  async function anchorOne(rpcUrl: string): Promise<string> {
    const provider = new JsonRpcProvider(rpcUrl);
    try {
      const deployment = JSON.parse(await readFile(path.join(dataDir, "deployment.json"), "utf8")) as Deployment;
      const operators = JSON.parse(await readFile(path.join(dataDir, "operators.json"), "utf8")) as DemoOperator[];
      const samr = operators.find((op) => op.departmentCode === "SAMR");
      if (!samr) throw new Error("no SAMR operator in operators.json");
      const { ledger } = attachZeroSign(deployment, new NonceManager(new Wallet(samr.privateKey, provider)));
      const docHash = hexlify(randomBytes(32));
      const others = Array.from({ length: 4 }, () => hexlify(randomBytes(32)));
      await (await ledger.anchorBatch([...others, docHash], new Uint8Array(5).fill(DOCUMENT_KINDS.certificate))).wait();
      return docHash;
    } finally {
      provider.destroy();
    }
  }

  async function lookUp(rpcUrl: string, docHash: string) {
    const provider = new JsonRpcProvider(rpcUrl);
    try {
      const deployment = JSON.parse(await readFile(path.join(dataDir, "deployment.json"), "utf8")) as Deployment;
      const { ledger, registry } = attachZeroSign(deployment, provider);
      const anchors = await findDocumentAnchors(ledger, docHash, { fromBlock: deployment.deployBlock });
      return { anchors, departments: await registry.departmentIds(), deployment };
    } finally {
      provider.destroy();
    }
  }

  it("keeps contracts, departments and an anchored document after Ctrl-C and a second start", async () => {
    running = await start();
    expect(running.output()).to.contain("Deploying ZeroSign's contracts");
    const docHash = await anchorOne(running.readyUrl);
    const before = await lookUp(running.readyUrl, docHash);
    expect(before.anchors).to.have.length(1);

    running.child.kill("SIGINT");
    expect(await running.exited).to.equal(0);

    running = await start();
    expect(running.output()).not.to.contain("Deploying");
    expect(running.output()).to.contain("0 registry transactions sent now");
    const after = await lookUp(running.readyUrl, docHash);
    // The embedded chain listens on a new port each start; deployment.json records the current URL.
    const withoutUrl = (deployment: object) => {
      const { rpcUrl: _url, ...rest } = deployment as { rpcUrl?: string };
      return rest;
    };
    expect(withoutUrl(after.deployment)).to.deep.equal(withoutUrl(before.deployment));
    expect(after.departments).to.deep.equal(DEMO_DEPARTMENTS.map((d) => encodeBytes32String(d.code)));
    expect(after.anchors).to.deep.equal(before.anchors);
    expect(after.anchors[0]).to.include({ departmentId: encodeBytes32String("SAMR"), index: 4, batchSize: 5 });
  });

  it("recovers the chain left running when the start process was killed outright", async () => {
    if (!running) throw new Error("the previous test left no running start");
    const docHash = await anchorOne(running.readyUrl);
    running.child.kill("SIGKILL");
    await running.exited;

    running = await start();
    expect(running.output()).to.contain("Stopping the embedded chain left running by an earlier start");
    const { anchors } = await lookUp(running.readyUrl, docHash);
    expect(anchors).to.have.length(1);
    running.child.kill("SIGINT");
    expect(await running.exited).to.equal(0);
    running = undefined;
  });
});

/** Stops an Anvil left by a failed test run so the temp folder can go. */
async function stopStaleChain(dataDir: string): Promise<void> {
  const pid = Number(await readFile(path.join(dataDir, "chain", "anvil.pid"), "utf8").catch(() => ""));
  if (pid > 0) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone: nothing to clean up.
    }
  }
}
