// The public pages and the department console in a real browser (Debian's chromium through
// playwright-core) against two real service nodes on one Hardhat chain: SAMR's node issues, MCA's
// node serves the public. Screenshots go to test-output/web/ (what each shows: docs/web.md).
import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { JsonRpcProvider } from "ethers";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import type { Page } from "playwright-core";
import { findDocumentAnchors } from "../../server/chain/anchor-lookup";
import { attachZeroSign } from "../../server/chain/deploy";
import { callJson, issueOn, listAllDocuments, startServiceNode, stopServiceNode, type DocumentView, type ServiceNode } from "../helpers/service";
import { startHardhatNode, type HardhatNode } from "../helpers/hardhat-node";
import { until } from "../helpers/until";
import { launchBrowser, screenshot, seriousViolations, type Browser } from "./browser";

const run = promisify(execFile);

describe("web pages in a real browser", function () {
  this.timeout(240_000);
  let hardhatNode: HardhatNode | undefined;
  let provider: JsonRpcProvider | undefined;
  let work: string;
  let samr: ServiceNode | undefined;
  let mca: ServiceNode | undefined;
  let browser: Browser | undefined;
  let issued: { doc: DocumentView; pdf: Uint8Array } | undefined;

  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), "zerosign-web-"));
    hardhatNode = await startHardhatNode();
    const { rpcUrl } = hardhatNode;
    provider = hardhatNode.provider;
    samr = await startServiceNode({ dataDir: path.join(work, "a"), rpcUrl, departments: "SAMR" });
    const { registryAddress, ledgerAddress, deployBlock } = samr.deployment;
    mca = await startServiceNode({
      dataDir: path.join(work, "b"),
      rpcUrl,
      departments: "MCA",
      env: { REGISTRY_ADDRESS: registryAddress, LEDGER_ADDRESS: ledgerAddress, LEDGER_DEPLOY_BLOCK: String(deployBlock) },
    });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await stopServiceNode(samr);
    await stopServiceNode(mca);
    hardhatNode?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const nodes = () => {
    if (!samr || !mca || !browser) throw new Error("not started");
    return { a: samr, b: mca, context: browser.context };
  };
  const anchored = async (node: ServiceNode, code: string, id: string) =>
    until(async () => (await listAllDocuments(node, code)).find((d) => d.id === id)?.anchoring.status === "confirmed", `${id} to anchor`);
  const downloadPdf = async (node: ServiceNode, code: string, id: string) => {
    const res = await fetch(`${node.url}/api/documents/${id}/pdf`, { headers: { authorization: `Bearer ${node.tokens[code]}` } });
    expect(res.status).to.equal(200);
    return new Uint8Array(await res.arrayBuffer());
  };
  /** A certificate SAMR issued and anchored, with its file. */
  const certificate = async () => {
    if (issued) return issued;
    const { a } = nodes();
    const doc = await issueOn(a, "SAMR");
    await anchored(a, "SAMR", doc.id);
    issued = { doc, pdf: await downloadPdf(a, "SAMR", doc.id) };
    return issued;
  };
  const upload = async (page: Page, name: string, pdf: Uint8Array) => {
    await page.setInputFiles("#pdf-file", { name, mimeType: "application/pdf", buffer: Buffer.from(pdf) });
    await page.waitForSelector("#result .verdict, #result [role=alert]");
  };
  const newPage = async (url: string) => {
    const page = await nodes().context.newPage();
    await page.goto(url);
    return page;
  };
  const expectAccessible = async (page: Page) => {
    const violations = await seriousViolations(page);
    expect(violations, JSON.stringify(violations, null, 1)).to.deep.equal([]);
  };
  const noHorizontalScroll = async (page: Page) => (await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")) === true;

  it("shows 有效, the issuing department and its role for an issued certificate, on another department's node", async () => {
    const { b } = nodes();
    const { pdf } = await certificate();
    const page = await newPage(`${b.url}/`);
    expect(await page.textContent("main")).to.contain("文件仅用于本次核验，核验完毕即丢弃，不作保存。");
    await upload(page, "certificate.pdf", pdf);
    expect(await page.getAttribute(".verdict", "data-verdict")).to.equal("valid");
    expect((await page.textContent(".verdict .big"))?.trim()).to.equal("有效");
    const text = await page.textContent("#result");
    expect(text).to.contain("市场监督管理局").and.to.contain("电子印章").and.to.contain("区块链存证时间");
    expect(await page.locator('tr[data-check="revocation"]').getAttribute("data-status")).to.equal("valid");
    await screenshot(page, "verify-valid");
    await expectAccessible(page);
    await page.close();
  });

  it("shows 无效 with the reason in words for the certificate with one signed byte changed", async () => {
    const { b } = nodes();
    const { pdf } = await certificate();
    const tampered = Uint8Array.from(pdf);
    // A byte inside the first stream the seal signs: the file still reads, its signed bytes differ.
    const streamAt = Buffer.from(tampered).indexOf("stream\n") + 7 + 16;
    tampered[streamAt] ^= 0x01;
    const page = await newPage(`${b.url}/verify`);
    await upload(page, "tampered.pdf", tampered);
    expect(await page.getAttribute(".verdict", "data-verdict")).to.equal("invalid");
    expect((await page.textContent(".verdict .big"))?.trim()).to.equal("无效");
    const row = page.locator('tr[data-check="signature-integrity"]');
    expect(await row.getAttribute("data-code")).to.equal("DIGEST_MISMATCH");
    expect(await row.textContent()).to.contain("签名后，文件中已签名的内容被修改过。");
    await screenshot(page, "verify-tampered");
    await page.close();
  });

  it("shows the API's refusal of a file that is not a PDF in words", async () => {
    const { b } = nodes();
    const page = await newPage(`${b.url}/verify`);
    await upload(page, "notes.pdf", new TextEncoder().encode("just some text, not a PDF"));
    const api = await callJson<{ code: string; reason: string }>(`${b.url}/api/verify`, { pdf: new TextEncoder().encode("just some text, not a PDF") });
    expect(api.status).to.equal(415);
    const alert = await page.textContent("#result [role=alert]");
    expect(alert).to.contain("该文件不是 PDF 文件。").and.to.contain(api.body.code);
    await page.close();
  });

  it("opens the record page of the QR code read out of the rendered certificate, on the node that never saw it", async () => {
    const { a, b } = nodes();
    const { doc, pdf } = await certificate();
    const pdfPath = path.join(work, "qr.pdf");
    await writeFile(pdfPath, pdf);
    await run("pdftoppm", ["-r", "150", "-png", "-singlefile", pdfPath, path.join(work, "qr")]);
    const png = PNG.sync.read(await readFile(path.join(work, "qr.png")));
    const qr = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    if (!qr) throw new Error("no QR code found in the rendered certificate");
    const url = new URL(qr.data);
    expect(url.origin).to.equal(a.url);
    expect(url.pathname).to.equal(`/v/${doc.id}`);
    expect(url.searchParams.get("k")).to.match(/^[0-9a-f]{32}$/);
    // B's node does not store A's document: only the chain can tell it.
    expect((await callJson(`${b.url}/api/documents/${doc.id}`)).status).to.equal(404);

    const page = await newPage(`${b.url}${url.pathname}${url.search}`);
    await page.waitForSelector("#record-facts");
    const facts = await page.textContent("#record-facts");
    if (!provider) throw new Error("no provider");
    const ledger = attachZeroSign(a.deployment, provider).ledger;
    const [anchor] = await findDocumentAnchors(ledger, doc.docHashHex, { fromBlock: a.deployment.deployBlock });
    expect(facts).to.contain(doc.id).and.to.contain("市场监督管理局").and.to.contain(doc.docHashHex).and.to.contain(anchor.txHash)
      .and.to.contain(anchor.rootHex).and.to.contain(String(anchor.blockNumber)).and.to.contain("电子证照");
    // Nothing of the holder: the demo template's holder values never reach the record page.
    expect(await page.textContent("main")).not.to.contain("有限公司");
    await upload(page, "certificate.pdf", pdf);
    expect(await page.getAttribute("#match", "class")).to.contain("yes");
    await screenshot(page, "record-other-node");
    await expectAccessible(page);
    await page.close();
  });

  it("a revocation in the console shows 吊销 on the public record page and in the verification report", async () => {
    const { a, b } = nodes();
    const doc = await issueOn(a, "SAMR");
    const desk = await newPage(`${a.url}/console`);
    await desk.fill("#token", a.tokens.SAMR);
    await desk.click("#signin-form button[type=submit]");
    await desk.waitForSelector(`tr[data-id="${doc.id}"]`);
    expect(desk.url()).to.equal(`${a.url}/console`);
    expect(await desk.evaluate('sessionStorage.getItem("zerosign.operatorToken")')).to.equal(a.tokens.SAMR);
    expect(await desk.evaluate('localStorage.getItem("zerosign.operatorToken")')).to.equal(null);
    // The list polls: the row turns anchored without a reload.
    await desk.waitForSelector(`tr[data-id="${doc.id}"][data-anchoring="confirmed"]`, { timeout: 60_000 });
    // A node serving SAMR alone: the catalog lists the matters its chain holds (those whose
    // departments are registered), not a refusal for the ones the seed skipped.
    const matters = await callJson<{ matters: Array<{ code: string }> }>(`${a.url}/api/matters`);
    expect(matters.status, JSON.stringify(matters.body)).to.equal(200);
    expect(matters.body.matters.map((m) => m.code)).to.include("FOOD_LICENCE_CANCEL").and.not.to.include("ELDERLY_CARD");
    await desk.waitForSelector('#catalog-table tr[data-matter="FOOD_LICENCE_CANCEL"]');
    await screenshot(desk, "console");
    await expectAccessible(desk);
    await desk.click(`button[data-action="revoke ${doc.id}"]`);
    await desk.selectOption("#revoke-reason", "2");
    await desk.click('#revoke-form button[value="confirm"]');
    await desk.locator("#console-message", { hasText: doc.id }).waitFor();
    expect(await desk.textContent("#console-message")).to.contain("已撤销");

    const pdf = await downloadPdf(a, "SAMR", doc.id);
    const page = await newPage(`${b.url}/verify`);
    await upload(page, "revoked.pdf", pdf);
    expect(await page.getAttribute(".verdict", "data-verdict")).to.equal("invalid");
    expect(await page.locator('tr[data-check="revocation"]').getAttribute("data-code")).to.equal("DOCUMENT_REVOKED");
    expect(await page.textContent("#result")).to.contain("吊销（处罚）");
    await screenshot(page, "verify-revoked");
    const own = await newPage(`${a.url}/v/${doc.id}`);
    await own.waitForSelector("#record-facts");
    expect(await own.textContent(".verdict .big")).to.equal("吊销（处罚）");
    await own.close();
    await page.close();
    await desk.close();
  });

  it("every mistake in the console shows the API's reason and code", async () => {
    const { a } = nodes();
    const page = await newPage(`${a.url}/console`);
    await page.fill("#token", "zs_0000000000000000_not-a-real-token-at-all-000000000000000");
    await page.click("#signin-form button[type=submit]");
    await page.waitForSelector("#signin-error [role=alert]");
    const wrongToken = await callJson<{ code: string; reason: string }>(`${a.url}/api/documents`, { token: "zs_0000000000000000_not-a-real-token-at-all-000000000000000" });
    expect(wrongToken.status).to.equal(401);
    expect(await page.textContent("#signin-error")).to.contain(wrongToken.body.code);

    await page.fill("#token", a.tokens.SAMR);
    await page.click("#signin-form button[type=submit]");
    await page.waitForSelector("#workspace:not([hidden])");
    // An over-long title: the API's template validation refuses it.
    await page.fill("#f-title", "一个远远超过二十个字的证照名称用来测试模板校验的错误信息显示");
    await page.click("#issue-form button[type=submit]");
    await page.waitForSelector("#console-message [role=alert]");
    const shown = await page.textContent("#console-message");
    const refused = await callJson<{ code: string; reason: string }>(`${a.url}/api/certificates`, {
      token: a.tokens.SAMR,
      json: { kind: "certificate", title: "一个远远超过二十个字的证照名称用来测试模板校验的错误信息显示", holder: [{ label: "经营者名称", value: "x" }] },
    });
    expect(refused.status).to.equal(400);
    expect(shown).to.contain(refused.body.reason).and.to.contain(refused.body.code);

    // Sealing a file that is not a PDF.
    await page.setInputFiles("#seal-file", { name: "x.pdf", mimeType: "application/pdf", buffer: Buffer.from("not a pdf") });
    await page.click("#seal-form button[type=submit]");
    await page.locator("#console-message [role=alert]", { hasText: "PDF_NOT_PDF" }).waitFor();
    const notPdf = await callJson<{ code: string; reason: string }>(`${a.url}/api/documents`, { token: a.tokens.SAMR, pdf: new TextEncoder().encode("not a pdf") });
    expect(await page.textContent("#console-message")).to.contain(notPdf.body.reason);
    await screenshot(page, "console-error");
    await page.close();
  });

  it("switches to English and remembers it after a reload", async () => {
    const { b } = nodes();
    const page = await newPage(`${b.url}/verify`);
    expect(await page.textContent("h1")).to.equal("电子证照核验");
    await page.click("#lang-switch");
    expect(await page.textContent("h1")).to.equal("Verify an e-certificate");
    await page.reload();
    await page.locator("html[lang=en]").waitFor({ state: "attached" });
    expect(await page.textContent("h1")).to.equal("Verify an e-certificate");
    const { pdf } = await certificate();
    await upload(page, "certificate.pdf", pdf);
    expect((await page.textContent(".verdict .big"))?.trim()).to.equal("Valid");
    await screenshot(page, "verify-valid-en");
    await page.click("#lang-switch");
    expect((await page.textContent(".verdict .big"))?.trim()).to.equal("有效");
    await page.close();
  });

  it("lists the registry's departments and keys, and says no filing is open", async () => {
    const { b } = nodes();
    const page = await newPage(`${b.url}/registry`);
    await page.waitForSelector("#registry section");
    const text = await page.textContent("#registry");
    expect(text).to.contain("市场监督管理局").and.to.contain("SAMR").and.to.contain("MCA").and.to.contain("电子印章").and.to.contain("派驻工作人员");
    await screenshot(page, "registry");
    await expectAccessible(page);
    await page.goto(`${b.url}/filings`);
    await page.waitForSelector("#filings-none");
    expect(await page.textContent("#filings-none")).to.equal("目前没有处于公示期的自审备案。");
    await expectAccessible(page);
    await page.close();
  });

  it("fits a phone-sized screen without sideways scrolling", async () => {
    const { b } = nodes();
    const { doc, pdf } = await certificate();
    const page = await nodes().context.newPage();
    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto(`${b.url}/verify`);
    await upload(page, "certificate.pdf", pdf);
    expect(await noHorizontalScroll(page)).to.equal(true);
    await screenshot(page, "phone-verify");
    const record = await callJson<{ id: string }>(`${nodes().a.url}/api/records/${doc.id}`);
    expect(record.status).to.equal(200);
    await page.goto(`${nodes().a.url}/v/${doc.id}`);
    await page.waitForSelector("#record-facts");
    expect(await noHorizontalScroll(page)).to.equal(true);
    await screenshot(page, "phone-record");
    for (const route of ["/registry", "/console"]) {
      await page.goto(`${b.url}${route}`);
      expect(await noHorizontalScroll(page), route).to.equal(true);
    }
    await page.close();
  });
});
