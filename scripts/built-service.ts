// The service as `npm start` runs it, for the benchmarks that measure it as its users meet it:
// the built dist/server/main.js (no TypeScript compiler in its heap) with its embedded chain, demo
// departments and catalog, in a temporary data folder, on free ports. Build first
// (`npm run build`); the benchmark's npm script does.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const MAIN = path.join(ROOT, "dist", "server", "main.js");

export interface BuiltService {
  child: ChildProcess;
  url: string;
  /** Demo operator tokens by department code. */
  tokens: Record<string, string>;
  /** The last 64 KB the service printed (its warnings and errors), for a benchmark's failure. */
  output(): string;
  /** Stops the service (SIGINT, as Ctrl-C) and removes its data folder. */
  stop(): Promise<void>;
}

/**
 * Starts the built service with `env` added to the environment and `nodeArgs` before its entry
 * (e.g. `--cpu-prof`); resolves once it prints its URL.
 */
export async function startBuiltService(env: Record<string, string> = {}, nodeArgs: readonly string[] = []): Promise<BuiltService> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "zerosign-bench-"));
  const child = spawn(process.execPath, [...nodeArgs, MAIN], {
    cwd: ROOT,
    env: { ...process.env, ZEROSIGN_DATA: dataDir, PORT: "0", CHAIN_PORT: "0", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      text = (text + chunk.toString("utf8")).slice(-64 * 1024);
      const match = /ZeroSign ready: (\S+)/.exec(text);
      if (match) resolve(match[1].replace(/\/$/, ""));
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`the service exited with ${code}:\n${text}`)));
  });
  const tokens = JSON.parse(readFileSync(path.join(dataDir, "demo-tokens.json"), "utf8")) as Array<{ departmentCode: string; secret: string }>;
  return {
    child,
    url,
    tokens: Object.fromEntries(tokens.map((t) => [t.departmentCode, t.secret])),
    output: () => text,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGINT");
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
