// The worker pool over real worker threads (the test entry, under ts-node as in production's
// `npm start`): jobs run off the main thread on a kept worker; host calls and typed errors cross
// both ways; a job past its time or memory limit fails with JobLimitError and the next job runs
// on a fresh worker; a worker that exits fails its job; a full queue refuses; close ends it all.
import { expect } from "chai";
import { threadId as mainThreadId } from "node:worker_threads";
import { ChainUnavailableError, ConflictError } from "../../../server/errors";
import { JobLimitError, PoolClosedError, ServiceBusyError, WorkerFailedError } from "../../../server/workers/pool-errors";
import type { WorkerPool } from "../../../server/workers/worker-pool";
import { until } from "../../helpers/until";
import { closeTestPools, releaseFile, testPool } from "./pool-fixture";

interface Echo {
  input: unknown;
  threadId: number;
}

/** Rejection of `p`, failing the test if it resolves. */
async function rejectionOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    (value) => expect.fail(`expected a rejection, got ${JSON.stringify(value)}`),
    (err: unknown) => err,
  );
}

const echo = (pool: WorkerPool, input: unknown = "ping") => pool.run<Echo>("echo", input);

describe("worker pool", function () {
  afterEach(closeTestPools);

  it("runs a job in a worker thread and keeps that worker for the next job", async function () {
    const pool = testPool();
    expect(pool.stats()).to.deep.equal({ workers: 0, busy: 0, queued: 0, lastStartupMs: undefined });
    const first = await echo(pool, { bytes: new Uint8Array([1, 2, 3]) });
    expect(first.input).to.deep.equal({ bytes: new Uint8Array([1, 2, 3]) });
    expect(first.threadId).to.not.equal(mainThreadId);
    const second = await echo(pool);
    expect(second.threadId).to.equal(first.threadId);
    const stats = pool.stats();
    expect(stats).to.include({ workers: 1, busy: 0, queued: 0 });
    expect(stats.lastStartupMs).to.be.a("number");
  });

  it("answers a job's host calls on the main thread, and a host's ChainUnavailableError comes back with its code", async function () {
    const pool = testPool();
    const host = {
      double: async (n: unknown) => (n as number) * 2,
      refuse: async () => {
        throw new ChainUnavailableError("CHAIN_QUERY_REFUSED", "the node refused the log search");
      },
    };
    expect(await pool.run("host", { name: "double", args: [21] }, { host })).to.equal(42);
    const err = await rejectionOf(pool.run("host", { name: "refuse", args: [] }, { host }));
    expect(err).to.be.instanceOf(ChainUnavailableError);
    expect(err).to.include({ code: "CHAIN_QUERY_REFUSED", httpStatus: 503 });
    const missing = await rejectionOf(pool.run("host", { name: "nowhere", args: [] }, { host }));
    expect((missing as Error).message).to.contain("no host function nowhere");
  });

  it("rebuilds a typed error a job throws as its class, code and status", async function () {
    const err = await rejectionOf(testPool().run("conflict", undefined));
    expect(err).to.be.instanceOf(ConflictError);
    expect(err).to.include({ code: "TEST_CONFLICT", httpStatus: 409, message: "a typed error thrown in a worker" });
  });

  it("refuses an input structured clone cannot copy with its DataCloneError, and runs the next job on the same worker", async function () {
    const pool = testPool();
    const before = await echo(pool);
    const err = await rejectionOf(echo(pool, { notData: () => 1 }));
    expect(err).to.have.property("name", "DataCloneError");
    expect((await echo(pool)).threadId).to.equal(before.threadId);
  });

  it("fails a job past its time limit with JobLimitError (time), and runs the next job on a fresh worker", async function () {
    const pool = testPool({ jobTimeoutMs: 1000 });
    const before = await echo(pool);
    const err = await rejectionOf(pool.run("spin", undefined));
    expect(err).to.be.instanceOf(JobLimitError);
    expect(err).to.include({ code: "JOB_LIMIT_EXCEEDED", limit: "time" });
    const after = await echo(pool);
    expect(after.threadId).to.not.equal(before.threadId);
    expect(pool.stats()).to.include({ workers: 1 });
  });

  it("fails a job that exhausts the worker's heap with JobLimitError (memory), and runs the next job on a fresh worker", async function () {
    const pool = testPool({ maxOldGenerationSizeMb: 128 });
    const before = await echo(pool);
    const err = await rejectionOf(pool.run("allocate", undefined));
    expect(err).to.be.instanceOf(JobLimitError);
    expect(err).to.include({ code: "JOB_LIMIT_EXCEEDED", limit: "memory" });
    const after = await echo(pool);
    expect(after.threadId).to.not.equal(before.threadId);
  });

  it("retires a worker whose heap stays past its mark after a job, and runs the next job on a fresh one", async function () {
    const pool = testPool({ maxOldGenerationSizeMb: 512, retireAboveHeapMb: 200 });
    const before = await echo(pool);
    // A job that keeps little stays on its worker.
    expect(await pool.run<number>("retain", 1)).to.equal(before.threadId);
    expect((await echo(pool)).threadId).to.equal(before.threadId);
    // One that leaves 256 MB behind for good gets its answer, then the worker is retired.
    expect(await pool.run<number>("retain", 256)).to.equal(before.threadId);
    const after = await echo(pool);
    expect(after.threadId).to.not.equal(before.threadId);
    expect(pool.stats()).to.include({ workers: 1 });
  });

  it("fails the job of a worker that exits with WorkerFailedError (503 WORKER_FAILED), and replaces the worker", async function () {
    const pool = testPool();
    const err = await rejectionOf(pool.run("exit", undefined));
    expect(err).to.be.instanceOf(WorkerFailedError);
    expect(err).to.include({ code: "WORKER_FAILED", httpStatus: 503 });
    expect((await echo(pool)).input).to.equal("ping");
  });

  it("refuses a job with ServiceBusyError when every worker is busy and the queue is full, and runs the queue in order", async function () {
    const pool = testPool({ size: 1, maxQueue: 2 });
    const { file, release } = releaseFile();
    const held = pool.run<number>("hold", file);
    await until(() => pool.stats().busy === 1, "the hold job to start");
    const order: string[] = [];
    const queued = [echo(pool, "a").then((r) => (order.push("a"), r)), echo(pool, "b").then((r) => (order.push("b"), r))];
    expect(pool.stats()).to.include({ busy: 1, queued: 2 });
    const err = await rejectionOf(echo(pool, "c"));
    expect(err).to.be.instanceOf(ServiceBusyError);
    expect(err).to.include({ code: "SERVICE_BUSY", httpStatus: 503 });
    expect((err as ServiceBusyError).retryAfterSec).to.be.within(1, 30);
    release();
    const workerId = await held;
    expect((await Promise.all(queued)).map((r) => r.threadId)).to.deep.equal([workerId, workerId]);
    expect(order).to.deep.equal(["a", "b"]);
  });

  it("runs a background job only when no interactive one waits, however early it was queued; both count against the queue", async function () {
    const pool = testPool({ size: 1, maxQueue: 3 });
    const { file, release } = releaseFile();
    const held = pool.run<number>("hold", file);
    await until(() => pool.stats().busy === 1, "the hold job to start");
    const order: string[] = [];
    const run = (input: string, priority?: "background") => pool.run<Echo>("echo", input, { priority }).then(() => order.push(input));
    const jobs = [run("later certificate", "background"), run("review 1"), run("review 2")];
    expect(pool.stats()).to.include({ busy: 1, queued: 3 });
    expect(await rejectionOf(run("one too many", "background"))).to.be.instanceOf(ServiceBusyError);
    release();
    await held;
    await Promise.all(jobs);
    expect(order).to.deep.equal(["review 1", "review 2", "later certificate"]);
  });

  it("on close, fails running and queued jobs with PoolClosedError (503 SERVICE_STOPPING) and refuses new ones", async function () {
    const pool = testPool({ size: 1, maxQueue: 1 });
    const { file } = releaseFile();
    const held = rejectionOf(pool.run("hold", file));
    await until(() => pool.stats().busy === 1, "the hold job to start");
    const queued = rejectionOf(echo(pool));
    await pool.close();
    for (const err of [await held, await queued, await rejectionOf(echo(pool))]) {
      expect(err).to.be.instanceOf(PoolClosedError);
      expect(err).to.include({ code: "SERVICE_STOPPING", httpStatus: 503 });
    }
    expect(pool.stats()).to.include({ workers: 0, busy: 0, queued: 0 });
  });
});
