// Hardhat compiles the contracts and runs the test suite. The Solidity compiler comes from the
// npm `solc` package: Hardhat's default is to download compilers, which this network forbids.
import path from "path";
import { subtask, type HardhatUserConfig } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import "@nomicfoundation/hardhat-ethers";
import "@nomicfoundation/hardhat-chai-matchers";
import "@typechain/hardhat";

const SOLC_VERSION: string = require("solc/package.json").version;

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) return runSuper(args);
  const solcDir = path.dirname(require.resolve("solc/package.json"));
  return {
    compilerPath: path.join(solcDir, "soljson.js"),
    isSolcJs: true,
    version: SOLC_VERSION,
    longVersion: SOLC_VERSION,
  };
});

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun" },
  },
  networks: {
    hardhat: { hardfork: "prague" },
  },
  typechain: { outDir: "typechain-types", target: "ethers-v6" },
  mocha: { timeout: 120_000 },
};

export default config;
