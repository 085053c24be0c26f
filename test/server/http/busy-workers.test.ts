// The HTTP loop while the worker pool is busy, against a real node whose pool runs the test worker
// entry (test/server/workers/test-worker.ts): uploads starting with a marker line hold a worker,
// or exhaust its heap, then verify the real PDF after the line. Health and the API document answer
// while every worker is held; past the queue a verification gets 503 SERVICE_BUSY with Retry-After;
// one past the memory limit gets 400 VERIFY_LIMIT_EXCEEDED and the next upload is verified.
import { expect } from "chai";
import { demoTemplate } from "../../../server/pdf/demo-template";
import type { Report } from "../../../server/verify";
import { until } from "../../helpers/until";
import { releaseFile, TEST_WORKER } from "../workers/pool-fixture";
import { call, expectError, type Reply } from "./http-client";
import { startHttpFixture, type HttpFixture } from "./http-fixture";

describe("HTTP while the workers are busy", function () {
  this.timeout(180_000);
  let f: HttpFixture;
  let pdf: Uint8Array;

  before(async function () {
    f = await startHttpFixture({}, { pool: { entry: TEST_WORKER, size: 2, maxQueue: 1, maxOldGenerationSizeMb: 128 } });
    const { department: _d, certificateIdentifier: _c, ...body } = demoTemplate({ issueDate: "2026-01-05" });
    const issued = await call<{ docHashHex: string }>(f.baseUrl, "POST", "/api/certificates", { token: f.tokens.SAMR, json: body });
    expect(issued.status, JSON.stringify(issued.body)).to.equal(201);
    await f.queue.drain();
    pdf = (await f.store.documents.readPdf(issued.body.docHashHex)) ?? new Uint8Array();
  });
  after(async function () {
    await f?.close();
  });

  /** POST /api/verify of `pdf`, behind a marker line if given; `settled` records the order replies arrive in. */
  function verify<T = Report>(marker?: string, settled: string[] = [], label = marker ?? "plain"): Promise<Reply<T>> {
    const raw = marker === undefined ? pdf : Buffer.concat([Buffer.from(`${marker}\n`, "latin1"), pdf]);
    return call<T>(f.baseUrl, "POST", "/api/verify", { raw, contentType: "application/pdf" }).then((reply) => (settled.push(label), reply));
  }

  const expectValid = (reply: Reply<Report>) => {
    expect(reply.status, JSON.stringify(reply.body)).to.equal(200);
    expect(reply.body.verdict, JSON.stringify(reply.body.checks)).to.equal("valid");
  };

  it("answers GET /api/health and GET /api/openapi.json while every worker is held by a verification", async function () {
    const { file, release } = releaseFile();
    const settled: string[] = [];
    const held = [verify(`%HOLD ${file}`, settled, "first"), verify(`%HOLD ${file}`, settled, "second")];
    await until(() => f.pool.stats().busy === 2, "both verifications to hold a worker");
    const health = await call(f.baseUrl, "GET", "/api/health");
    expect(health.status).to.equal(200);
    expect(health.body).to.deep.equal({ status: "ok" });
    const doc = await call(f.baseUrl, "GET", "/api/openapi.json");
    expect(doc.status).to.equal(200);
    expect(doc.body).to.include({ openapi: "3.1.0" });
    // Both answered before either verification did, and both workers are still held.
    expect(settled).to.deep.equal([]);
    expect(f.pool.stats()).to.include({ busy: 2 });
    release();
    for (const reply of await Promise.all(held)) expectValid(reply);
  });

  it("refuses a verification past the workers and the queue with 503 SERVICE_BUSY and Retry-After, and answers the others", async function () {
    const { file, release } = releaseFile();
    const accepted = [verify(`%HOLD ${file}`), verify(`%HOLD ${file}`)];
    await until(() => f.pool.stats().busy === 2, "both verifications to hold a worker");
    accepted.push(verify());
    await until(() => f.pool.stats().queued === 1, "the third verification to be queued");
    const refused = await verify<Record<string, unknown>>();
    expectError(refused, 503, "SERVICE_BUSY");
    expect(refused.headers.get("retry-after")).to.match(/^[1-9]\d*$/);
    release();
    for (const reply of await Promise.all(accepted)) expectValid(reply);
  });

  it("answers 400 VERIFY_LIMIT_EXCEEDED for a verification that exhausts its worker's heap, then verifies the next upload", async function () {
    expectError(await verify<Record<string, unknown>>("%ALLOC"), 400, "VERIFY_LIMIT_EXCEEDED");
    expectValid(await verify());
    // A limit is the upload's cost, not a bug: nothing logged as an internal error.
    expect(f.logs().filter((l) => l.msg === "request failed")).to.deep.equal([]);
  });
});
