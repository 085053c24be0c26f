// A worker entry for the pool tests: the production jobs, plus jobs that misbehave on purpose
// (never end, exhaust the heap, exit, throw typed errors, call the host) and a "verify" that
// misbehaves when the upload starts with a marker line, and otherwise verifies what follows it.
// Production's entry (server/workers/worker-main.ts) has none of these.
import { existsSync } from "node:fs";
import { isMainThread, threadId } from "node:worker_threads";
import { ConflictError } from "../../../server/errors";
import { createWorkerJobs } from "../../../server/workers/worker-jobs";
import { runWorker, type JobFunction } from "../../../server/workers/worker-runtime";

const production = createWorkerJobs();

/** What the "retain" job keeps for the worker's life, as pdf-lib's name pool keeps names. */
const retained: number[][] = [];

/** Blocks this thread (as a CPU-bound verification would) until `file` exists. */
function holdUntil(file: string): void {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  while (!existsSync(file)) Atomics.wait(cell, 0, 0, 10);
}

function spinForever(): never {
  for (;;) {
    // Never yields: only the pool's time limit ends this.
  }
}

function exhaustHeap(): never {
  const kept: { n: number; text: string }[][] = [];
  for (let n = 0; ; n++) kept.push(Array.from({ length: 1000 }, (_, i) => ({ n, text: `${n}:${i}` })));
}

const verify: JobFunction = async (input, callHost) => {
  const job = input as { pdfBytes: Uint8Array };
  const head = Buffer.from(job.pdfBytes.buffer, job.pdfBytes.byteOffset, Math.min(job.pdfBytes.length, 512)).toString("latin1");
  const marker = /^%(HOLD|SPIN|ALLOC)(?: ([^\n]*))?\n/.exec(head);
  if (!marker) return production.verify(input, callHost);
  if (marker[1] === "SPIN") spinForever();
  if (marker[1] === "ALLOC") exhaustHeap();
  holdUntil(marker[2] ?? "");
  return production.verify({ ...job, pdfBytes: job.pdfBytes.subarray(Buffer.byteLength(marker[0], "latin1")) }, callHost);
};

// The test runner loads every file under test/: this one only acts when the pool starts it.
if (!isMainThread) runWorker({
  ...production,
  verify,
  echo: async (input) => ({ value: { input, threadId } }),
  hold: async (input) => {
    holdUntil(input as string);
    return { value: threadId };
  },
  spin: async () => spinForever(),
  retain: async (input) => {
    const mb = input as number;
    // Numbers in a JavaScript array live on the worker's own heap (a Buffer's bytes would not).
    for (let i = 0; i < mb; i++) retained.push(new Array<number>(131_072).fill(i));
    return { value: threadId };
  },
  allocate: async () => exhaustHeap(),
  exit: async () => process.exit(7),
  conflict: async () => {
    throw new ConflictError("TEST_CONFLICT", "a typed error thrown in a worker");
  },
  host: async (input, callHost) => {
    const { name, args } = input as { name: string; args: unknown[] };
    return { value: await callHost(name, args) };
  },
});
