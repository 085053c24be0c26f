// loadConfig: defaults for an empty environment, each variable read into its place, and every bad
// variable named in one ConfigError (main.ts prints it and exits before starting anything).
import { expect } from "chai";
import { availableParallelism } from "node:os";
import path from "node:path";
import { ConfigError, loadConfig } from "../../server/config";

describe("loadConfig", function () {
  it("gives the embedded defaults for an empty environment", function () {
    const config = loadConfig({});
    expect(config.chain).to.deep.equal({ mode: "embedded", port: 8545, deployerKey: undefined });
    expect(config.http).to.deep.equal({ port: 8080, publicBaseUrl: undefined, maxUploadBytes: 20 * 1024 * 1024, publicRequestsPerMinute: 120, trustProxy: false });
    expect(config.dataDir).to.equal(path.resolve("./data"));
    expect(config.anchor).to.deep.equal({ maxBatchSize: 256, maxWaitMs: 2000 });
  });

  it("reads the HTTP settings, the public rate limit among them", function () {
    const config = loadConfig({ PORT: "0", PUBLIC_BASE_URL: "https://verify.example.gov.cn/", MAX_UPLOAD_BYTES: "4096", PUBLIC_RATE_LIMIT: "100000" });
    expect(config.http).to.deep.equal({
      port: 0,
      publicBaseUrl: "https://verify.example.gov.cn",
      maxUploadBytes: 4096,
      publicRequestsPerMinute: 100_000,
      trustProxy: false,
    });
  });

  it("reads TRUST_PROXY as Express's trust proxy: false, a hop count, or addresses, CIDRs and named ranges", function () {
    expect(loadConfig({ TRUST_PROXY: "false" }).http.trustProxy).to.equal(false);
    expect(loadConfig({ TRUST_PROXY: "2" }).http.trustProxy).to.equal(2);
    expect(loadConfig({ TRUST_PROXY: "loopback, 10.0.0.0/8,fd00::/8" }).http.trustProxy).to.deep.equal(["loopback", "10.0.0.0/8", "fd00::/8"]);
  });

  it("reads TOKEN_VALID_DAYS, 90 by default, and refuses a validity outside 1 to 3650 days", function () {
    expect(loadConfig({}).tokenValidDays).to.equal(90);
    expect(loadConfig({ TOKEN_VALID_DAYS: "7" }).tokenValidDays).to.equal(7);
    for (const bad of ["0", "3651", "1.5", "soon"]) expect(() => loadConfig({ TOKEN_VALID_DAYS: bad }), bad).to.throw(ConfigError, /TOKEN_VALID_DAYS/);
  });

  it("reads the worker pool's settings, by default a worker per core, a queue of 32, 30 s and 256 MB a job", function () {
    expect(loadConfig({}).workers).to.deep.equal({ size: Math.max(1, availableParallelism() - 1), maxQueue: 32, jobTimeoutMs: 30_000, memoryMb: 256 });
    expect(loadConfig({ WORKERS: "3", WORKER_QUEUE: "0", JOB_TIMEOUT_MS: "60000", WORKER_MEMORY_MB: "512" }).workers).to.deep.equal({
      size: 3,
      maxQueue: 0,
      jobTimeoutMs: 60_000,
      memoryMb: 512,
    });
    for (const [name, bad] of [["WORKERS", "0"], ["WORKER_QUEUE", "-1"], ["JOB_TIMEOUT_MS", "999"], ["WORKER_MEMORY_MB", "32"], ["WORKERS", "two"]]) {
      expect(() => loadConfig({ [name]: bad }), `${name}=${bad}`).to.throw(ConfigError, new RegExp(name));
    }
  });

  it("refuses a TRUST_PROXY that trusts every peer or names no address", function () {
    for (const bad of ["true", "17", "10.0.0.0/33", "proxy.example", "10.0.0.1/8/1", "loopback,"]) {
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).to.throw(ConfigError, /TRUST_PROXY/);
    }
  });

  it("names every bad variable at once", function () {
    let err: unknown;
    try {
      loadConfig({ PUBLIC_RATE_LIMIT: "0", PORT: "http", ANCHOR_BATCH_SIZE: "5000" });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(ConfigError);
    const named = (err as ConfigError).problems.map((p) => p.split(":")[0]);
    expect(named).to.have.members(["PUBLIC_RATE_LIMIT", "PORT", "ANCHOR_BATCH_SIZE"]);
  });

  it("refuses contract addresses without the external chain they live on", function () {
    expect(() => loadConfig({ REGISTRY_ADDRESS: `0x${"11".repeat(20)}`, LEDGER_ADDRESS: `0x${"22".repeat(20)}` })).to.throw(ConfigError, /CHAIN_RPC_URL/);
  });
});
