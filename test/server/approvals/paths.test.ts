// Every approval path end to end through HTTP, on one service node (the demo's departments, its
// catalog seeded on chain by the start itself) against a `hardhat node` whose clock the test moves:
// 秒批 approved and refused from verified evidence data, evidence revoked just before the decision,
// 告知承诺 with a failed post-check revoking the certificate, 自审备案 through objections and the
// notice period, 签一次 and 签两次 with the chain refusing a wrong-role signature, and the statistics.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { JsonRpcProvider } from "ethers";
import { attachZeroSign } from "../../../server/chain/deploy";
import type { Report } from "../../../server/verify";
import { callJson, startServiceNode, stopServiceNode, type DocumentView, type ServiceNode } from "../../helpers/service";
import { startHardhatNode, type HardhatNode } from "../../helpers/hardhat-node";
import { until } from "../../helpers/until";

const ROOT = path.resolve(__dirname, "../../..");
const DAY_SEC = 86_400;
const BIN = path.join(ROOT, "bin", "zerosign.js");

interface ApplicationView {
  id: string;
  applicationHashHex: string;
  matter: { code: string };
  path: string;
  status: string;
  outcome?: string;
  certificateId?: string;
  reasons: Array<{ path: string; chosen: boolean; code: string; reason: string }>;
  signatures: Array<{ role: string }>;
  noticeEnds?: string;
  postCheckDue?: string;
  digest?: string;
}

interface ErrorBody {
  code: string;
  reason: string;
}

describe("approvals: every path through HTTP on one node", function () {
  this.timeout(300_000);
  let hardhatNode: HardhatNode | undefined;
  let provider: JsonRpcProvider;
  let dataDir: string;
  let node: ServiceNode;

  const post = <T>(route: string, department: string | undefined, json: unknown) =>
    callJson<T>(`${node.url}${route}`, { method: "POST", token: department ? node.tokens[department] : undefined, json });
  const get = <T>(route: string, department?: string) => callJson<T>(`${node.url}${route}`, { token: department ? node.tokens[department] : undefined });

  /** Issues a certificate of `department` and waits until it is anchored. */
  async function anchoredCertificate(department: string, body: Record<string, unknown>): Promise<DocumentView> {
    const res = await post<DocumentView>("/api/certificates", department, body);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    await until(async () => (await anchoringOf(department, res.body.id)) === "confirmed", `${res.body.id} to be anchored`, 60_000);
    return res.body;
  }

  async function anchoringOf(department: string, id: string): Promise<string | undefined> {
    const list = await get<{ documents: DocumentView[] }>("/api/documents?limit=100", department);
    return list.body.documents.find((d) => d.id === id)?.anchoring.status;
  }

  const hukou = (birthDate: string) => ({
    kind: "certificate",
    templateId: "hukou-record",
    title: "户籍证明",
    holder: [
      { label: "姓名", value: "王秀兰" },
      { label: "公民身份号码", value: "110108195003011234" },
      { label: "出生日期", value: birthDate },
    ],
    issueDate: "2026-11-02",
    documentNumber: "HJ2026110200017",
  });

  async function verify(id: string, department: string): Promise<Report> {
    const pdf = await fetch(`${node.url}/api/documents/${id}/pdf`, { headers: { authorization: `Bearer ${node.tokens[department]}` } });
    expect(pdf.status).to.equal(200);
    const res = await callJson<Report>(`${node.url}/api/verify`, { method: "POST", pdf: new Uint8Array(await pdf.arrayBuffer()) });
    expect(res.status).to.equal(200);
    return res.body;
  }

  /** The certificate an application issued, once anchored: its verdict. */
  async function verdictOfIssued(app: ApplicationView, department: string): Promise<Report> {
    expect(app.certificateId, "certificate issued").to.be.a("string");
    await until(async () => (await anchoringOf(department, app.certificateId as string)) === "confirmed", "the certificate to be anchored", 60_000);
    return verify(app.certificateId as string, department);
  }

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "zerosign-approvals-"));
    hardhatNode = await startHardhatNode();
    const { rpcUrl } = hardhatNode;
    provider = hardhatNode.provider;
    node = await startServiceNode({ dataDir, rpcUrl, departments: "SAMR,MCA,APPROVAL,PSB" });
  });

  after(async () => {
    await stopServiceNode(node);
    hardhatNode?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("lists the demo catalog with each path's rules as the chain holds them", async () => {
    const res = await get<{ matters: Array<{ code: string; paths: Array<{ path: string; allowed: boolean }> }> }>("/api/matters");
    expect(res.status).to.equal(200);
    const codes = res.body.matters.map((m) => m.code);
    expect(codes).to.include.members(["ELDERLY_CARD", "FOOD_LICENCE_CANCEL", "SMALL_RESTAURANT_LICENCE", "CONSTRUCTION_QUALIFICATION", "DRAWING_REVIEW", "SOLE_TRADER_REGISTRATION"]);
  });

  it("秒批: approves an elderly card from an anchored PSB 户籍证明 showing age ≥ 60, with no person, and issues a valid certificate", async () => {
    const evidence = await anchoredCertificate("PSB", hukou("1950-03-01"));
    const res = await post<ApplicationView>("/api/applications", "MCA", {
      matter: "ELDERLY_CARD",
      applicant: { 姓名: "王秀兰" },
      evidence: [{ documentId: evidence.id }],
    });
    // The answer is the decision, recorded on chain; the certificate follows it.
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body).to.include({ path: "instant", outcome: "approved" });
    expect(res.body.status).to.be.oneOf(["decided", "issued"]);
    expect(res.body.signatures).to.have.length(0);
    expect(res.body.reasons.find((r) => r.chosen)?.code).to.equal("INSTANT_RULES_PASSED");
    const { approvals } = attachZeroSign(node.deployment, provider);
    expect((await approvals?.approvalRules.decision(res.body.applicationHashHex))?.decidedAt).to.be.greaterThan(0n);
    let issued = res.body;
    await until(async () => (issued = (await get<ApplicationView>(`/api/applications/${res.body.id}`, "MCA")).body).status === "issued", "the certificate after the decision", 30_000);
    const report = await verdictOfIssued(issued, "MCA");
    expect(report.verdict, report.reason).to.equal("valid");
  });

  it("秒批: refuses from the same kind of evidence when the data fails the rule (age 26), and says which rule", async () => {
    const evidence = await anchoredCertificate("PSB", hukou("2000-06-15"));
    const res = await post<ApplicationView>("/api/applications", "MCA", { matter: "ELDERLY_CARD", applicant: { 姓名: "张伟" }, evidence: [{ documentId: evidence.id }] });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body).to.include({ path: "instant", status: "refused", outcome: "refused" });
    expect(res.body.reasons[0]).to.include({ code: "INSTANT_RULE_FAILED" });
    expect(res.body.certificateId).to.equal(undefined);
  });

  it("秒批: refuses evidence revoked just before the decision, and evidence of the wrong department", async () => {
    const evidence = await anchoredCertificate("PSB", hukou("1948-01-20"));
    const revoked = await post<DocumentView>(`/api/documents/${evidence.id}/revocation`, "PSB", { reasonCode: 1 });
    expect(revoked.status, JSON.stringify(revoked.body)).to.equal(200);
    const res = await post<ErrorBody>("/api/applications", "MCA", { matter: "ELDERLY_CARD", applicant: { 姓名: "李娟" }, evidence: [{ documentId: evidence.id }] });
    expect(res.status).to.equal(409);
    expect(res.body.code).to.equal("EVIDENCE_REVOKED");

    // An SAMR certificate is no 户籍证明: 秒批 finds its evidence missing, and no other path fits.
    const samrCert = await anchoredCertificate("SAMR", { ...hukou("1950-01-01"), templateId: undefined, title: "营业执照" });
    const wrong = await post<ErrorBody>("/api/applications", "MCA", { matter: "ELDERLY_CARD", applicant: { 姓名: "李娟" }, evidence: [{ documentId: samrCert.id }] });
    expect(wrong.status).to.equal(409);
    expect(wrong.body.code).to.equal("APPLICATION_NO_PATH");
  });

  it("熔断: the owning department suspends 秒批 of a matter (refused meanwhile, another department may not), then resumes it", async () => {
    const licence = await anchoredCertificate("SAMR", {
      kind: "certificate",
      title: "食品经营许可证",
      holder: [{ label: "经营者名称", value: "青禾餐饮" }, { label: "许可证编号", value: "JY11010800001" }],
      issueDate: "2026-10-01",
      documentNumber: "JY11010800001",
    });
    const apply = () => post<ApplicationView & ErrorBody>("/api/applications?wait=issued", "SAMR", { matter: "FOOD_LICENCE_CANCEL", applicant: { 经营者名称: "青禾餐饮" }, evidence: [{ documentId: licence.id }] });
    const route = "/api/matters/FOOD_LICENCE_CANCEL/paths/instant/suspension";

    const foreign = await post<ErrorBody>(route, "MCA", { reasonCode: 3 });
    expect(foreign.status, JSON.stringify(foreign.body)).to.equal(403);
    const suspended = await post<{ suspendedReason: number }>(route, "SAMR", { reasonCode: 3 });
    expect(suspended.status, JSON.stringify(suspended.body)).to.equal(200);
    expect(suspended.body.suspendedReason).to.equal(3);
    const refused = await apply();
    expect(refused.status).to.equal(409);
    expect(refused.body.code).to.equal("APPLICATION_NO_PATH");
    expect(refused.body.reason).to.contain("suspended");

    const resumed = await callJson<{ suspendedReason: number }>(`${node.url}${route}`, { method: "DELETE", token: node.tokens.SAMR });
    expect(resumed.status, JSON.stringify(resumed.body)).to.equal(200);
    expect(resumed.body.suspendedReason).to.equal(0);
    const approved = await apply();
    expect(approved.status, JSON.stringify(approved.body)).to.equal(201);
    expect(approved.body).to.include({ path: "instant", status: "issued" });
  });

  it("告知承诺: approves at once on the commitment letter, sets the post-check deadline; a failed post-check revokes the certificate", async () => {
    const res = await post<ApplicationView>("/api/applications?wait=issued", "SAMR", {
      matter: "SMALL_RESTAURANT_LICENCE",
      applicant: { 经营者名称: "青禾小馆", 经营场所: "海淀区中关村南大街12号" },
      commitment: true,
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body).to.include({ path: "commitment", status: "issued", outcome: "approved" });
    expect(res.body.postCheckDue).to.be.a("string");
    expect((await verdictOfIssued(res.body, "SAMR")).verdict).to.equal("valid");

    const check = await post<ApplicationView>(`/api/applications/${res.body.id}/post-check`, "SAMR", { passed: false });
    expect(check.status, JSON.stringify(check.body)).to.equal(200);
    expect(check.body.status).to.equal("revoked");
    const after = await verify(res.body.certificateId as string, "SAMR");
    expect(after.verdict).to.equal("invalid");
    expect(after.code).to.equal("DOCUMENT_REVOKED");
  });

  it("自审备案: published with its notice period, objections recorded and resolved, issued when the window closes clean", async () => {
    const res = await post<ApplicationView>("/api/applications", "APPROVAL", {
      matter: "DRAWING_REVIEW",
      applicant: { 建设单位: "海淀城建", 项目名称: "中关村南区3号楼" },
      selfReview: true,
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body).to.include({ path: "filing", status: "in-notice" });

    const listed = await get<{ filings: Array<{ id: string }> }>("/api/filings");
    expect(listed.body.filings.map((f) => f.id)).to.include(res.body.id);
    const objection = await post<{ objections: Array<{ id: string; status: string }> }>(`/api/filings/${res.body.id}/objections`, undefined, { text: "图纸与现场不符" });
    expect(objection.status, JSON.stringify(objection.body)).to.equal(201);
    const objectionId = objection.body.objections[0].id;

    const early = await post<ErrorBody>(`/api/filings/${res.body.id}/close`, "APPROVAL", {});
    expect(early.status).to.equal(409);

    const resolved = await post(`/api/filings/${res.body.id}/objections/${objectionId}/resolution`, "APPROVAL", { upheld: false });
    expect(resolved.status, JSON.stringify(resolved.body)).to.equal(200);
    await provider.send("evm_increaseTime", [10 * DAY_SEC + 60]);
    await provider.send("evm_mine", []);
    const closed = await post<ApplicationView>(`/api/filings/${res.body.id}/close`, "APPROVAL", {});
    expect(closed.status, JSON.stringify(closed.body)).to.equal(200);
    expect(closed.body).to.include({ status: "issued", outcome: "approved" });
    expect(closed.body.signatures).to.have.length(0);
  });

  it("签一次: waits for the hall's authorised staff; the chain refuses the chief in the staff's place; staff's signature decides and issues", async () => {
    const res = await post<ApplicationView>("/api/applications", "APPROVAL", { matter: "SOCIAL_ORG_CHANGE", applicant: { 社会团体名称: "海淀区书法协会" } });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body).to.include({ path: "signOnce", status: "awaiting-signatures" });

    const wrongRole = await post<ErrorBody>(`/api/applications/${res.body.id}/signatures`, "APPROVAL", { role: "chief" });
    expect(wrongRole.status).to.equal(403);
    expect(wrongRole.body.code).to.match(/^APPROVAL_RULES_/);

    const signed = await post<ApplicationView>(`/api/applications/${res.body.id}/signatures?wait=issued`, "APPROVAL", { role: "staff" });
    expect(signed.status, JSON.stringify(signed.body)).to.equal(201);
    expect(signed.body).to.include({ status: "issued", outcome: "approved" });
    expect(signed.body.signatures.map((s) => s.role)).to.deep.equal(["staff"]);
    expect((await verdictOfIssued(signed.body, "APPROVAL")).verdict).to.equal("valid");
  });

  it("签两次: staff then chief; a second staff signature is refused; the issued certificate carries both signatures", async () => {
    const res = await post<ApplicationView>("/api/applications", "APPROVAL", { matter: "FOOD_PRODUCTION_LICENCE", applicant: { 企业名称: "京味食品有限公司" } });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body).to.include({ path: "signTwice", status: "awaiting-signatures" });
    const first = await post<ApplicationView>(`/api/applications/${res.body.id}/signatures`, "APPROVAL", { role: "staff" });
    expect(first.status, JSON.stringify(first.body)).to.equal(202);
    const again = await post<ErrorBody>(`/api/applications/${res.body.id}/signatures`, "APPROVAL", { role: "staff" });
    expect(again.status).to.be.oneOf([403, 409]);
    const second = await post<ApplicationView>(`/api/applications/${res.body.id}/signatures?wait=issued`, "APPROVAL", { role: "chief" });
    expect(second.status, JSON.stringify(second.body)).to.equal(201);
    expect(second.body.status).to.equal("issued");
    const report = await verdictOfIssued(second.body, "APPROVAL");
    expect(report.verdict, report.reason).to.equal("valid");
    expect(report.signatures.length).to.be.greaterThanOrEqual(3);
  });

  it("through the CLI: submits a 秒批 application, signs a 签一次 one, prints the statistics; a mistake gets exit 64", async () => {
    const evidence = await anchoredCertificate("PSB", hukou("1952-08-08"));
    const cli = (department: string | undefined, ...args: string[]) => {
      const res = spawnSync(process.execPath, [BIN, ...args, "--service", node.url], {
        encoding: "utf8",
        env: { PATH: process.env.PATH ?? "", ...(department ? { ZEROSIGN_TOKEN: node.tokens[department] } : {}) },
      });
      return { status: res.status, stdout: res.stdout, stderr: res.stderr };
    };
    const instant = cli("MCA", "application", "submit", "--matter", "ELDERLY_CARD", "--applicant", "姓名=赵敏", "--evidence", evidence.id);
    expect(instant.status, instant.stderr).to.equal(0);
    expect(instant.stdout).to.match(/Path: instant\s+status: issued/);
    expect(instant.stdout).to.contain("Signatures: 0 of 0");

    const waiting = cli("APPROVAL", "application", "submit", "--matter", "SOCIAL_ORG_CHANGE", "--applicant", "社会团体名称=棋艺协会");
    expect(waiting.status, waiting.stderr).to.equal(0);
    const id = /Application (AP-[0-9a-f]{16})/.exec(waiting.stdout)?.[1] ?? "";
    expect(waiting.stdout).to.contain("awaiting-signatures");
    const signed = cli("APPROVAL", "application", "sign", id, "--role", "staff");
    expect(signed.status, signed.stderr).to.equal(0);
    expect(signed.stdout).to.contain("status: issued");

    const usage = cli("APPROVAL", "application", "sign", id, "--role", "clerk");
    expect(usage.status).to.equal(64);
    expect(usage.stderr).to.contain("staff or chief");
    const refused = cli("APPROVAL", "application", "sign", id, "--role", "staff");
    expect(refused.status).to.equal(1);
    expect(refused.stderr).to.contain("APPLICATION_NOT_AWAITING_SIGNATURES");

    const stats = cli(undefined, "stats");
    expect(stats.status, stats.stderr).to.equal(0);
    expect(stats.stdout).to.match(/ELDERLY_CARD 老年人优待证申领\s+instant/);
    expect(stats.stdout).to.match(/Human signatures per decided application: [0-9.]+ \(today's rule: [0-9.]+\)/);
  });

  it("counts applications, human signatures and the baseline per matter and path", async () => {
    const res = await get<{ rows: Array<{ matter: string; path: string; humanSignatures: number; baselineSignatures: number }>; avgSignatures: number; baselineSignatures: number }>("/api/statistics");
    expect(res.status).to.equal(200);
    const row = (matter: string, p: string) => res.body.rows.find((r) => r.matter === matter && r.path === p);
    expect(row("ELDERLY_CARD", "instant")?.humanSignatures).to.equal(0);
    expect(row("FOOD_PRODUCTION_LICENCE", "signTwice")?.humanSignatures).to.equal(2);
    expect(res.body.avgSignatures).to.be.lessThan(res.body.baselineSignatures);
  });

  it("answers bad requests with a code: unknown matter, malformed body, unknown application", async () => {
    const unknown = await post<ErrorBody>("/api/applications", "SAMR", { matter: "NO_SUCH_MATTER", applicant: { 名称: "x" } });
    expect([unknown.status, unknown.body.code]).to.deep.equal([404, "MATTER_NOT_FOUND"]);
    const malformed = await post<ErrorBody>("/api/applications", "SAMR", { matter: "ELDERLY_CARD" });
    expect(malformed.status).to.equal(400);
    const missing = await get<ErrorBody>("/api/applications/AP-0000000000000000", "SAMR");
    expect([missing.status, missing.body.code]).to.deep.equal([404, "APPLICATION_NOT_FOUND"]);
    const noToken = await post<ErrorBody>("/api/applications", undefined, { matter: "ELDERLY_CARD", applicant: { 姓名: "x" } });
    expect(noToken.status).to.equal(401);
  });
});
