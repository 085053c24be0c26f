// The data folder holds dev keys, operator keys, token hashes and holders' documents: it is 0700
// and every file in it 0600, whatever the umask, including the files Anvil writes itself.
import { expect } from "chai";
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startEmbeddedChain } from "../../../server/devnet/embedded-chain";

const modeOf = async (file: string) => ((await stat(file)).mode & 0o777).toString(8);

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
});
