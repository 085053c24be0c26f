// A chain outage with real processes: the chain node stops while a service node keeps issuing;
// the API keeps answering (documents pending with the reason), the node catches up once the chain
// is back, and each document is anchored exactly once. The same node serves two departments, so
// it also shows that one department's token cannot revoke the other's document.
import { expect } from "chai";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { JsonRpcProvider } from "ethers";
import { findDocumentAnchors } from "../../../server/chain/anchor-lookup";
import { attachZeroSign } from "../../../server/chain/deploy";
import { EMBEDDED_CHAIN_ID, startEmbeddedChain, type EmbeddedChain } from "../../../server/devnet/embedded-chain";
import { callJson, issueOn, listAllDocuments, startServiceNode, stopServiceNode, type DocumentView, type ServiceNode } from "../../helpers/service";
import { until } from "../../helpers/until";

describe("service: chain outage while issuing", function () {
  this.timeout(180_000);
  let chainDir: string;
  let dataDir: string;
  let chain: EmbeddedChain | undefined;
  let node: ServiceNode | undefined;
  let port: number;

  before(async () => {
    chainDir = await mkdtemp(path.join(os.tmpdir(), "zerosign-outage-chain-"));
    dataDir = await mkdtemp(path.join(os.tmpdir(), "zerosign-outage-"));
    chain = await startEmbeddedChain({ dataDir: chainDir, port: 0, log: () => undefined });
    port = Number(new URL(chain.rpcUrl).port);
    node = await startServiceNode({ dataDir, rpcUrl: chain.rpcUrl, departments: "SAMR,MCA" });
  });
  after(async () => {
    await stopServiceNode(node);
    await chain?.stop();
    await rm(chainDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  /** The public record (rate-limited endpoint: asked only a few times). */
  const view = async (id: string) => (await callJson<DocumentView>(`${(node as ServiceNode).url}/api/documents/${id}`)).body;
  /** The staff list's record of `id` (operators' endpoint: fine to poll). */
  const staffView = async (departmentCode: string, id: string) => {
    const doc = (await listAllDocuments(node as ServiceNode, departmentCode)).find((d) => d.id === id);
    if (!doc) throw new Error(`${id} is not in the store`);
    return doc;
  };

  it("keeps answering with documents pending while the chain is down, then anchors each once", async () => {
    if (!node || !chain) throw new Error("not started");
    const before = await issueOn(node, "SAMR");
    await until(async () => (await staffView("SAMR", before.id)).anchoring.status === "confirmed", "the first document to anchor");

    await chain.stop();
    chain = undefined;
    const during: DocumentView[] = [];
    for (let i = 0; i < 6; i++) during.push(await issueOn(node, i % 2 === 0 ? "SAMR" : "MCA"));
    for (const doc of during) expect(doc.anchoring.status).to.equal("pending");
    await until(async () => (await staffView("SAMR", during[0].id)).anchoring.lastError !== undefined, "the outage to show", 20_000);
    expect((await view(during[0].id)).anchoring).to.deep.equal({ status: "pending", lastError: "chain unreachable, retrying" });
    const verify = await callJson<{ verdict: string }>(`${node.url}/api/verify`, {
      pdf: new Uint8Array(
        await (await fetch(`${node.url}/api/documents/${before.id}/pdf`, { headers: { authorization: `Bearer ${node.tokens.SAMR}` } })).arrayBuffer(),
      ),
    });
    expect(verify.status).to.equal(200);
    expect(verify.body.verdict).to.equal("unknown");

    chain = await startEmbeddedChain({ dataDir: chainDir, port, log: () => undefined });
    for (const [i, doc] of during.entries()) {
      await until(async () => (await staffView(i % 2 === 0 ? "SAMR" : "MCA", doc.id)).anchoring.status === "confirmed", `${doc.id} to anchor after the outage`, 60_000);
    }
    const provider = new JsonRpcProvider(chain.rpcUrl, EMBEDDED_CHAIN_ID, { staticNetwork: true, batchMaxCount: 1 });
    try {
      const { ledger } = attachZeroSign(node.deployment, provider);
      for (const doc of [before, ...during]) {
        const anchors = await findDocumentAnchors(ledger, doc.docHashHex, { fromBlock: node.deployment.deployBlock });
        expect(anchors, doc.id).to.have.length(1);
      }
    } finally {
      provider.destroy();
    }
  });

  it("refuses SAMR's token revoking an MCA document with 403 DOCUMENT_NOT_ISSUER", async () => {
    if (!node) throw new Error("not started");
    const mcaDoc = await issueOn(node, "MCA");
    await until(async () => (await staffView("MCA", mcaDoc.id)).anchoring.status === "confirmed", "the MCA document to anchor");
    const res = await callJson<{ code: string }>(`${node.url}/api/documents/${mcaDoc.id}/revocation`, {
      token: node.tokens.SAMR,
      json: { reasonCode: 2 },
    });
    expect(res.status).to.equal(403);
    expect(res.body.code).to.equal("DOCUMENT_NOT_ISSUER");
    expect((await view(mcaDoc.id)).status).to.equal("valid");
  });
});
