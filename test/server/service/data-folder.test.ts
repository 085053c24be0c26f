// The data folder holds dev keys, operator keys, token hashes and holders' documents: it is 0700
// and every file in it 0600, whatever the umask, including the files Anvil writes itself. npm
// start prints a demo token's secret on the start that creates it, and never again.
import { expect } from "chai";
import { readdir, readFile, mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { runCli } from "../../../server/cli/main";
import type { DemoToken } from "../../../server/demo/tokens";
import { startEmbeddedChain } from "../../../server/devnet/embedded-chain";
import { startZeroSign, type StartedProcess } from "../../helpers/start-process";

const modeOf = async (file: string) => ((await stat(file)).mode & 0o777).toString(8);

/** Every folder and file under `dir` with its mode, e.g. ["pki/SAMR", "700"]. */
async function modesUnder(dir: string): Promise<[string, string][]> {
  const entries = await readdir(dir, { recursive: true });
  return [[".", await modeOf(dir)], ...(await Promise.all(entries.map(async (e): Promise<[string, string]> => [e, await modeOf(path.join(dir, e))])))];
}

describe("data folder: owner-only modes", function () {
  this.timeout(120_000);
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "zerosign-modes-"));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("keeps the embedded chain's folder 0700 and its state, log and pid 0600 under a lax umask", async () => {
    const previous = process.umask(0o022);
    try {
      const chain = await startEmbeddedChain({ dataDir, port: 0, log: () => undefined });
      const dir = path.join(dataDir, "chain");
      expect(await modeOf(dir)).to.equal("700");
      expect(await modeOf(path.join(dir, "anvil.log"))).to.equal("600");
      expect(await modeOf(path.join(dir, "anvil.pid"))).to.equal("600");
      await chain.stop(); // Anvil writes its state on the way out
      expect(await modeOf(chain.stateFile)).to.equal("600");
    } finally {
      process.umask(previous);
    }
  });

  it("npm start: folders 0700, files 0600; a demo token's secret printed once; a revoked one not replaced", async () => {
    const start = () => startZeroSign({ ZEROSIGN_DATA: dataDir, CHAIN_PORT: "0", PORT: "0", LOG_LEVEL: "warn" }, /ZeroSign ready: (\S+)/);
    const stop = async (node: StartedProcess) => {
      node.child.kill("SIGINT");
      expect(await node.exited).to.equal(0);
    };
    const first = await start();
    let tokens: DemoToken[];
    try {
      tokens = JSON.parse(await readFile(path.join(dataDir, "demo-tokens.json"), "utf8")) as DemoToken[];
      expect(tokens.map((t) => t.departmentCode)).to.deep.equal(["SAMR", "MCA", "APPROVAL", "PSB"]);
      for (const t of tokens) expect(first.output()).to.contain(`operator token: ${t.secret} (new, shown once;`);
      const modes = await modesUnder(dataDir);
      expect(modes.map(([name]) => name)).to.include.members(["zerosign.sqlite-wal", "chain/anvil-state.json", "deployment.json", "operators.json"]);
      for (const [name, mode] of modes) {
        expect(mode, name).to.equal((await stat(path.join(dataDir, name))).isDirectory() ? "700" : "600");
      }
    } finally {
      await stop(first);
    }

    const samr = tokens.find((t) => t.departmentCode === "SAMR");
    if (!samr) throw new Error("no SAMR demo token");
    const revoked = await runCli(["token", "revoke", samr.tokenId, "--data", dataDir], { stdout: { write: () => true }, stderr: { write: () => true } });
    expect(revoked).to.equal(0);

    const second = await start();
    try {
      for (const t of tokens) expect(second.output()).not.to.contain(t.secret.slice(20));
      expect(second.output()).to.contain(`operator token: demo token ${samr.tokenId} is revoked; see npx zerosign token list`);
      for (const t of tokens.filter((t) => t !== samr)) {
        expect(second.output()).to.contain(`operator token: ${t.tokenId}, secret in ${path.join(dataDir, "demo-tokens.json")} (expires `);
      }
      expect(JSON.parse(await readFile(path.join(dataDir, "demo-tokens.json"), "utf8"))).to.deep.equal(tokens);
      const documents = (secret: string) => fetch(`${second.readyUrl}api/documents`, { headers: { authorization: `Bearer ${secret}` } });
      expect((await documents(tokens[1].secret)).status).to.equal(200);
      const refused = await documents(samr.secret);
      expect([refused.status, ((await refused.json()) as { code: string }).code]).to.deep.equal([401, "TOKEN_REVOKED"]);
    } finally {
      await stop(second);
    }
  });
});
