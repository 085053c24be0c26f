// Two departments, one chain: SAMR's node and MCA's node (separate processes, data folders and
// databases) against one `hardhat node`. A certificate SAMR issues is verified by MCA's node from
// chain data alone — MCA's node has never talked to SAMR's — and turns invalid (revoked) once SAMR
// revokes it. Neither department can revoke the other's document: not through its node, not on chain.
import { expect } from "chai";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { JsonRpcProvider, Wallet } from "ethers";
import { findDocumentAnchors } from "../../../server/chain/anchor-lookup";
import { decodeRevert } from "../../../server/chain/decode-revert";
import { attachZeroSign } from "../../../server/chain/deploy";
import type { DemoOperator } from "../../../server/demo/operators";
import type { Report } from "../../../server/verify";
import {
  callJson,
  issueOn,
  listAllDocuments,
  startServiceNode,
  stopServiceNode,
  type ServiceNode,
} from "../../helpers/service";
import { startHardhatNode, type HardhatNode } from "../../helpers/hardhat-node";
import { until } from "../../helpers/until";


describe("two departments' nodes on one chain", function () {
  this.timeout(180_000);
  let hardhatNode: HardhatNode | undefined;
  let rpcUrl: string;
  let dirA: string;
  let dirB: string;
  let samr: ServiceNode | undefined;
  let mca: ServiceNode | undefined;
  let provider: JsonRpcProvider;

  before(async () => {
    dirA = await mkdtemp(path.join(os.tmpdir(), "zerosign-dept-a-"));
    dirB = await mkdtemp(path.join(os.tmpdir(), "zerosign-dept-b-"));
    hardhatNode = await startHardhatNode();
    ({ rpcUrl, provider } = hardhatNode);

    // A's data folder does not exist yet, as on a first start with ZEROSIGN_DATA=./data-a.
    samr = await startServiceNode({ dataDir: path.join(dirA, "data-a"), rpcUrl, departments: "SAMR" });
    const { registryAddress, ledgerAddress, deployBlock } = samr.deployment;
    mca = await startServiceNode({
      dataDir: dirB,
      rpcUrl,
      departments: "MCA",
      env: { REGISTRY_ADDRESS: registryAddress, LEDGER_ADDRESS: ledgerAddress, LEDGER_DEPLOY_BLOCK: String(deployBlock) },
    });
  });
  after(async () => {
    await stopServiceNode(samr);
    await stopServiceNode(mca);
    hardhatNode?.stop();
    await rm(dirA, { recursive: true, force: true });
    await rm(dirB, { recursive: true, force: true });
  });

  const nodes = () => {
    if (!samr || !mca) throw new Error("nodes not started");
    return { a: samr, b: mca };
  };
  const issueAnchored = async (node: ServiceNode, departmentCode: string) => {
    const doc = await issueOn(node, departmentCode);
    await until(
      async () => (await listAllDocuments(node, departmentCode)).find((d) => d.id === doc.id)?.anchoring.status === "confirmed",
      `${doc.id} to anchor`,
    );
    return doc;
  };
  const downloadPdf = async (node: ServiceNode, departmentCode: string, id: string) => {
    const res = await fetch(`${node.url}/api/documents/${id}/pdf`, { headers: { authorization: `Bearer ${node.tokens[departmentCode]}` } });
    expect(res.status).to.equal(200);
    return new Uint8Array(await res.arrayBuffer());
  };
  const verifyOn = (node: ServiceNode, pdf: Uint8Array) => callJson<Report>(`${node.url}/api/verify`, { pdf });

  it("serves separate departments from separate stores on one deployment", async () => {
    const { a, b } = nodes();
    expect(b.deployment.ledgerAddress).to.equal(a.deployment.ledgerAddress);
    const departments = await callJson<{ code: string }[] | { departments: { code: string }[] }>(`${b.url}/api/departments`);
    expect(JSON.stringify(departments.body)).to.contain("SAMR").and.to.contain("MCA");
    // A's operator token means nothing to B's node.
    const res = await callJson<{ code: string }>(`${b.url}/api/documents`, { token: a.tokens.SAMR });
    expect(res.status).to.equal(401);
    expect(res.body.code).to.equal("TOKEN_INVALID");
  });

  it("A issues and anchors a certificate; B verifies it valid from chain data; A revokes; B reports it revoked", async () => {
    const { a, b } = nodes();
    const doc = await issueAnchored(a, "SAMR");
    const pdf = await downloadPdf(a, "SAMR", doc.id);

    const before = await verifyOn(b, pdf);
    expect(before.status).to.equal(200);
    expect(before.body.verdict, before.body.reason).to.equal("valid");
    expect(before.body.signatures[0]).to.include({ departmentName: "市场监督管理局", role: "seal" });

    const revoked = await callJson<{ status: string }>(`${a.url}/api/documents/${doc.id}/revocation`, {
      token: a.tokens.SAMR,
      json: { reasonCode: 2 },
    });
    expect(revoked.status, JSON.stringify(revoked.body)).to.equal(200);

    const after = await verifyOn(b, pdf);
    expect(after.body.verdict).to.equal("invalid");
    expect(after.body.code).to.equal("DOCUMENT_REVOKED");
    expect(after.body.checks.find((c) => c.id === "revocation")).to.include({ status: "invalid", code: "DOCUMENT_REVOKED" });
  });

  it("B's operator cannot revoke A's document on chain: DocumentLedgerNotIssuer", async () => {
    const { a } = nodes();
    const doc = await issueAnchored(a, "SAMR");
    const operators = JSON.parse(await readFile(path.join(dirB, "operators.json"), "utf8")) as DemoOperator[];
    const mcaOperator = operators.find((op) => op.departmentCode === "MCA");
    if (!mcaOperator) throw new Error("no MCA operator in B's data folder");
    const ledger = attachZeroSign(a.deployment, new Wallet(mcaOperator.privateKey, provider)).ledger;
    const [anchor] = await findDocumentAnchors(ledger, doc.docHashHex, { fromBlock: a.deployment.deployBlock });
    let error: unknown;
    try {
      await (await ledger.revoke(doc.docHashHex, anchor.kind, anchor.batchId, anchor.proof, 2)).wait();
    } catch (err) {
      error = err;
    }
    const revert = decodeRevert(ledger.interface, error);
    expect(revert?.name).to.equal("DocumentLedgerNotIssuer");
    expect(Number(revert?.args[0])).to.equal(anchor.batchId);
    expect((await ledger.revocation(doc.docHashHex, anchor.departmentId)).revokedAt).to.equal(0n);
  });
});
