// A `hardhat node` over JSON-RPC on a free port, for tests that run service nodes as processes
// against one chain (and move its clock with evm_increaseTime). It forgets its state when stopped.
import { spawn } from "node:child_process";
import path from "node:path";
import { JsonRpcProvider } from "ethers";
import { freePort } from "../../server/devnet/embedded-chain";
import { until } from "./until";

const ROOT = path.resolve(__dirname, "../..");

export interface HardhatNode {
  rpcUrl: string;
  /** A provider on the node (no request batching), destroyed by stop(). */
  provider: JsonRpcProvider;
  stop(): void;
}

/** Starts the node and resolves once it answers. */
export async function startHardhatNode(): Promise<HardhatNode> {
  const port = await freePort();
  const rpcUrl = `http://127.0.0.1:${port}`;
  const child = spawn(path.join(ROOT, "node_modules/.bin/hardhat"), ["node", "--hostname", "127.0.0.1", "--port", String(port)], { cwd: ROOT, stdio: "ignore" });
  const provider = new JsonRpcProvider(rpcUrl, 31337, { staticNetwork: true, batchMaxCount: 1 });
  const stop = () => {
    provider.destroy();
    child.kill("SIGKILL");
  };
  try {
    await until(() => provider.getBlockNumber().then(() => true, () => false), "the hardhat node to answer", 60_000);
  } catch (err) {
    stop();
    throw err;
  }
  return { rpcUrl, provider, stop };
}
