// The CLI against running nodes, as a user runs it: the real bin/zerosign.js process with only the
// environment it is given. Node A runs the embedded chain (port 0) for SAMR; node B is department
// MCA's node on A's chain with the contract addresses given (REGISTRY_ADDRESS/LEDGER_ADDRESS).
// Both write deployment.json with the chain's URL, so `verify --data DIR` needs nothing else;
// issue and seal through --service are anchored; countersign refuses a revoked document.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PDFDocument } from "pdf-lib";
import type { RecordedDeployment } from "../../../server/chain/deployment-file";
import type { Report } from "../../../server/verify";
import { callJson, SERVICE_READY, startServiceNode, stopServiceNode, type DocumentView, type ServiceNode } from "../../helpers/service";
import { startZeroSign, type StartedProcess } from "../../helpers/start-process";

const ROOT = path.join(__dirname, "..", "..", "..");
const BIN = path.join(ROOT, "bin", "zerosign.js");
const TEMPLATE = path.join(ROOT, "docs", "examples", "certificate.json");

/** Runs the CLI with exactly `env` (plus PATH): nothing leaks in from the test's own environment. */
function zerosign(env: Record<string, string>, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { PATH: process.env.PATH ?? "", ...env } });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

const idOf = (stdout: string) => /document (\S+), hash/.exec(stdout)?.[1] ?? "";

describe("zerosign CLI through running nodes", function () {
  this.timeout(240_000);
  let dir: string;
  let dataA: string;
  let dataB: string;
  let nodeA: StartedProcess | undefined;
  let nodeB: ServiceNode | undefined;
  let urlA: string;
  let tokenA: string;
  let rpcUrl: string;

  /** Waits (bounded by count, not time) until the node has anchored the document. */
  const confirmed = async (base: string, id: string) => {
    for (let i = 0; i < 600; i++) {
      const { body } = await callJson<DocumentView>(`${base}/api/documents/${id}`);
      if (body.anchoring.status === "confirmed") return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`document ${id} was not anchored`);
  };
  const verdictOf = (res: { stdout: string }) => JSON.parse(res.stdout) as Report;

  before(async function () {
    dir = await mkdtemp(path.join(os.tmpdir(), "zerosign-cli-nodes-"));
    dataA = path.join(dir, "data-a");
    dataB = path.join(dir, "data-b");
    nodeA = await startZeroSign(
      { ZEROSIGN_DATA: dataA, CHAIN_PORT: "0", PORT: "0", ZEROSIGN_DEPARTMENTS: "SAMR", ANCHOR_MAX_WAIT_MS: "100", LOG_LEVEL: "warn" },
      SERVICE_READY,
    );
    urlA = nodeA.readyUrl.replace(/\/$/, "");
    rpcUrl = /ZeroSign chain ready: (\S+)/.exec(nodeA.output())?.[1] ?? "";
    const tokens = JSON.parse(await readFile(path.join(dataA, "demo-tokens.json"), "utf8")) as { departmentCode: string; secret: string }[];
    tokenA = tokens.find((t) => t.departmentCode === "SAMR")?.secret ?? "";
    const deployment = JSON.parse(await readFile(path.join(dataA, "deployment.json"), "utf8")) as RecordedDeployment;
    nodeB = await startServiceNode({
      dataDir: dataB,
      rpcUrl,
      departments: "MCA",
      env: {
        REGISTRY_ADDRESS: deployment.registryAddress,
        LEDGER_ADDRESS: deployment.ledgerAddress,
        LEDGER_DEPLOY_BLOCK: String(deployment.deployBlock),
        PUBLIC_BASE_URL: "https://verify.mca.example.gov.cn",
      },
    });
  });
  after(async function () {
    await stopServiceNode(nodeB);
    if (nodeA && nodeA.child.exitCode === null) {
      nodeA.child.kill("SIGINT");
      await nodeA.exited;
    }
    await rm(dir, { recursive: true, force: true });
  });

  it("records the chain's RPC URL in deployment.json on every node, department B's included", async function () {
    const a = JSON.parse(await readFile(path.join(dataA, "deployment.json"), "utf8")) as RecordedDeployment;
    const b = JSON.parse(await readFile(path.join(dataB, "deployment.json"), "utf8")) as RecordedDeployment;
    expect(a.rpcUrl).to.equal(rpcUrl);
    expect(b).to.include({ rpcUrl, registryAddress: a.registryAddress, ledgerAddress: a.ledgerAddress, deployBlock: a.deployBlock });
  });

  it("warns at start when PUBLIC_BASE_URL is unset, and only then", function () {
    expect(nodeA?.output()).to.match(/PUBLIC_BASE_URL is not set/);
    expect(nodeB?.process.output()).not.to.match(/PUBLIC_BASE_URL is not set/);
  });

  it("issues the API's example template through --service with ZEROSIGN_TOKEN; verify with ZEROSIGN_DATA alone says valid", async function () {
    const out = path.join(dir, "issued.pdf");
    const res = zerosign({ ZEROSIGN_TOKEN: tokenA }, "issue", "--template", TEMPLATE, "--service", urlA, "--out", out);
    expect(res.status, res.stderr).to.equal(0);
    expect(res.stdout).to.match(/^Issued certificate SAMR-\d{8}-[0-9A-Z]{16} through /);
    await confirmed(urlA, idOf(res.stdout));
    const verified = zerosign({ ZEROSIGN_DATA: dataA }, "verify", out, "--json");
    expect(verdictOf(verified).verdict, verified.stderr).to.equal("valid");
    expect(verified.status).to.equal(0);
  });

  it("takes CHAIN_RPC_URL from the environment, and --rpc over it", async function () {
    const out = path.join(dir, "issued.pdf");
    const down = zerosign({ ZEROSIGN_DATA: dataA, CHAIN_RPC_URL: "http://127.0.0.1:9" }, "verify", out, "--json");
    expect(down.status).to.equal(2);
    expect(verdictOf(down).checks.find((c) => c.id === "anchor")?.code).to.equal("CHAIN_UNREACHABLE");
    const flag = zerosign({ ZEROSIGN_DATA: dataA, CHAIN_RPC_URL: "http://127.0.0.1:9" }, "verify", out, "--json", "--rpc", rpcUrl);
    expect(flag.status, flag.stderr).to.equal(0);
  });

  it("exits 78 naming the variable when the environment is malformed", function () {
    const res = zerosign({ CHAIN_PORT: "eighty" }, "verify", path.join(dir, "issued.pdf"));
    expect(res.status).to.equal(78);
    expect(res.stderr).to.match(/^CONFIG: invalid configuration:\n {2}- CHAIN_PORT: /);
  });

  it("seals a receipt-size page through department B's node (the API's default placement fits), and verify --data data-b says valid", async function () {
    const small = await PDFDocument.create();
    small.addPage([300, 144]);
    const input = path.join(dir, "receipt.pdf");
    await writeFile(input, await small.save());
    const out = path.join(dir, "receipt-sealed.pdf");
    const res = zerosign({}, "seal", input, "--page", "1", "--service", nodeB?.url ?? "", "--token", nodeB?.tokens.MCA ?? "", "--out", out);
    expect(res.status, res.stderr).to.equal(0);
    await confirmed(nodeB?.url ?? "", idOf(res.stdout));
    const verified = zerosign({}, "verify", out, "--json", "--data", dataB);
    expect(verdictOf(verified).verdict, verified.stdout).to.equal("valid");
    expect(verdictOf(verified).signatures[0]).to.include({ departmentName: "民政局", role: "seal" });
  });

  it("says plainly that a locally issued file is not anchored, and verify then says NOT_ANCHORED", function () {
    const out = path.join(dir, "local.pdf");
    const res = zerosign({ ZEROSIGN_DATA: dataA }, "issue", "--template", TEMPLATE, "--out", out);
    expect(res.status, res.stderr).to.equal(0);
    expect(res.stdout).to.match(/^Not anchored: .*NOT_ANCHORED/m);
    const verified = zerosign({ ZEROSIGN_DATA: dataA }, "verify", out, "--json");
    expect(verified.status).to.equal(2);
    expect(verdictOf(verified).checks.find((c) => c.id === "anchor")?.code).to.equal("NOT_ANCHORED");
  });

  it("refuses to countersign a revoked certificate (DOCUMENT_REVOKED, as the API's 409) and countersigns one that is not", async function () {
    const issued = path.join(dir, "to-revoke.pdf");
    const res = zerosign({ ZEROSIGN_TOKEN: tokenA }, "issue", "--template", TEMPLATE, "--service", urlA, "--out", issued);
    expect(res.status, res.stderr).to.equal(0);
    const id = idOf(res.stdout);
    await confirmed(urlA, id);
    const kept = zerosign({ ZEROSIGN_DATA: dataA }, "countersign", issued, "--role", "chief", "--out", path.join(dir, "kept.pdf"));
    expect(kept.status, kept.stderr).to.equal(0);

    const revoked = await callJson(`${urlA}/api/documents/${id}/revocation`, { method: "POST", token: tokenA, json: { reasonCode: 2 } });
    expect(revoked.status).to.equal(200);
    const refused = zerosign({ ZEROSIGN_DATA: dataA }, "countersign", issued, "--role", "chief", "--out", path.join(dir, "no.pdf"));
    expect(refused.status).to.equal(1);
    expect(refused.stderr).to.match(/^DOCUMENT_REVOKED: /);
    const api = await callJson<{ code: string }>(`${urlA}/api/documents/${id}/countersignatures`, { method: "POST", token: tokenA, json: { role: "chief" } });
    expect([api.status, api.body.code]).to.deep.equal([409, "DOCUMENT_REVOKED"]);
  });

  it("refuses countersign with the chain down (CHAIN_UNREACHABLE) unless --offline", function () {
    const issued = path.join(dir, "issued.pdf");
    const env = { ZEROSIGN_DATA: dataA, CHAIN_RPC_URL: "http://127.0.0.1:9" };
    const down = zerosign(env, "countersign", issued, "--out", path.join(dir, "down.pdf"));
    expect(down.status).to.equal(1);
    expect(down.stderr).to.match(/^CHAIN_UNREACHABLE: /);
    const offline = zerosign(env, "countersign", issued, "--out", path.join(dir, "down.pdf"), "--offline");
    expect(offline.status, offline.stderr).to.equal(0);
    expect(offline.stdout).to.contain("revocation not checked");
  });
});
