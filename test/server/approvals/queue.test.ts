// GET /api/applications?status=awaiting-signatures, the operator's queue, on one service node with
// the demo departments: the hall sees what it accepted for other departments, the owner sees its
// own, nobody else sees them; newest first, limited; an application leaves the queue once decided.
import { expect } from "chai";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { callJson, startServiceNode, stopServiceNode, type ServiceNode } from "../../helpers/service";
import { startHardhatNode, type HardhatNode } from "../../helpers/hardhat-node";

interface ApplicationView {
  id: string;
  matter: { code: string };
  departmentCode: string;
  acceptedBy: string;
  status: string;
  path: string;
  signatures: Array<{ role: string }>;
  digest?: string;
}

interface ErrorBody {
  code: string;
  reason: string;
  field?: string;
}

describe("approvals: the operator's queue of applications waiting for a signature", function () {
  this.timeout(240_000);
  let hardhatNode: HardhatNode | undefined;
  let dataDir: string;
  let node: ServiceNode;
  /** Submitted in this order: MCA's by the hall, SAMR's by the hall, SAMR's by SAMR, MCA's by the hall. */
  const submitted: ApplicationView[] = [];

  const queue = (department: string | undefined, query = "status=awaiting-signatures") =>
    callJson<{ applications: ApplicationView[] } & ErrorBody>(`${node.url}/api/applications?${query}`, { token: department ? node.tokens[department] : undefined });
  const submit = async (department: string, matter: string, applicant: Record<string, string>) => {
    const res = await callJson<ApplicationView>(`${node.url}/api/applications`, { token: node.tokens[department], json: { matter, applicant } });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.status).to.equal("awaiting-signatures");
    submitted.push(res.body);
    return res.body;
  };
  const ids = (apps: ApplicationView[]) => apps.map((a) => a.id);

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "zerosign-queue-"));
    hardhatNode = await startHardhatNode();
    const { rpcUrl } = hardhatNode;
    node = await startServiceNode({ dataDir, rpcUrl, departments: "SAMR,MCA,APPROVAL,PSB" });
    await submit("APPROVAL", "SOCIAL_ORG_CHANGE", { 社会团体名称: "海淀区书法协会" });
    await submit("APPROVAL", "FOOD_PRODUCTION_LICENCE", { 企业名称: "京味食品有限公司" });
    await submit("SAMR", "FOOD_PRODUCTION_LICENCE", { 企业名称: "稻香村食品厂" });
    await submit("APPROVAL", "SOCIAL_ORG_CHANGE", { 社会团体名称: "海淀区棋艺协会" });
  });

  after(async () => {
    await stopServiceNode(node);
    hardhatNode?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("gives the hall every application it accepted, newest first, with the digest to sign", async () => {
    const res = await queue("APPROVAL");
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const [mca1, samrByHall, , mca2] = submitted;
    expect(ids(res.body.applications)).to.deep.equal([mca2.id, samrByHall.id, mca1.id]);
    expect(res.body.applications[0]).to.include({ departmentCode: "MCA", acceptedBy: "APPROVAL", path: "signOnce", status: "awaiting-signatures" });
    expect(res.body.applications[0].digest).to.match(/^0x[0-9a-f]{64}$/);
  });

  it("gives the owning department its own, whoever accepted them, and another department none", async () => {
    const [mca1, samrByHall, samrOwn, mca2] = submitted;
    expect(ids((await queue("SAMR")).body.applications)).to.deep.equal([samrOwn.id, samrByHall.id]);
    expect(ids((await queue("MCA")).body.applications)).to.deep.equal([mca2.id, mca1.id]);
    const psb = await queue("PSB");
    expect(psb.status).to.equal(200);
    expect(psb.body.applications).to.deep.equal([]);
  });

  it("stops at the limit, keeping the newest", async () => {
    const res = await queue("APPROVAL", "status=awaiting-signatures&limit=1");
    expect(res.status).to.equal(200);
    expect(ids(res.body.applications)).to.deep.equal([submitted[3].id]);
  });

  it("keeps a 签两次 application after its first signature and drops a 签一次 one once decided", async () => {
    const [mca1, samrByHall] = submitted;
    const first = await callJson<ApplicationView>(`${node.url}/api/applications/${samrByHall.id}/signatures`, { token: node.tokens.APPROVAL, json: { role: "staff" } });
    expect(first.status, JSON.stringify(first.body)).to.equal(202);
    const decided = await callJson<ApplicationView>(`${node.url}/api/applications/${mca1.id}/signatures`, { token: node.tokens.APPROVAL, json: { role: "staff" } });
    expect(decided.status, JSON.stringify(decided.body)).to.equal(201);
    const res = await queue("APPROVAL");
    expect(ids(res.body.applications)).to.deep.equal([submitted[3].id, samrByHall.id]);
    expect(res.body.applications[1].signatures.map((s) => s.role)).to.deep.equal(["staff"]);
  });

  it("refuses a missing or other status, a limit out of range, and no token", async () => {
    for (const query of ["", "status=issued", "status=awaiting-signatures&limit=0", "status=awaiting-signatures&limit=101", "status=awaiting-signatures&cursor=x"]) {
      const res = await queue("APPROVAL", query);
      expect([res.status, res.body.code], query).to.deep.equal([400, "INVALID_REQUEST"]);
    }
    const anonymous = await queue(undefined);
    expect([anonymous.status, anonymous.body.code]).to.deep.equal([401, "TOKEN_MISSING"]);
  });
});
