// The service as `npm start` runs it, for the benchmarks that measure it as its users meet it:
// the built dist/server/main.js (no TypeScript compiler in its heap) with its embedded chain, demo
// departments and catalog, in a temporary data folder, on free ports. Build first
// (`npm run build`); the benchmark's npm script does.
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { SERVICE_READY } from "../test/helpers/service";
import { startZeroSign } from "../test/helpers/start-process";

const MAIN = path.resolve(__dirname, "..", "dist", "server", "main.js");

export interface BuiltService {
  child: ChildProcess;
  url: string;
  /** Demo operator tokens by department code. */
  tokens: Record<string, string>;
  /** What the service printed (its warnings and errors), for a benchmark's failure. */
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
  const started = await startZeroSign({ ZEROSIGN_DATA: dataDir, PORT: "0", CHAIN_PORT: "0", LOG_LEVEL: "warn", ...env }, SERVICE_READY, { built: true, nodeArgs });
  const tokens = JSON.parse(readFileSync(path.join(dataDir, "demo-tokens.json"), "utf8")) as Array<{ departmentCode: string; secret: string }>;
  return {
    child: started.child,
    url: started.readyUrl.replace(/\/$/, ""),
    tokens: Object.fromEntries(tokens.map((t) => [t.departmentCode, t.secret])),
    output: started.output,
    async stop() {
      if (started.child.exitCode === null && started.child.signalCode === null) {
        started.child.kill("SIGINT");
        await started.exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
