// The contracts compile on a fresh machine with no compiler cache: Hardhat's download of solc is
// replaced by the npm `solc` package (hardhat.config.ts), since this network reaches npm only.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");

describe("offline Solidity compilation", function () {
  this.timeout(180_000);

  it("compiles every contract with an empty home and cache, downloading no compiler", async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), "zerosign-home-"));
    try {
      const { stdout } = await run(path.join(ROOT, "node_modules/.bin/hardhat"), ["compile", "--force"], {
        cwd: ROOT,
        env: { ...process.env, HOME: home, XDG_CACHE_HOME: path.join(home, ".cache") },
      });
      expect(stdout).to.match(/Compiled \d+ Solidity files successfully/);
      const cacheEntries = await readdir(path.join(home, ".cache")).catch(() => []);
      const downloaded = cacheEntries.filter((entry) => entry.startsWith("hardhat"));
      const compilers = downloaded.length
        ? await readdir(path.join(home, ".cache", downloaded[0])).catch(() => [])
        : [];
      expect(compilers.filter((entry) => entry.startsWith("compilers"))).to.deep.equal([]);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
