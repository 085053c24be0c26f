// A pool of worker threads for CPU-heavy jobs (verification, signing), so the HTTP loop keeps
// answering while they run. Bounded everywhere a hostile upload could push: a fixed number of
// workers, a FIFO queue of fixed length (past it: ServiceBusyError, 503; background jobs wait
// behind every interactive one), a wall-clock limit per
// job and a heap limit per worker (past either: the worker is terminated, the job fails with
// JobLimitError and a fresh worker takes its place). Workers start on demand and are kept for
// reuse; they are unref'd while idle, so a pool never keeps a process alive on its own.
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { Logger } from "pino";
import { deserializeError, serializeError, type FromWorker, type ToWorker } from "./messages";
import { JobLimitError, PoolClosedError, ServiceBusyError, WorkerFailedError, type JobLimit } from "./pool-errors";

/** Functions the main thread runs for one job when the job calls them by name (worker-runtime.ts's HostCall). */
export type HostFunctions = Readonly<Record<string, (...args: unknown[]) => Promise<unknown>>>;

/** Options of one {@link WorkerPool.run}. */
export interface RunOptions {
  /** Buffers of `input` to move to the worker instead of copying (they are unusable here after). */
  transfer?: ArrayBuffer[];
  /** What the job may call back on this thread. */
  host?: HostFunctions;
  /**
   * `background`: taken only when no other job waits (a certificate issued after its decision was
   * answered must not hold up the next application's review). Default `interactive`.
   */
  priority?: "interactive" | "background";
}

export interface WorkerPool {
  /**
   * Runs job `name` of the workers' registry on `input` and resolves with its value. Rejects with
   * ServiceBusyError when every worker is busy and the queue is full, JobLimitError past the time
   * or memory limit, WorkerFailedError if the worker dies, PoolClosedError once closed, or the
   * job's own error rebuilt as its class (messages.ts).
   */
  run<T>(name: string, input: unknown, options?: RunOptions): Promise<T>;
  /** Counts now, for logs and tests. */
  stats(): WorkerPoolStats;
  /** Fails what is queued or running with PoolClosedError and terminates every worker. */
  close(): Promise<void>;
}

export interface WorkerPoolStats {
  /** Workers started and not yet gone (starting, idle or busy). */
  workers: number;
  /** Jobs running in a worker. */
  busy: number;
  /** Jobs waiting for a worker. */
  queued: number;
  /** Milliseconds from creating the last worker to its ready message; undefined before the first. */
  lastStartupMs?: number;
}

export interface WorkerPoolOptions {
  /** Most workers running at once (WORKERS; default: the machine's cores). */
  size: number;
  /** Most jobs waiting beyond those running (WORKER_QUEUE); one more is refused with 503. */
  maxQueue: number;
  /** Wall-clock limit of one job, counted from when a worker takes it (JOB_TIMEOUT_MS). */
  jobTimeoutMs: number;
  /** Each worker's V8 old-generation heap limit (WORKER_MEMORY_MB): resourceLimits.maxOldGenerationSizeMb. */
  maxOldGenerationSizeMb: number;
  /**
   * The worker entry file: a module that calls runWorker with its jobs. Default: worker-main
   * beside this file (.ts under ts-node, .js once compiled). Tests pass an entry with test jobs.
   */
  entry?: string;
  /**
   * A worker whose heap is above this after a job is retired (a fresh one starts when needed):
   * what a job leaves behind for good (pdf-lib pools every name it parses) must not pile up until
   * an honest job meets the memory limit. Default: 60% of maxOldGenerationSizeMb.
   */
  retireAboveHeapMb?: number;
  log: Logger;
}

/** The production worker entry, with this file's own extension. */
const DEFAULT_ENTRY = path.join(__dirname, `worker-main${path.extname(__filename)}`);

interface Job {
  name: string;
  input: unknown;
  transfer: ArrayBuffer[];
  host: HostFunctions;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

interface PoolWorker {
  worker: Worker;
  state: "starting" | "idle" | "busy";
  createdAtMs: number;
  job?: { id: number; job: Job; startedAtMs: number; timer: NodeJS.Timeout };
}

/** Builds a pool; no worker starts until the first job. */
export function createWorkerPool(options: WorkerPoolOptions): WorkerPool {
  for (const [name, value] of Object.entries({ size: options.size, jobTimeoutMs: options.jobTimeoutMs, maxOldGenerationSizeMb: options.maxOldGenerationSizeMb })) {
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
  }
  if (!Number.isSafeInteger(options.maxQueue) || options.maxQueue < 0) throw new RangeError("maxQueue must be a non-negative integer");
  const entry = options.entry ?? DEFAULT_ENTRY;
  const retireAboveBytes = (options.retireAboveHeapMb ?? Math.floor(options.maxOldGenerationSizeMb * 0.6)) * 2 ** 20;
  const log = options.log;
  const workers = new Set<PoolWorker>();
  const queue: Job[] = [];
  const background: Job[] = [];
  const waitingCount = () => queue.length + background.length;
  /** The next job to give a worker: interactive ones first. */
  const nextJob = () => queue.shift() ?? background.shift();
  let nextJobId = 1;
  let closed = false;
  let lastStartupMs: number | undefined;
  // Mean job time (exponentially weighted) for the Retry-After estimate; 0 until a job finishes.
  let meanJobMs = 0;

  const busyCount = () => [...workers].filter((w) => w.state === "busy").length;
  const findIdle = () => [...workers].find((w) => w.state === "idle");

  const startWorker = () => {
    const worker = spawn(entry, options.maxOldGenerationSizeMb);
    worker.unref();
    const w: PoolWorker = { worker, state: "starting", createdAtMs: Date.now() };
    workers.add(w);
    // The error event comes before exit; remember it so exit can say what happened.
    let failure: Error | undefined;
    worker.on("message", (message: FromWorker) => onMessage(w, message));
    worker.on("error", (err: Error) => {
      failure = err;
      if (w.job) {
        const limit: JobLimit | undefined = (err as { code?: unknown }).code === "ERR_WORKER_OUT_OF_MEMORY" ? "memory" : undefined;
        if (limit) log.warn({ job: w.job.job.name, threadId: worker.threadId }, "a job passed the worker's memory limit; replacing the worker");
        else log.error({ err, job: w.job.job.name, threadId: worker.threadId }, "a worker failed during a job; replacing it");
        finish(w, limit ? new JobLimitError(w.job.job.name, limit) : new WorkerFailedError("The worker running this job failed", { cause: err }));
      }
    });
    worker.on("exit", (exitCode) => {
      const wasStarting = w.state === "starting";
      const hadJob = w.state === "busy";
      if (w.job) finish(w, new WorkerFailedError(`The worker running this job exited (code ${exitCode})`, { cause: failure }));
      // Gone from the set already: retired on a time limit, or the pool closed.
      if (!workers.delete(w) || closed) return;
      if (wasStarting) {
        // A worker that cannot start fails the job it was started for, so a broken entry costs
        // one start per queued job instead of a loop.
        log.error({ err: failure, exitCode }, "a worker failed to start");
        nextJob()?.reject(new WorkerFailedError("A worker failed to start", { cause: failure }));
      }
      // One that died at work (out of memory, a crash) is replaced at once, as on a time limit.
      if (hadJob) startWorker();
      pump();
    });
  };

  const onMessage = (w: PoolWorker, message: FromWorker) => {
    if (message.type === "ready") {
      lastStartupMs = Date.now() - w.createdAtMs;
      log.info({ startupMs: lastStartupMs, threadId: w.worker.threadId }, "worker started");
      w.state = "idle";
      pump();
      return;
    }
    const running = w.job;
    if (!running || running.id !== message.jobId) return;
    if (message.type === "done") {
      const tookMs = Date.now() - running.startedAtMs;
      meanJobMs = meanJobMs === 0 ? tookMs : meanJobMs * 0.8 + tookMs * 0.2;
      finish(w, message.ok ? undefined : deserializeError(message.error), message.ok ? message.value : undefined);
      if (message.heapUsedBytes > retireAboveBytes) {
        log.info({ heapUsedMb: Math.round(message.heapUsedBytes / 2 ** 20), threadId: w.worker.threadId }, "retiring a worker whose heap grew past its mark");
        workers.delete(w);
        w.worker.terminate().catch((e: unknown) => log.error({ err: e }, "terminating a worker failed"));
      } else {
        w.state = "idle";
        w.worker.unref();
      }
      pump();
      return;
    }
    const fn = Object.hasOwn(running.job.host, message.name) ? running.job.host[message.name] : undefined;
    const { callId } = message;
    const fail = (err: unknown): ToWorker => ({ type: "host-reply", callId, ok: false, error: serializeError(err) });
    const reply = (m: ToWorker) => {
      // The job may have been given up (time limit) while the host call ran.
      if (w.job?.id !== running.id) return;
      try {
        w.worker.postMessage(m);
      } catch (err) {
        // A value structured clone cannot copy: the job gets the clone error instead.
        w.worker.postMessage(fail(err));
      }
    };
    Promise.resolve()
      .then(() => {
        if (!fn) throw new Error(`no host function ${message.name} for job ${running.job.name}`);
        return fn(...message.args);
      })
      .then(
        (value) => reply({ type: "host-reply", callId, ok: true, value }),
        (err: unknown) => reply(fail(err)),
      );
  };

  /** Settles the worker's job (once) and clears its timer. */
  const finish = (w: PoolWorker, err: Error | undefined, value?: unknown) => {
    const running = w.job;
    if (!running) return;
    w.job = undefined;
    clearTimeout(running.timer);
    if (err) running.job.reject(err);
    else running.job.resolve(value);
  };

  /** Terminates a worker whose job passed its time limit; a fresh one takes its place. */
  const retire = (w: PoolWorker, err: Error) => {
    finish(w, err);
    workers.delete(w);
    w.worker.terminate().catch((e: unknown) => log.error({ err: e }, "terminating a worker failed"));
    if (!closed) startWorker();
  };

  const dispatch = (w: PoolWorker, job: Job) => {
    const id = nextJobId++;
    w.state = "busy";
    // Ref'd while it works, so a CLI awaiting the job does not exit under it.
    w.worker.ref();
    const timer = setTimeout(() => {
      log.warn({ job: job.name, threadId: w.worker.threadId, jobTimeoutMs: options.jobTimeoutMs }, "a job passed its time limit; replacing the worker");
      retire(w, new JobLimitError(job.name, "time"));
    }, options.jobTimeoutMs);
    w.job = { id, job, startedAtMs: Date.now(), timer };
    const message: ToWorker = { type: "job", jobId: id, name: job.name, input: job.input };
    try {
      w.worker.postMessage(message, job.transfer);
    } catch (err) {
      // An input structured clone cannot copy (a function, a class instance's methods): the
      // caller's mistake, reported to it; the worker never saw the job.
      finish(w, err instanceof Error ? err : new Error(String(err)));
      w.state = "idle";
      w.worker.unref();
    }
  };

  /** Gives queued jobs to idle workers, and starts workers for the rest up to `size`. */
  const pump = () => {
    if (closed) return;
    for (let idle = findIdle(); idle && waitingCount() > 0; idle = findIdle()) dispatch(idle, nextJob() as Job);
    const starting = [...workers].filter((w) => w.state === "starting").length;
    let toStart = Math.min(options.size - workers.size, waitingCount() - starting);
    for (; toStart > 0; toStart--) startWorker();
  };

  const retryAfterSec = () => {
    const waitMs = (meanJobMs * (waitingCount() + busyCount())) / options.size;
    return Math.min(Math.max(1, Math.ceil(waitMs / 1000)), Math.ceil(options.jobTimeoutMs / 1000));
  };

  return {
    run<T>(name: string, input: unknown, runOptions: RunOptions = {}): Promise<T> {
      if (closed) return Promise.reject(new PoolClosedError());
      // Capacity is `size` running plus `maxQueue` waiting, counted whether or not the workers have started.
      if (busyCount() + waitingCount() >= options.size + options.maxQueue) return Promise.reject(new ServiceBusyError(retryAfterSec()));
      return new Promise<T>((resolve, reject) => {
        (runOptions.priority === "background" ? background : queue).push({
          name,
          input,
          transfer: runOptions.transfer ?? [],
          host: runOptions.host ?? {},
          resolve: (value) => resolve(value as T),
          reject,
        });
        pump();
      });
    },
    stats: () => ({ workers: workers.size, busy: busyCount(), queued: waitingCount(), lastStartupMs }),
    async close() {
      closed = true;
      for (const job of [...queue.splice(0), ...background.splice(0)]) job.reject(new PoolClosedError());
      const all = [...workers];
      workers.clear();
      for (const w of all) finish(w, new PoolClosedError());
      await Promise.all(all.map((w) => w.worker.terminate()));
    },
  };
}

/**
 * Starts a worker on `entry`. A .ts entry (tests under hardhat, `npm start` under ts-node) is
 * loaded through ts-node in transpile-only mode, as the main thread's code is; a .js entry (the
 * compiled service) is loaded as it is.
 */
function spawn(entry: string, maxOldGenerationSizeMb: number): Worker {
  const resourceLimits = { maxOldGenerationSizeMb };
  if (!entry.endsWith(".ts")) return new Worker(entry, { resourceLimits });
  const bootstrap =
    `require(${JSON.stringify(require.resolve("ts-node"))}).register({ transpileOnly: true, projectSearchDir: ${JSON.stringify(path.dirname(entry))} });\n` +
    `require(${JSON.stringify(entry)});`;
  return new Worker(bootstrap, { eval: true, resourceLimits });
}
