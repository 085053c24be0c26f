// Pools over the test worker entry (test-worker.ts) or the production one, closed after each
// test, and release files for the test entry's "hold" jobs.
import { writeFileSync } from "node:fs";
import path from "node:path";
import pino from "pino";
import { createWorkerPool, type WorkerPool, type WorkerPoolOptions } from "../../../server/workers/worker-pool";
import { tempDir } from "../pdf/signature-tools";

export const TEST_WORKER = path.join(__dirname, "test-worker.ts");

const open: WorkerPool[] = [];

/** A pool on the test worker entry: 1 worker, queue 4, 30 s, 256 MB unless `options` say otherwise. */
export function testPool(options: Partial<WorkerPoolOptions> = {}): WorkerPool {
  const pool = createWorkerPool({ size: 1, maxQueue: 4, jobTimeoutMs: 30_000, maxOldGenerationSizeMb: 256, entry: TEST_WORKER, log: pino({ level: "silent" }), ...options });
  open.push(pool);
  return pool;
}

/** A pool on the production worker entry (server/workers/worker-main.ts), closed by {@link closeTestPools}. */
export function productionPool(options: Partial<Omit<WorkerPoolOptions, "entry">> = {}): WorkerPool {
  const pool = createWorkerPool({ size: 1, maxQueue: 4, jobTimeoutMs: 30_000, maxOldGenerationSizeMb: 256, log: pino({ level: "silent" }), ...options });
  open.push(pool);
  return pool;
}

/** Closes every pool {@link testPool} made; call in afterEach. */
export async function closeTestPools(): Promise<void> {
  await Promise.all(open.splice(0).map((p) => p.close()));
}

/** A file path a hold job waits for, and the function that creates it. */
export function releaseFile(): { file: string; release(): void } {
  const file = path.join(tempDir("pool-hold"), "go");
  return { file, release: () => writeFileSync(file, "go") };
}
