// The worker side of the pool: takes jobs from the pool one at a time, runs the named function of
// a registry, and forwards the host calls a job makes (the chain reader, the signer: what cannot or
// must not cross into a thread) to the main thread. A worker entry file builds its registry and
// calls runWorker; production's is worker-main.ts, tests pass their own.
import { getHeapStatistics } from "node:v8";
import { parentPort } from "node:worker_threads";
import { deserializeError, serializeError, type FromWorker, type ToWorker } from "./messages";

/** Calls a function the main thread provides for this job, by name; rejects as that function did. */
export type HostCall = (name: string, args: unknown[]) => Promise<unknown>;

/** What a job returns: its value, and the ArrayBuffers to move rather than copy (a PDF's bytes). */
export interface JobReply {
  value: unknown;
  transfer?: ArrayBuffer[];
}

/** A job: runs in a worker on what the pool's caller sent; `callHost` reaches the main thread. */
export type JobFunction = (input: unknown, callHost: HostCall) => Promise<JobReply>;

/** This worker's V8 heap in use (its own isolate), reported after each job so the pool can retire it. */
function heapUsed(): number {
  return getHeapStatistics().used_heap_size;
}

/** Jobs by name. */
export type JobRegistry = Readonly<Record<string, JobFunction>>;

/**
 * Serves `jobs` on this worker's parent port until the pool terminates the worker. Tells the pool
 * it is ready once called, so the modules the entry loaded (and a TypeScript compile under
 * ts-node) are not counted against the first job's time limit.
 * @throws Error if not called inside a worker thread
 */
export function runWorker(jobs: JobRegistry): void {
  const port = parentPort;
  if (!port) throw new Error("runWorker must run inside a worker thread");
  const post = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  const pending = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
  let nextCallId = 1;

  const run = async (jobId: number, name: string, input: unknown) => {
    const job = Object.hasOwn(jobs, name) ? jobs[name] : undefined;
    const callHost: HostCall = (callName, args) =>
      new Promise((resolve, reject) => {
        const callId = nextCallId++;
        pending.set(callId, { resolve, reject });
        post({ type: "host-call", jobId, callId, name: callName, args });
      });
    try {
      if (!job) throw new Error(`no job named ${name} in this worker`);
      const reply = await job(input, callHost);
      post({ type: "done", jobId, ok: true, value: reply.value, heapUsedBytes: heapUsed() }, reply.transfer);
    } catch (err) {
      post({ type: "done", jobId, ok: false, error: serializeError(err), heapUsedBytes: heapUsed() });
    }
  };

  port.on("message", (message: ToWorker) => {
    if (message.type === "job") {
      void run(message.jobId, message.name, message.input);
      return;
    }
    const call = pending.get(message.callId);
    if (!call) return;
    pending.delete(message.callId);
    if (message.ok) call.resolve(message.value);
    else call.reject(deserializeError(message.error));
  });
  post({ type: "ready" });
}
