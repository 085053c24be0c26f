// The approvals pages in a real browser (Debian's chromium through playwright-core) against one
// service node with the demo departments on a Hardhat chain: objecting to a self-review filing on
// /filings, resolving it and closing the filing after its notice from the console, submitting and
// signing an application from the console's queue, the circuit breaker, and the statistics chart,
// each against what the API itself answers. Screenshots: docs/web.md.
import { expect } from "chai";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { callJson, startServiceNode, stopServiceNode, type ServiceNode } from "../helpers/service";
import { startHardhatNode, type HardhatNode } from "../helpers/hardhat-node";
import { launchBrowser, screenshot, seriousViolations, type Browser } from "./browser";

interface Filing {
  id: string;
  applicationHashHex: string;
  objections: Array<{ id: string; hashHex: string; state: string }>;
}
interface ErrorBody {
  code: string;
  reason: string;
}
interface StatisticsBody {
  rows: Array<{ matter: string; path: string; humanSignatures: number; baselineSignatures: number }>;
  avgSignatures: number;
  baselineSignatures: number;
}

describe("approvals pages in a real browser", function () {
  this.timeout(300_000);
  let hardhatNode: HardhatNode | undefined;
  let work: string;
  let service: ServiceNode | undefined;
  let browser: Browser | undefined;

  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), "zerosign-approvals-web-"));
    hardhatNode = await startHardhatNode();
    const { rpcUrl } = hardhatNode;
    service = await startServiceNode({ dataDir: path.join(work, "node"), rpcUrl, departments: "SAMR,MCA,APPROVAL,PSB" });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await stopServiceNode(service);
    hardhatNode?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const started = () => {
    if (!service || !browser) throw new Error("not started");
    return { node: service, context: browser.context };
  };
  const api = <T>(route: string, department?: string, init: { method?: string; json?: unknown } = {}) =>
    callJson<T>(`${started().node.url}${route}`, { ...init, token: department ? started().node.tokens[department] : undefined });
  const expectAccessible = async (page: Page) => {
    const violations = await seriousViolations(page);
    expect(violations, JSON.stringify(violations, null, 1)).to.deep.equal([]);
  };
  /** The console signed in as `department`, its approvals part loaded. */
  const consoleAs = async (department: string) => {
    const { node, context } = started();
    const page = await context.newPage();
    await page.goto(`${node.url}/console`);
    await page.fill("#token", node.tokens[department]);
    await page.click("#signin-form button[type=submit]");
    await page.waitForSelector("#catalog-table");
    await page.waitForSelector("#queue table, #queue-none");
    return page;
  };

  it("lists a filing in its notice period on /filings, files an objection and shows the API's answer and refusal", async () => {
    const { node, context } = started();
    const filed = await api<{ id: string; status: string }>("/api/applications", "APPROVAL", {
      json: { matter: "DRAWING_REVIEW", applicant: { 建设单位: "海淀城建", 项目名称: "中关村南区3号楼" }, selfReview: true },
    });
    expect(filed.status, JSON.stringify(filed.body)).to.equal(201);
    expect(filed.body.status).to.equal("in-notice");
    const page = await context.newPage();
    await page.goto(`${node.url}/filings`);
    const card = page.locator(`section.filing[data-id="${filed.body.id}"]`);
    await card.waitFor();
    const listed = (await api<{ filings: Filing[] }>("/api/filings")).body.filings.find((f) => f.id === filed.body.id);
    expect(await card.textContent()).to.contain("施工图").and.to.contain("行政审批局 (APPROVAL)").and.to.contain(listed?.applicationHashHex).and.to.contain("尚无异议。");

    // Spaces only: the browser sends it, the API trims and refuses it; its reason is shown.
    await card.locator("textarea").fill("   ");
    await card.locator("button[type=submit]").click();
    await card.locator(".reply [role=alert]").waitFor();
    const refused = await api<ErrorBody>(`/api/filings/${filed.body.id}/objections`, undefined, { json: { text: "   " } });
    expect(refused.status).to.equal(400);
    expect(await card.locator(".reply").textContent()).to.contain(refused.body.code).and.to.contain(refused.body.reason);

    await card.locator("textarea").fill("图纸标注的楼高与现场不符");
    await card.locator("button[type=submit]").click();
    await card.locator("li[data-objection]").first().waitFor();
    const after = (await api<{ filings: Filing[] }>("/api/filings")).body.filings.find((f) => f.id === filed.body.id);
    const [objection] = after?.objections ?? [];
    expect(objection?.state).to.equal("filed");
    const item = card.locator(`li[data-objection="${objection.id}"]`);
    expect(await item.getAttribute("data-state")).to.equal("filed");
    expect(await item.textContent()).to.contain("待处理").and.to.contain(objection.hashHex);
    expect(await card.locator(".reply").textContent()).to.contain(`异议已提交，编号 ${objection.id}。`);
    await screenshot(page, "filings-objection");
    await expectAccessible(page);
    await page.close();
  });

  it("resolves the filing's objection from the console, refuses to close it during the notice with the API's reason, closes it after", async () => {
    const filing = (await api<{ filings: Filing[] }>("/api/filings")).body.filings.find((f) => f.objections.some((o) => o.state === "filed"));
    if (!filing) throw new Error("the first test's filing with its objection is gone");
    const [objection] = filing.objections;
    const page = await consoleAs("APPROVAL");
    const card = page.locator(`#notice [data-filing="${filing.id}"]`);
    await card.waitFor();

    const early = await api<ErrorBody>(`/api/filings/${filing.id}/close`, "APPROVAL", { method: "POST" });
    expect(early.status).to.equal(409);
    await card.locator(`button[data-action="close ${filing.id}"]`).click();
    await page.locator("#notice-message [role=alert]").waitFor();
    expect(await page.textContent("#notice-message")).to.contain(early.body.code).and.to.contain(early.body.reason);

    await card.locator(`button[data-action="reject ${filing.id} ${objection.id}"]`).click();
    await page.locator(`#notice li[data-objection="${objection.id}"][data-state="rejected"]`).waitFor();
    expect(await page.textContent("#notice-message")).to.contain(`异议 ${objection.id} 已处理：异议不成立。`);
    await screenshot(page, "console-notice");

    // The notice period (10 days) passes on the chain's clock.
    await hardhatNode?.provider.send("evm_increaseTime", [11 * 86_400]);
    await hardhatNode?.provider.send("evm_mine", []);
    await page.locator(`#notice [data-filing="${filing.id}"] button[data-action="close ${filing.id}"]`).click();
    await page.locator("#notice-message .ok", { hasText: `${filing.id} 已办结` }).waitFor();
    const closed = await api<{ status: string; outcome: string }>(`/api/applications/${filing.id}`, "APPROVAL");
    expect(closed.body).to.include({ outcome: "approved" });
    expect(await page.textContent("#notice-message")).to.contain(`${filing.id} 已办结：`);
    await page.locator(`#notice [data-filing="${filing.id}"]`).waitFor({ state: "detached" });
    await expectAccessible(page);
    await page.close();
  });

  it("submits an application from the console's form, shows its path and reasons, then signs it from the queue", async () => {
    const page = await consoleAs("APPROVAL");
    await page.selectOption("#a-matter", "SOCIAL_ORG_CHANGE");
    await page.fill("#a-applicant", "社会团体名称：海淀区围棋协会");
    await page.click("#apply-form button[type=submit]");
    const answer = page.locator("#apply-answer");
    await answer.waitFor();
    expect(await answer.getAttribute("data-path")).to.equal("signOnce");
    expect(await answer.getAttribute("data-status")).to.equal("awaiting-signatures");
    const id = /AP-[0-9a-f]{16}/.exec((await answer.textContent()) ?? "")?.[0] ?? "";
    const submitted = await api<{ reasons: Array<{ path: string; chosen: boolean; code: string; reason: string }> }>(`/api/applications/${id}`, "APPROVAL");
    expect(submitted.status).to.equal(200);
    const chosen = answer.locator('li[data-chosen="true"]');
    expect(await chosen.getAttribute("data-code")).to.equal(submitted.body.reasons.find((r) => r.chosen)?.code);
    expect(await answer.textContent()).to.contain("签一次").and.to.contain(submitted.body.reasons[0].reason);

    const row = page.locator(`#queue tr[data-id="${id}"]`);
    await row.waitFor();
    expect(await row.locator(".signed-count").textContent()).to.equal("0 / 1");
    expect(await row.textContent()).to.contain("MCA / APPROVAL");
    await screenshot(page, "console-queue");

    // The chief in the staff's place: the chain refuses, and its code is shown.
    await page.click(`button[data-action="sign chief ${id}"]`);
    await page.locator("#queue-message [role=alert]").waitFor({ timeout: 60_000 });
    expect(await page.textContent("#queue-message")).to.match(/APPROVAL_RULES_[A-Z_]+/);
    await page.click(`button[data-action="sign staff ${id}"]`);
    await page.locator("#queue-message p.ok", { hasText: id }).waitFor({ timeout: 60_000 });
    const decided = await api<{ status: string; certificateId: string }>(`/api/applications/${id}`, "APPROVAL");
    expect(decided.body.status).to.equal("issued");
    expect(await page.textContent("#queue-message")).to.contain(decided.body.certificateId);
    await row.waitFor({ state: "detached" });
    await page.close();
  });

  it("sends the form's self-review checkbox and evidence ids as the API takes them, and shows a refusal's reason", async () => {
    const page = await consoleAs("APPROVAL");
    await page.selectOption("#a-matter", "DRAWING_REVIEW");
    await page.fill("#a-applicant", "建设单位：海淀城建\n项目名称：中关村南区5号楼");
    await page.fill("#a-evidence", "APPROVAL-20260101-0000000000000000");
    await page.click("#apply-form button[type=submit]");
    await page.locator("#apply-result [role=alert]").waitFor();
    const refused = await api<ErrorBody>("/api/applications", "APPROVAL", {
      json: { matter: "DRAWING_REVIEW", applicant: { 建设单位: "海淀城建" }, evidence: [{ documentId: "APPROVAL-20260101-0000000000000000" }] },
    });
    expect(refused.status).to.be.within(400, 499);
    expect(await page.textContent("#apply-result")).to.contain(refused.body.code).and.to.contain(refused.body.reason);

    await page.fill("#a-evidence", "");
    await page.check("#a-self-review");
    await page.click("#apply-form button[type=submit]");
    await page.locator("#apply-answer").waitFor();
    expect(await page.getAttribute("#apply-answer", "data-path")).to.equal("filing");
    expect(await page.getAttribute("#apply-answer", "data-status")).to.equal("in-notice");
    expect(await page.getAttribute('#apply-answer li[data-path="filing"]', "data-code")).to.equal("DECLARED");
    await page.close();
  });

  it("throws and resets a path's circuit breaker from the catalog, and shows a refused reason code", async () => {
    const page = await consoleAs("APPROVAL");
    const item = page.locator('li[data-path="CONSTRUCTION_QUALIFICATION commitment"]');
    expect(await item.getAttribute("data-suspended")).to.equal("0");
    await page.fill("#suspend-reason", "0");
    await page.click('button[data-action="suspend CONSTRUCTION_QUALIFICATION commitment"]');
    await page.locator("#catalog-message [role=alert]", { hasText: "INVALID_REQUEST" }).waitFor();

    await page.fill("#suspend-reason", "7");
    await page.click('button[data-action="suspend CONSTRUCTION_QUALIFICATION commitment"]');
    await page.locator('li[data-path="CONSTRUCTION_QUALIFICATION commitment"][data-suspended="7"]').waitFor({ timeout: 60_000 });
    const matters = await api<{ matters: Array<{ code: string; paths: Array<{ path: string; suspendedReason: number }> }> }>("/api/matters");
    const onChain = matters.body.matters.find((m) => m.code === "CONSTRUCTION_QUALIFICATION")?.paths.find((p) => p.path === "commitment");
    expect(onChain?.suspendedReason).to.equal(7);
    expect(await item.textContent()).to.contain("已熔断（原因 7）");
    expect(await page.textContent("#catalog-message")).to.contain("已熔断");
    await screenshot(page, "console-catalog-suspended");

    await page.click('button[data-action="resume CONSTRUCTION_QUALIFICATION commitment"]');
    await page.locator('li[data-path="CONSTRUCTION_QUALIFICATION commitment"][data-suspended="0"]').waitFor({ timeout: 60_000 });
    const resumed = await api<{ matters: Array<{ code: string; paths: Array<{ path: string; suspendedReason: number }> }> }>("/api/matters");
    expect(resumed.body.matters.find((m) => m.code === "CONSTRUCTION_QUALIFICATION")?.paths.find((p) => p.path === "commitment")?.suspendedReason).to.equal(0);
    await page.close();
  });

  it("draws the statistics chart with the API's numbers per matter and path, accessible, in both languages", async () => {
    const page = await consoleAs("APPROVAL");
    await page.waitForSelector("#signature-chart");
    const stats = await api<StatisticsBody>("/api/statistics");
    expect(stats.status).to.equal(200);
    expect(stats.body.rows.length).to.be.greaterThan(0);
    for (const r of stats.body.rows) {
      const bars = page.locator(`#signature-chart g[data-matter="${r.matter}"][data-path="${r.path}"]`);
      expect(await bars.getAttribute("data-baseline"), `${r.matter} ${r.path}`).to.equal(String(r.baselineSignatures));
      expect(await bars.getAttribute("data-actual")).to.equal(String(r.humanSignatures));
      expect(await bars.locator('text[data-kind="baseline"]').textContent()).to.equal(String(r.baselineSignatures));
      expect(await bars.locator('text[data-kind="actual"]').textContent()).to.equal(String(r.humanSignatures));
    }
    const signOnce = stats.body.rows.find((r) => r.matter === "SOCIAL_ORG_CHANGE" && r.path === "signOnce");
    expect(signOnce).to.include({ humanSignatures: 1, baselineSignatures: 1 });
    expect(await page.textContent("#stats-average")).to.contain(String(stats.body.avgSignatures)).and.to.contain(String(stats.body.baselineSignatures));
    await screenshot(page, "console-statistics");
    await expectAccessible(page);

    await page.click("#lang-switch");
    expect(await page.textContent("#stats-average")).to.contain("human signatures per decided application");
    expect(await page.locator('#signature-chart g[data-matter="SOCIAL_ORG_CHANGE"] text.path').textContent()).to.equal("Sign once");
    await screenshot(page, "console-approvals-en");
    await page.click("#lang-switch");
    await page.close();
  });

  it("fits a phone-sized screen on /filings and the signed-in console", async () => {
    const { node, context } = started();
    const page = await context.newPage();
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto(`${node.url}/filings`);
    await page.waitForSelector("section.filing");
    expect(await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")).to.equal(true);
    await screenshot(page, "phone-filings");
    await page.close();
    const desk = await consoleAs("APPROVAL");
    await desk.setViewportSize({ width: 375, height: 740 });
    expect(await desk.evaluate("document.documentElement.scrollWidth <= window.innerWidth")).to.equal(true);
    await desk.close();
  });
});
