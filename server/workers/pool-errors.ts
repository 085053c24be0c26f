// The errors a worker pool fails a job with, each a ZeroSignError with a stable code: the pool is
// full (503 SERVICE_BUSY with a Retry-After), a job passed its time or memory limit (callers turn
// this into their own answer: a verify report, a sign error), a worker died, or the pool is closed.
import { ZeroSignError } from "../errors";

/** Every worker is busy and the queue is full; nothing was started. Send again after `retryAfterSec`. */
export class ServiceBusyError extends ZeroSignError {
  /** Seconds the client should wait, sent as the Retry-After header. */
  readonly retryAfterSec: number;

  constructor(retryAfterSec: number) {
    super("SERVICE_BUSY", "Every worker is busy and the queue is full; send the request again later", { httpStatus: 503 });
    this.retryAfterSec = retryAfterSec;
  }
}

/** Which limit a job passed: its wall-clock time, or the worker's heap (resourceLimits). */
export type JobLimit = "time" | "memory";

/**
 * A job passed its limit; its worker was terminated and is replaced. The pool's callers translate
 * this (verify: verdict error VERIFY_LIMIT_EXCEEDED; seal, countersign: SIGN_LIMIT_EXCEEDED).
 */
export class JobLimitError extends ZeroSignError {
  readonly limit: JobLimit;

  constructor(job: string, limit: JobLimit) {
    super("JOB_LIMIT_EXCEEDED", `The ${job} job passed its ${limit === "time" ? "time" : "memory"} limit`, { httpStatus: 400 });
    this.limit = limit;
  }
}

/** The worker running the job stopped (an uncaught error, an exit, a failed start); it is replaced. */
export class WorkerFailedError extends ZeroSignError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("WORKER_FAILED", message, { ...options, httpStatus: 503 });
  }
}

/** The pool was closed (the service is stopping) before the job finished. */
export class PoolClosedError extends ZeroSignError {
  constructor() {
    super("SERVICE_STOPPING", "The service is stopping; send the request again", { httpStatus: 503 });
  }
}
