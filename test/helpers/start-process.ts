// Runs the service as a real child process, and waits for the line that says it is ready: its
// sources under ts-node (tests), or the build in dist/ as `npm start` runs it (the benchmarks).
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const TS_NODE = path.join(ROOT, "node_modules/.bin/ts-node");

export interface StartedProcess {
  child: ChildProcess;
  output: () => string;
  /** The URL printed on the ready line. */
  readyUrl: string;
  exited: Promise<number | null>;
}

/** How to run it: the sources (default), or the build. */
export interface StartOptions {
  built?: boolean;
  /** The build only: node's own options before the entry (e.g. `--cpu-prof`). */
  nodeArgs?: readonly string[];
}

/** Starts the service with `env` added to the environment; resolves once `readyPattern` is printed. */
export async function startZeroSign(env: Record<string, string>, readyPattern: RegExp, opts: StartOptions = {}): Promise<StartedProcess> {
  const [command, args] = opts.built
    ? [process.execPath, [...(opts.nodeArgs ?? []), "dist/server/main.js"]]
    : [TS_NODE, ["--transpile-only", "server/main.ts"]];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const readyUrl = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      text += chunk.toString("utf8");
      const match = readyPattern.exec(text);
      if (match) resolve(match[1]);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    void exited.then((code) => reject(new Error(`the service exited with ${code} before it was ready:\n${text}`)));
  });
  return { child, output: () => text, readyUrl, exited };
}
