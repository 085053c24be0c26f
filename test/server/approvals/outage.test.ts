// Approvals when the chain goes away and when the node is killed: a signature given while the chain
// is down is kept and its decision recorded once the chain is back; applications whose evidence
// cannot be checked are accepted and queued (uploaded PDFs kept), survive a kill -9, and are
// reviewed and decided once when the chain is back; a kill -9 while 秒批 decisions are in flight
// loses no accepted application, and the chain records each decision once, each with one
// certificate. Real processes: the embedded chain (Anvil, state kept across its restarts) and the
// service node.
import { expect } from "chai";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { encodeBytes32String, JsonRpcProvider } from "ethers";
import { attachZeroSign } from "../../../server/chain/deploy";
import { EMBEDDED_CHAIN_ID, startEmbeddedChain, type EmbeddedChain } from "../../../server/devnet/embedded-chain";
import { callJson, listAllDocuments, startServiceNode, stopServiceNode, type DocumentView, type ServiceNode } from "../../helpers/service";
import { until } from "../../helpers/until";

interface ApplicationView {
  id: string;
  applicationHashHex: string;
  status: string;
  certificateId?: string;
  lastError?: string;
}

describe("approvals: chain outage and kill -9", function () {
  this.timeout(300_000);
  let chainDir: string;
  let dataDir: string;
  let chain: EmbeddedChain | undefined;
  let node: ServiceNode | undefined;
  let port: number;
  const start = () => startServiceNode({ dataDir, rpcUrl: chain?.rpcUrl ?? `http://127.0.0.1:${port}`, departments: "SAMR,MCA,APPROVAL,PSB" });

  const on = (): ServiceNode => {
    if (!node) throw new Error("no node");
    return node;
  };
  const post = <T>(route: string, department: string, json: unknown) => callJson<T>(`${on().url}${route}`, { method: "POST", token: on().tokens[department], json });
  const application = async (id: string, department = "APPROVAL") => (await callJson<ApplicationView>(`${on().url}/api/applications/${id}`, { token: on().tokens[department] })).body;

  /** How many DecisionRecorded events the chain holds for `applicationHash` (or every one of `matter`). */
  async function decisionsOnChain(applicationHash: string | undefined, matter?: string): Promise<number> {
    const provider = new JsonRpcProvider(chain?.rpcUrl, EMBEDDED_CHAIN_ID, { staticNetwork: true, batchMaxCount: 1 });
    try {
      const { approvals } = attachZeroSign(on().deployment, provider);
      if (!approvals) throw new Error("no approval contracts in the deployment");
      const rules = approvals.approvalRules;
      const filter = rules.filters.DecisionRecorded(applicationHash, matter === undefined ? undefined : encodeBytes32String(matter));
      return (await rules.queryFilter(filter, on().deployment.deployBlock)).length;
    } finally {
      provider.destroy();
    }
  }

  async function anchoredHukou(birthDate: string): Promise<DocumentView> {
    const res = await post<DocumentView>("/api/certificates", "PSB", {
      kind: "certificate",
      templateId: "hukou-record",
      title: "户籍证明",
      holder: [{ label: "姓名", value: "孙丽" }, { label: "出生日期", value: birthDate }],
      documentNumber: "HJ-OUTAGE",
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    await until(async () => (await listAllDocuments(on(), "PSB")).find((d) => d.id === res.body.id)?.anchoring.status === "confirmed", "the evidence to anchor", 60_000);
    return res.body;
  }

  before(async () => {
    chainDir = await mkdtemp(path.join(os.tmpdir(), "zerosign-approvals-outage-chain-"));
    dataDir = await mkdtemp(path.join(os.tmpdir(), "zerosign-approvals-outage-"));
    chain = await startEmbeddedChain({ dataDir: chainDir, port: 0, log: () => undefined });
    port = Number(new URL(chain.rpcUrl).port);
    node = await start();
  });
  after(async () => {
    await stopServiceNode(node);
    await chain?.stop();
    await rm(chainDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  it("keeps a signature given while the chain is down, records its decision once when the chain is back", async () => {
    const waiting = await post<ApplicationView>("/api/applications", "APPROVAL", { matter: "SOCIAL_ORG_CHANGE", applicant: { 社会团体名称: "围棋协会" } });
    expect(waiting.status, JSON.stringify(waiting.body)).to.equal(201);

    await chain?.stop();
    chain = undefined;
    const signed = await post<ApplicationView>(`/api/applications/${waiting.body.id}/signatures`, "APPROVAL", { role: "staff" });
    expect(signed.status, JSON.stringify(signed.body)).to.equal(202);
    expect(signed.body.status).to.equal("deciding");
    expect(signed.body.lastError).to.contain("unreachable");

    chain = await startEmbeddedChain({ dataDir: chainDir, port, log: () => undefined });
    await until(async () => (await application(waiting.body.id)).status === "issued", "the decision to be recorded after the outage", 60_000);
    expect(await decisionsOnChain(waiting.body.applicationHashHex)).to.equal(1);
  });

  it("accepts applications whose evidence it cannot check while the chain is down, keeps them (uploads too) over a kill -9, and decides each once it is back", async () => {
    const stored = await anchoredHukou("1951-04-04");
    const uploaded = await anchoredHukou("1949-09-09");
    const uploadedPdf = await fetch(`${on().url}/api/documents/${uploaded.id}/pdf`, { headers: { authorization: `Bearer ${on().tokens.PSB}` } });
    const pdfBase64 = Buffer.from(await uploadedPdf.arrayBuffer()).toString("base64");
    // A SAMR certificate is no 户籍证明: its review will find no path.
    const licence = await post<DocumentView>("/api/certificates", "SAMR", { kind: "certificate", title: "营业执照", holder: [{ label: "名称", value: "青禾" }], documentNumber: "YZ-OUTAGE" });
    await until(async () => (await listAllDocuments(on(), "SAMR")).find((d) => d.id === licence.body.id)?.anchoring.status === "confirmed", "the licence to anchor", 60_000);

    await chain?.stop();
    chain = undefined;
    const byId = await post<ApplicationView>("/api/applications", "MCA", { matter: "ELDERLY_CARD", applicant: { 姓名: "孙丽" }, evidence: [{ documentId: stored.id }] });
    const byUpload = await post<ApplicationView>("/api/applications", "MCA", { matter: "ELDERLY_CARD", applicant: { 姓名: "周平" }, evidence: [{ pdfBase64 }] });
    const wrong = await post<ApplicationView>("/api/applications", "MCA", { matter: "ELDERLY_CARD", applicant: { 姓名: "吴刚" }, evidence: [{ documentId: licence.body.id }] });
    for (const res of [byId, byUpload, wrong]) {
      expect(res.status, JSON.stringify(res.body)).to.equal(202);
      expect(res.body.status).to.equal("accepted");
      expect(res.body.lastError).to.contain("reviewed once the chain is back");
      expect((await application(res.body.id, "MCA")).status).to.equal("accepted");
    }
    // Not reviewed, so not signable yet.
    const early = await post<{ code: string }>(`/api/applications/${byId.body.id}/signatures`, "MCA", { role: "staff" });
    expect(early.status).to.equal(409);
    expect(early.body.code).to.equal("APPLICATION_NOT_REVIEWED");

    // The node dies with both in its queue; it needs the chain to start again.
    on().process.child.kill("SIGKILL");
    await on().process.exited;
    chain = await startEmbeddedChain({ dataDir: chainDir, port, log: () => undefined });
    node = await start();
    for (const res of [byId, byUpload]) {
      let app: ApplicationView | undefined;
      await until(async () => (app = await application(res.body.id, "MCA")).status === "issued", `${res.body.id} to be reviewed and issued`, 60_000);
      expect(app?.certificateId).to.be.a("string");
      expect(await decisionsOnChain(app?.applicationHashHex)).to.equal(1);
    }
    // Reviewed like a request: refused for the code the request would have had, and kept so.
    const review = () => callJson<ApplicationView & { reasons: Array<{ code: string }> }>(`${on().url}/api/applications/${wrong.body.id}`, { token: on().tokens.MCA });
    await until(async () => (await review()).body.status !== "accepted", "the wrong evidence's review", 60_000);
    const rejected = await review();
    expect(rejected.body.status).to.equal("rejected");
    expect(rejected.body.reasons[0].code).to.equal("APPLICATION_NO_PATH");
  });

  it("loses no accepted application and records each decision once, with one certificate each, over a kill -9 during decisions", async () => {
    const evidence = await Promise.all(["1940-01-01", "1942-02-02", "1944-03-03", "1946-04-04", "1948-05-05", "1950-06-06"].map(anchoredHukou));
    const accepted: string[] = [];
    const sent = evidence.map(async (e, i) => {
      const res = await post<ApplicationView>("/api/applications", "MCA", { matter: "ELDERLY_CARD", applicant: { 姓名: `申请人${i}` }, evidence: [{ documentId: e.id }] }).catch(() => undefined);
      if (res && (res.status === 201 || res.status === 202)) accepted.push(res.body.id);
    });
    // Some answered, some in the middle of their decision or issuing.
    await new Promise((resolve) => setTimeout(resolve, 700));
    on().process.child.kill("SIGKILL");
    await on().process.exited;
    await Promise.all(sent);

    node = await start();
    const stored = await Promise.all(accepted.map((id) => application(id, "MCA")));
    expect(stored.map((a) => a.id)).to.deep.equal(accepted);
    // Everything the node kept (answered or not) settles: every decision once on chain, one certificate each.
    const documents = () => listAllDocuments(on(), "MCA");
    await until(async () => (await documents()).length > accepted.length, "the certificates of the accepted applications", 60_000);
    for (const id of accepted) {
      await until(async () => (await application(id, "MCA")).status === "issued", `${id} to be issued`, 60_000);
      const app = await application(id, "MCA");
      expect(await decisionsOnChain(app.applicationHashHex), `decisions of ${id}`).to.equal(1);
    }
    // Every approval the chain recorded for the matter (answered before the kill or not) has exactly
    // one certificate. (MCA's other document here is the first test's 社会团体变更登记证明.)
    const certificates = (await documents()).filter((d) => d.title === "老年人优待证").map((d) => d.id);
    expect(await decisionsOnChain(undefined, "ELDERLY_CARD")).to.equal(certificates.length);
    const issuedIds = await Promise.all(accepted.map(async (id) => (await application(id, "MCA")).certificateId));
    for (const certificateId of issuedIds) expect(certificates).to.include(certificateId);
  });
});
