// `zerosign verify` against a real local chain started the way `npm start` starts it: a certificate
// issued by the CLI with the registered dev keys, anchored by its department's operator, is valid
// (exit 0); revoked, tampered, unanchored, offline, unreadable or with the chain down it gets the
// verdict's exit code and reason code.
import { expect } from "chai";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { JsonRpcProvider, NonceManager, toQuantity, Wallet } from "ethers";
import { findDocumentAnchors } from "../../../server/chain/anchor-lookup";
import { attachZeroSign, type Deployment } from "../../../server/chain/deploy";
import { DOCUMENT_KINDS } from "../../../server/chain/merkle";
import { runCli } from "../../../server/cli/main";
import type { DemoOperator } from "../../../server/demo/operators";
import type { Report } from "../../../server/verify";
import { startCappedProxy } from "../../helpers/json-rpc-nodes";
import { startZeroSign, type StartedProcess } from "../../helpers/start-process";

async function cliWith(env: Record<string, string>, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } }, env);
  return { code, stdout, stderr };
}

const cli = (...argv: string[]) => cliWith({}, ...argv);

describe("zerosign verify against the embedded chain", function () {
  this.timeout(180_000);
  let dir: string;
  let running: StartedProcess | undefined;
  let rpcUrl: string;
  let samrLedger: ReturnType<typeof attachZeroSign>["ledger"];
  let provider: JsonRpcProvider;
  let deployment: Deployment;

  const issue = async (name: string) => {
    const out = path.join(dir, name);
    const res = await cli("issue", "--demo", "--out", out, "--data", dir);
    expect(res.code, res.stderr).to.equal(0);
    return out;
  };
  const anchor = async (file: string) => {
    const docHash = "0x" + createHash("sha256").update(await readFile(file)).digest("hex");
    await (await samrLedger.anchorBatch([docHash], Uint8Array.of(DOCUMENT_KINDS.certificate))).wait();
    return docHash;
  };
  const verifyJson = async (file: string, ...extra: string[]) => {
    const res = await cli("verify", file, "--json", "--rpc", rpcUrl, "--data", dir, ...extra);
    return { code: res.code, report: JSON.parse(res.stdout) as Report, stderr: res.stderr };
  };

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "zerosign-verify-cli-"));
    running = await startZeroSign({ ZEROSIGN_DATA: dir, CHAIN_PORT: "0" }, /ZeroSign chain ready: (\S+)/);
    rpcUrl = running.readyUrl;
    deployment = JSON.parse(await readFile(path.join(dir, "deployment.json"), "utf8")) as Deployment;
    const operators = JSON.parse(await readFile(path.join(dir, "operators.json"), "utf8")) as DemoOperator[];
    const samr = operators.find((op) => op.departmentCode === "SAMR");
    if (!samr) throw new Error("no SAMR operator");
    provider = new JsonRpcProvider(rpcUrl);
    samrLedger = attachZeroSign(deployment, new NonceManager(new Wallet(samr.privateKey, provider))).ledger;
  });
  after(async () => {
    provider?.destroy();
    if (running) {
      running.child.kill("SIGINT");
      await running.exited;
    }
    await rm(dir, { recursive: true, force: true });
  });

  it("reports an anchored certificate valid, with department and role, exit 0", async () => {
    const file = await issue("valid.pdf");
    await anchor(file);
    const { code, report } = await verifyJson(file);
    expect(report.verdict, report.reason).to.equal("valid");
    expect(code).to.equal(0);
    expect(report.signatures[0]).to.include({ departmentName: "市场监督管理局", role: "seal" });
    const human = await cli("verify", file, "--rpc", rpcUrl, "--data", dir);
    expect(human.stdout).to.contain("结论 Verdict: 有效 VALID");
  });

  it("reports a certificate valid through a node that caps log ranges, on a ledger many caps old (CHAIN_LOG_RANGE)", async () => {
    const file = await issue("capped.pdf");
    await anchor(file);
    await provider.send("anvil_mine", [toQuantity(300)]);
    const proxy = await startCappedProxy(rpcUrl, 100);
    try {
      const res = await cliWith({ CHAIN_LOG_RANGE: "100" }, "verify", file, "--json", "--rpc", proxy.url, "--data", dir);
      const report = JSON.parse(res.stdout) as Report;
      expect([report.verdict, res.code], report.reason).to.deep.equal(["valid", 0]);
      expect(proxy.refused).to.equal(0);
      expect(proxy.widestAnswered).to.equal(100);
    } finally {
      await proxy.close();
    }
  });

  it("reports a revoked certificate invalid with DOCUMENT_REVOKED, exit 1", async () => {
    const file = await issue("revoked.pdf");
    const docHash = await anchor(file);
    const [record] = await findDocumentAnchors(samrLedger, docHash, { fromBlock: deployment.deployBlock });
    await (await samrLedger.revoke(docHash, record.kind, record.batchId, record.proof, 2)).wait();
    const { code, report } = await verifyJson(file);
    expect([report.verdict, report.code, code]).to.deep.equal(["invalid", "DOCUMENT_REVOKED", 1]);
  });

  it("reports a certificate changed after signing invalid, exit 1", async () => {
    const file = await issue("tampered.pdf");
    await anchor(file);
    const bytes = await readFile(file);
    const at = bytes.indexOf("/Title");
    bytes[at + 1] ^= 0x20;
    const tampered = path.join(dir, "tampered-2.pdf");
    await writeFile(tampered, bytes);
    const { code, report } = await verifyJson(tampered);
    expect(report.verdict).to.equal("invalid");
    expect(report.checks.find((c) => c.id === "signature-integrity")?.code).to.equal("DIGEST_MISMATCH");
    expect(code).to.equal(1);
  });

  it("reports an unanchored certificate unknown with NOT_ANCHORED, and offline unknown with OFFLINE, exit 2", async () => {
    const file = await issue("unanchored.pdf");
    const unanchored = await verifyJson(file);
    expect([unanchored.report.verdict, unanchored.report.code, unanchored.code]).to.deep.equal(["unknown", "NOT_ANCHORED", 2]);
    const offline = await verifyJson(file, "--offline");
    expect([offline.report.verdict, offline.report.code, offline.code]).to.deep.equal(["unknown", "OFFLINE", 2]);
    expect(offline.report.checks.filter((c) => c.id === "signature-integrity").map((c) => c.status)).to.deep.equal(["valid"]);
  });

  it("reports a file that is not a PDF as error, exit 3, and a missing file as exit 3", async () => {
    const notPdf = path.join(dir, "note.pdf");
    await writeFile(notPdf, "this is a text file, not a PDF\n");
    const res = await verifyJson(notPdf);
    expect([res.report.verdict, res.report.code, res.code]).to.deep.equal(["error", "PDF_NOT_PDF", 3]);
    const missing = await cli("verify", path.join(dir, "missing.pdf"), "--offline");
    expect(missing.code).to.equal(3);
    expect(missing.stderr).to.match(/^FILE_NOT_FOUND: /);
  });

  it("reports unknown with CHAIN_UNREACHABLE, never invalid, when the chain is down", async () => {
    const file = path.join(dir, "valid.pdf");
    if (!running) throw new Error("the chain is not running");
    running.child.kill("SIGINT");
    await running.exited;
    running = undefined;
    const { code, report } = await verifyJson(file);
    expect([report.verdict, report.code, code]).to.deep.equal(["unknown", "CHAIN_UNREACHABLE", 2]);
  });
});
