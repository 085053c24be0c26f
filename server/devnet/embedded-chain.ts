// The embedded chain: an Anvil node (from the npm package @foundry-rs/anvil, no download) on
// 127.0.0.1 whose state lives in the data folder, so `npm start` finds its contracts and anchored
// documents again after a restart. Anvil writes its state every second and when it stops; what a
// hard kill catches between two writes is lost (the service's anchoring journal covers that).
// Its folder is 0700 and its files 0600, the state file Anvil writes included.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { chmod, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { JsonRpcProvider } from "ethers";
import { ensurePrivateDir } from "../pki/key-files";

/** Anvil's first dev account, funded on every fresh embedded chain. Public knowledge: dev only. */
export const EMBEDDED_DEPLOYER_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
export const EMBEDDED_CHAIN_ID = 31337;

const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;

export interface EmbeddedChain {
  rpcUrl: string;
  stateFile: string;
  /** Stops the node; it writes its state on the way out. */
  stop(): Promise<void>;
}

/**
 * Starts the embedded chain with its state in `<dataDir>/chain/`. A node left running by an
 * earlier process that was killed (its pid is in anvil.pid) is stopped first, so its state is
 * written and the port is free.
 */
export async function startEmbeddedChain(opts: { dataDir: string; port: number; log: (line: string) => void }): Promise<EmbeddedChain> {
  const dir = path.join(opts.dataDir, "chain");
  await ensurePrivateDir(dir);
  const stateFile = path.join(dir, "anvil-state.json");
  const pidFile = path.join(dir, "anvil.pid");
  await stopStaleNode(pidFile, opts.log);
  const logFile = path.join(dir, "anvil.log");
  // Anvil rewrites its state file in place, so a mode set once stays (files of an earlier, laxer
  // version are narrowed here); a new one it creates under the umask the wrapper below gives it.
  for (const file of [stateFile, logFile]) {
    await chmod(file, 0o600).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== "ENOENT") throw err;
    });
  }

  const port = opts.port === 0 ? await freePort() : opts.port;
  const logStream = createWriteStream(logFile, { flags: "a", mode: 0o600 });
  // `exec` keeps the pid, so anvil.pid names Anvil itself (stopStaleNode checks its command line).
  const child = spawn(
    "/bin/sh",
    ["-c", 'umask 077 && exec "$0" "$@"', anvilBinary(),
     "--host", "127.0.0.1", "--port", String(port), "--state", stateFile, "--state-interval", "1",
     "--hardfork", "prague", "--chain-id", String(EMBEDDED_CHAIN_ID)],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout?.pipe(logStream);
  child.stderr?.pipe(logStream);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  if (child.pid !== undefined) await writeFile(pidFile, String(child.pid), { mode: 0o600 });

  const rpcUrl = `http://127.0.0.1:${port}`;
  await waitForRpc(rpcUrl, exited, logFile);
  return {
    rpcUrl,
    stateFile,
    stop: async () => {
      await stopChild(child, exited);
      logStream.end();
      await rm(pidFile, { force: true });
    },
  };
}

function anvilBinary(): string {
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}/package.json`;
  return path.join(path.dirname(require.resolve(pkg)), "bin", "anvil");
}

async function waitForRpc(rpcUrl: string, exited: Promise<number | null>, logFile: string): Promise<void> {
  const provider = new JsonRpcProvider(rpcUrl, EMBEDDED_CHAIN_ID, { staticNetwork: true });
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code ?? -1));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    while (Date.now() < deadline) {
      if (exitCode !== undefined) {
        const tail = (await readFile(logFile, "utf8").catch(() => "")).split("\n").slice(-10).join("\n");
        throw new Error(`the embedded chain exited with code ${exitCode} before answering:\n${tail}`);
      }
      try {
        await provider.getBlockNumber();
        return;
      } catch {
        // Not listening yet: Anvil needs a moment, longer when it loads a large state file.
        await delay(100);
      }
    }
    throw new Error(`the embedded chain did not answer at ${rpcUrl} within ${READY_TIMEOUT_MS / 1000} s`);
  } finally {
    provider.destroy();
  }
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGINT");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

async function stopStaleNode(pidFile: string, log: (line: string) => void): Promise<void> {
  const text = await readFile(pidFile, "utf8").catch(() => undefined);
  const pid = Number(text);
  if (!text || !Number.isInteger(pid) || pid <= 0) return;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
  if (cmdline.includes("anvil")) {
    log(`Stopping the embedded chain left running by an earlier start (pid ${pid})`);
    process.kill(pid, "SIGINT");
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    while (isAlive(pid) && Date.now() < deadline) await delay(100);
    if (isAlive(pid)) process.kill(pid, "SIGKILL");
  }
  await rm(pidFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A port on 127.0.0.1 that was free a moment ago (for PORT=0 style settings). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
