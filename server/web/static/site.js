// Shared by every page: the zh/en text tables and the remembered language switch, JSON calls to
// the API with its {code, reason} errors put in words, and the rendering of a verifier Report.
// The page shows what the API's Report says; it never decides a verdict of its own.
"use strict";
(function () {
  var TEXT = {
    zh: {
      skip: "跳到正文", brand: "电子证照区块链核验服务", "brand.sub": "ZeroSign · 政务服务 · 公开核验",
      "nav.label": "主导航", "nav.verify": "证照核验", "nav.registry": "部门与密钥登记册", "nav.filings": "自审备案公示", "nav.console": "部门工作台",
      footer: "各部门节点从区块链账本与信任登记册独立核验，不依赖签发部门的服务器。",
      loading: "正在查询区块链账本……", working: "正在核验，请稍候……",
      "verify.title": "电子证照核验", "verify.lead": "上传电子证照或盖章文件，系统将逐项核对数字签名、签发部门、区块链存证时间和撤销状态。",
      "verify.drop": "将电子证照 PDF 文件拖到此处，或点击选择文件", "verify.notKept": "文件仅用于本次核验，核验完毕即丢弃，不作保存。",
      "verify.submit": "开始核验", "verify.byId": "或输入证照标识，查看存证记录", "verify.lookup": "查询", "verify.chooseFirst": "请先选择一个 PDF 文件。",
      "verdict.valid": "有效", "verdict.invalid": "无效", "verdict.unknown": "无法确认", "verdict.error": "文件错误",
      "verdict.why.valid": "各项检查均已通过。", "verdict.why.invalid": "有检查项未通过。", "verdict.why.unknown": "部分检查无法完成。", "verdict.why.error": "文件无法读取。",
      "report.signatures": "签章与签名", "report.department": "签发部门", "report.role": "角色", "report.signer": "签名人证书",
      "report.unregistered": "未在登记册中", "report.anchoredAt": "区块链存证时间", "report.notAnchored": "未存证",
      "report.status": "证照状态", "report.checks": "逐项检查结果", "report.check": "检查项", "report.result": "结果", "report.reason": "说明",
      "report.document": "文件指纹（SHA-256）", "report.signingTime": "签名时间（签名人自述）",
      "role.seal": "电子印章", "role.staff": "派驻工作人员", "role.chief": "首席代表",
      "state.valid": "有效", "state.revoked": "已撤销", "revocation.1": "注销（依申请）", "revocation.2": "吊销（处罚）", "revocation.other": "撤销（原因代码 {code}）",
      "revokedAt": "撤销时间",
      "check.structure": "文件结构", "check.byte-range": "签名范围", "check.signature-integrity": "签名完整性", "check.modifications": "签名后修改",
      "check.anchor": "区块链存证", "check.signer-key": "签名密钥与部门", "check.revocation": "撤销状态",
      "status.valid": "通过", "status.invalid": "不通过", "status.unknown": "无法确认", "status.skipped": "未执行", "status.error": "文件错误",
      "status.pending": "排队存证中", "status.submitted": "已提交上链", "status.confirmed": "已存证",
      "kind.certificate": "电子证照", "kind.sealed-document": "盖章文件", "kind.commitment-letter": "告知承诺书", "kind.approval-decision": "审批决定", "kind.filing": "自审备案",
      "record.title": "证照存证记录", "record.checkTitle": "核对您手中的文件", "record.checkLead": "将您持有的 PDF 文件拖到下方，核对它是否正是这份已存证的文件。",
      "record.kind": "类别", "record.department": "签发部门", "record.identifier": "证照标识", "record.anchoredAt": "存证时间",
      "record.block": "区块高度", "record.tx": "交易哈希", "record.batch": "批次 / 位置", "record.root": "默克尔根", "record.proof": "默克尔证明",
      "record.docHash": "文件指纹（SHA-256）", "record.status": "状态", "record.noPersonal": "本页只显示区块链上的公开信息，不显示持证人的任何个人信息。",
      "record.source": "以上信息由本节点直接从区块链账本读取。",
      "record.same": "✓ 您上传的文件正是这份已存证的文件。", "record.different": "✗ 您上传的文件不是这份已存证的文件。",
      "registry.title": "部门与密钥登记册", "registry.lead": "以下为区块链信任登记册中登记的部门及其签章密钥，包括角色与有效期。",
      "registry.code": "部门代码", "registry.active": "启用", "registry.inactive": "已停用", "registry.keys": "签章密钥", "registry.keyId": "密钥标识",
      "registry.validFrom": "生效", "registry.validUntil": "失效", "registry.revokedAt": "撤销于", "registry.none": "无", "registry.empty": "登记册中还没有部门。",
      "filings.title": "自审备案公示", "filings.lead": "申请人自审备案的材料在公示期内向社会公开，任何人均可提出异议。",
      "filings.none": "目前没有处于公示期的自审备案。",
      "console.title": "部门工作台", "console.signin": "部门操作员登录", "console.token": "操作令牌", "console.signinButton": "登录",
      "console.tokenNote": "令牌只保存在本浏览器标签页的会话中，关闭即清除，绝不出现在网址里。", "console.signout": "退出登录",
      "console.signedIn": "已登录：{dept}", "console.issue": "签发电子证照", "console.kind": "类别", "console.ctitle": "证照名称", "console.number": "证照编号",
      "console.validUntil": "有效期至", "console.holder": "持证人信息（每行“项目：内容”）", "console.issueButton": "签发",
      "console.seal": "上传 PDF 加盖电子印章", "console.sealFile": "PDF 文件", "console.sealTitle": "文件名称（仅本部门可见）", "console.sealButton": "盖章",
      "console.documents": "本部门文件", "console.polling": "存证状态每隔几秒自动刷新。",
      "console.notYet": "本节点未运行审批服务。", "console.revokeTitle": "撤销文件", "console.revokeReason": "撤销原因",
      "console.revokeConfirm": "确认撤销", "console.cancel": "取消", "console.download": "下载", "console.revoke": "撤销",
      "console.countersign": "会签", "console.asStaff": "派驻工作人员会签", "console.asChief": "首席代表会签",
      "console.issued": "已签发：{id}", "console.sealed": "已盖章：{id}", "console.revoked": "已撤销：{id}", "console.countersigned": "已会签：{id}",
      "console.noDocs": "还没有文件。", "console.created": "创建时间", "console.anchoring": "存证", "console.actions": "操作", "console.name": "名称",
      "console.holderLine": "持证人信息第 {n} 行应为“项目：内容”。",
      "error.network": "无法连接服务，请检查网络后重试。", "error.code": "错误代码",
    },
    en: {
      skip: "Skip to content", brand: "E-Certificate Verification Service", "brand.sub": "ZeroSign · Government services · Public verification",
      "nav.label": "Main navigation", "nav.verify": "Verify", "nav.registry": "Registry", "nav.filings": "Self-review filings", "nav.console": "Department console",
      footer: "Every department's node verifies from the blockchain ledger and the trust registry alone, without asking the issuer's server.",
      loading: "Reading the ledger…", working: "Verifying, please wait…",
      "verify.title": "Verify an e-certificate", "verify.lead": "Upload an e-certificate or sealed document: its digital signatures, issuing department, anchoring time on the ledger and revocation status are checked one by one.",
      "verify.drop": "Drop the certificate's PDF here, or click to choose a file", "verify.notKept": "The file is used for this check only and is not kept.",
      "verify.submit": "Verify", "verify.byId": "Or enter a certificate identifier to see its record", "verify.lookup": "Look up", "verify.chooseFirst": "Choose a PDF file first.",
      "verdict.valid": "Valid", "verdict.invalid": "Invalid", "verdict.unknown": "Cannot confirm", "verdict.error": "File error",
      "verdict.why.valid": "Every check passed.", "verdict.why.invalid": "A check failed.", "verdict.why.unknown": "Some checks could not be completed.", "verdict.why.error": "The file cannot be read.",
      "report.signatures": "Seals and signatures", "report.department": "Issuing department", "report.role": "Role", "report.signer": "Signer certificate",
      "report.unregistered": "not in the registry", "report.anchoredAt": "Anchored on the ledger", "report.notAnchored": "not anchored",
      "report.status": "Status", "report.checks": "Checks", "report.check": "Check", "report.result": "Result", "report.reason": "Explanation",
      "report.document": "File fingerprint (SHA-256)", "report.signingTime": "Signing time (as the signer states it)",
      "role.seal": "Electronic seal", "role.staff": "Resident staff", "role.chief": "Chief representative",
      "state.valid": "Valid", "state.revoked": "Revoked", "revocation.1": "Cancelled on request (注销)", "revocation.2": "Revoked as a sanction (吊销)", "revocation.other": "Revoked (reason code {code})",
      "revokedAt": "Revoked at",
      "check.structure": "File structure", "check.byte-range": "Signed range", "check.signature-integrity": "Signature integrity", "check.modifications": "Changes after signing",
      "check.anchor": "Ledger anchoring", "check.signer-key": "Signing key and department", "check.revocation": "Revocation",
      "status.valid": "Passed", "status.invalid": "Failed", "status.unknown": "Cannot confirm", "status.skipped": "Not run", "status.error": "File error",
      "status.pending": "Queued", "status.submitted": "Submitted", "status.confirmed": "Anchored",
      "kind.certificate": "E-certificate", "kind.sealed-document": "Sealed document", "kind.commitment-letter": "Commitment letter", "kind.approval-decision": "Approval decision", "kind.filing": "Self-review filing",
      "record.title": "Certificate record", "record.checkTitle": "Check the file in your hand", "record.checkLead": "Drop the PDF you hold below to check that it is exactly this anchored document.",
      "record.kind": "Kind", "record.department": "Issuing department", "record.identifier": "Certificate identifier", "record.anchoredAt": "Anchored at",
      "record.block": "Block", "record.tx": "Transaction", "record.batch": "Batch / position", "record.root": "Merkle root", "record.proof": "Merkle proof",
      "record.docHash": "File fingerprint (SHA-256)", "record.status": "Status", "record.noPersonal": "This page shows only public data from the ledger, nothing about the holder.",
      "record.source": "This node read the above directly from the blockchain ledger.",
      "record.same": "✓ The file you uploaded is exactly this anchored document.", "record.different": "✗ The file you uploaded is not this anchored document.",
      "registry.title": "Departments and keys", "registry.lead": "The departments in the trust registry on chain, with their signing keys, roles and validity.",
      "registry.code": "Code", "registry.active": "active", "registry.inactive": "deactivated", "registry.keys": "Signing keys", "registry.keyId": "Key id",
      "registry.validFrom": "Valid from", "registry.validUntil": "Valid until", "registry.revokedAt": "Revoked at", "registry.none": "none", "registry.empty": "No department is registered yet.",
      "filings.title": "Self-review filings", "filings.lead": "Self-reviewed filings are public during their notice period; anyone may object.",
      "filings.none": "No filing is in its notice period.",
      "console.title": "Department console", "console.signin": "Operator sign-in", "console.token": "Operator token", "console.signinButton": "Sign in",
      "console.tokenNote": "The token stays in this browser tab's session only, is cleared when it closes, and never appears in a URL.", "console.signout": "Sign out",
      "console.signedIn": "Signed in: {dept}", "console.issue": "Issue a certificate", "console.kind": "Kind", "console.ctitle": "Title", "console.number": "Document number",
      "console.validUntil": "Valid until", "console.holder": "Holder details (one \"label：value\" per line)", "console.issueButton": "Issue",
      "console.seal": "Seal an uploaded PDF", "console.sealFile": "PDF file", "console.sealTitle": "Title (seen by this department only)", "console.sealButton": "Seal",
      "console.documents": "This department's documents", "console.polling": "Anchoring status refreshes every few seconds.",
      "console.notYet": "This node runs no approvals service.", "console.revokeTitle": "Revoke a document", "console.revokeReason": "Reason",
      "console.revokeConfirm": "Revoke", "console.cancel": "Cancel", "console.download": "Download", "console.revoke": "Revoke",
      "console.countersign": "Countersign", "console.asStaff": "Countersign as staff", "console.asChief": "Countersign as chief",
      "console.issued": "Issued: {id}", "console.sealed": "Sealed: {id}", "console.revoked": "Revoked: {id}", "console.countersigned": "Countersigned: {id}",
      "console.noDocs": "No documents yet.", "console.created": "Created", "console.anchoring": "Anchoring", "console.actions": "Actions", "console.name": "Title",
      "console.holderLine": "Holder line {n} must read \"label：value\".",
      "error.network": "The service cannot be reached; check the network and try again.", "error.code": "Error code",
    },
  };
  var LANG_KEY = "zerosign.lang";

  function lang() {
    try { return localStorage.getItem(LANG_KEY) === "en" ? "en" : "zh"; } catch (e) { return "zh"; }
  }
  function t(key, vars) {
    var s = TEXT[lang()][key];
    if (s === undefined) s = TEXT.zh[key] !== undefined ? TEXT.zh[key] : key;
    if (vars) Object.keys(vars).forEach(function (k) { s = s.split("{" + k + "}").join(String(vars[k])); });
    return s;
  }
  /** Words for a reason code in the chosen language; the API's own sentence when the code is not in the tables. */
  function reasonWords(code, fallback) {
    var tables = window.ZS_REASONS || { zh: {}, en: {} };
    return (code && tables[lang()][code]) || fallback || code || "";
  }
  var listeners = [];
  function applyLanguage() {
    var l = lang();
    document.documentElement.lang = l === "en" ? "en" : "zh-CN";
    document.querySelectorAll("[data-i18n]").forEach(function (el) { el.textContent = t(el.getAttribute("data-i18n")); });
    document.querySelectorAll("[data-i18n-aria]").forEach(function (el) { el.setAttribute("aria-label", t(el.getAttribute("data-i18n-aria"))); });
    var sw = document.getElementById("lang-switch");
    if (sw) {
      sw.textContent = l === "en" ? "中文" : "English";
      sw.setAttribute("lang", l === "en" ? "zh-CN" : "en");
      sw.setAttribute("aria-label", l === "en" ? "切换到中文" : "Switch to English");
    }
    listeners.forEach(function (fn) { fn(); });
  }
  function onLanguage(fn) { listeners.push(fn); }

  /** Calls the API; resolves {status, body}; a network failure resolves status 0. */
  function api(path, opts) {
    opts = opts || {};
    var headers = {};
    if (opts.token) headers.authorization = "Bearer " + opts.token;
    var body;
    if (opts.json !== undefined) { headers["content-type"] = "application/json"; body = JSON.stringify(opts.json); }
    else if (opts.pdf) { headers["content-type"] = "application/pdf"; body = opts.pdf; }
    return fetch(path, { method: opts.method || (body ? "POST" : "GET"), headers: headers, body: body, credentials: "omit" })
      .then(function (res) {
        var type = res.headers.get("content-type") || "";
        if (type.indexOf("json") >= 0) return res.json().then(function (b) { return { status: res.status, body: b }; });
        return res.arrayBuffer().then(function (b) { return { status: res.status, body: b, type: type }; });
      })
      .catch(function () { return { status: 0, body: { code: "NETWORK", reason: t("error.network") } }; });
  }

  /** An API error {code, reason} as an element: the words for its code, the API's reason, the code. */
  function errorBox(answer) {
    var b = answer.body || {};
    var box = el("div", { className: "card error", role: "alert" });
    var words = answer.status === 0 ? t("error.network") : reasonWords(b.code, b.reason);
    box.appendChild(el("p", { text: words }));
    if (b.reason && b.reason !== words) box.appendChild(el("p", { className: "note", text: b.reason }));
    if (b.code && answer.status !== 0) box.appendChild(el("p", { className: "note", text: t("error.code") + ": " + b.code + " (HTTP " + answer.status + ")" }));
    return box;
  }

  function el(tag, props, children) {
    var node = document.createElement(tag);
    props = props || {};
    Object.keys(props).forEach(function (k) {
      if (k === "text") node.textContent = props[k];
      else if (k === "className") node.className = props[k];
      else node.setAttribute(k, props[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }
  function facts(rows) {
    var dl = el("dl", { className: "facts" });
    rows.forEach(function (r) {
      if (!r) return;
      dl.appendChild(el("dt", { text: r[0] }));
      var dd = el("dd", { className: r[2] || "" });
      if (typeof r[1] === "string") dd.textContent = r[1]; else dd.appendChild(r[1]);
      dl.appendChild(dd);
    });
    return dl;
  }
  function time(iso) {
    if (!iso) return "";
    var d = new Date(iso);
    return d.toLocaleString(lang() === "en" ? "en-GB" : "zh-CN", { timeZone: "Asia/Shanghai", hour12: false }) + (lang() === "en" ? " (Beijing)" : "（北京时间）");
  }
  function secTime(sec) { return time(new Date(sec * 1000).toISOString()); }
  function revocationWords(reasonCode) {
    return reasonCode === 1 || reasonCode === 2 ? t("revocation." + reasonCode) : t("revocation.other", { code: reasonCode });
  }
  function statusBadge(status, words) { return el("span", { className: "status " + status, text: words || t("status." + status) }); }
  function checkOf(report, id) { return (report.checks || []).filter(function (c) { return c.id === id; }); }

  /** Renders a Report as the API returned it. */
  function renderReport(report, into) {
    into.textContent = "";
    var verdict = el("div", { className: "verdict " + report.verdict, role: "status" }, [
      el("div", { className: "big", text: t("verdict." + report.verdict) }),
      // A valid report carries no code: its sentence comes from the verdict itself.
      el("div", { className: "why", text: report.code ? reasonWords(report.code, report.reason) : t("verdict.why." + report.verdict) }),
    ]);
    verdict.setAttribute("data-verdict", report.verdict);
    into.appendChild(verdict);

    var anchor = checkOf(report, "anchor").filter(function (c) { return c.status === "valid" && c.data; })[0];
    var revoked = checkOf(report, "revocation").filter(function (c) { return c.status === "invalid" && c.data; })[0];
    var revocationValid = checkOf(report, "revocation").some(function (c) { return c.status === "valid"; });
    var summary = el("section", { className: "card" });
    var statusNode;
    if (revoked) {
      statusNode = el("span", {}, [statusBadge("invalid", revocationWords(revoked.data.reasonCode)), " " + t("revokedAt") + " " + secTime(revoked.data.revokedAtSec)]);
    } else if (revocationValid && report.verdict === "valid") {
      statusNode = statusBadge("valid", t("state.valid"));
    }
    summary.appendChild(facts([
      anchor ? [t("report.department"), anchor.data.departmentName || anchor.data.departmentId] : null,
      [t("report.anchoredAt"), anchor ? secTime(anchor.data.anchoredAtSec) : t("report.notAnchored")],
      statusNode ? [t("report.status"), statusNode] : null,
      report.document ? [t("report.document"), report.document.sha256Hex, "hex"] : null,
    ]));
    into.appendChild(summary);

    if ((report.signatures || []).length) {
      var sigs = el("section", { className: "card" }, [el("h2", { text: t("report.signatures") })]);
      report.signatures.forEach(function (s) {
        sigs.appendChild(el("h3", { text: "#" + (s.index + 1) + (s.fieldName ? " · " + s.fieldName : "") }));
        sigs.appendChild(facts([
          [t("report.department"), s.departmentName || s.departmentId || t("report.unregistered")],
          [t("report.role"), s.role ? t("role." + s.role) : t("report.unregistered")],
          s.signingTime ? [t("report.signingTime"), time(s.signingTime)] : null,
          s.signerSubject ? [t("report.signer"), s.signerSubject] : null,
        ]));
      });
      into.appendChild(sigs);
    }

    var table = el("table", {}, [el("thead", {}, [el("tr", {}, [el("th", { scope: "col", text: t("report.check") }), el("th", { scope: "col", text: t("report.result") }), el("th", { scope: "col", text: t("report.reason") })])])]);
    var tbody = el("tbody");
    (report.checks || []).forEach(function (c) {
      var name = t("check." + c.id) + (c.signature !== undefined ? " #" + (c.signature + 1) : "");
      var reason = c.code ? reasonWords(c.code, c.reason) : "";
      var row = el("tr", { "data-check": c.id, "data-status": c.status }, [el("td", { text: name }), el("td", {}, [statusBadge(c.status)]), el("td", { text: reason })]);
      if (c.code) row.setAttribute("data-code", c.code);
      tbody.appendChild(row);
    });
    table.appendChild(tbody);
    into.appendChild(el("section", { className: "card" }, [el("h2", { text: t("report.checks") }), el("div", { className: "table-scroll" }, [table])]));
  }

  /** Binds the shared upload form; onAnswer receives the API's answer (Report or error). */
  function bindVerifyForm(onAnswer) {
    var form = document.getElementById("verify-form");
    var input = document.getElementById("pdf-file");
    var drop = document.getElementById("drop");
    var result = document.getElementById("result");
    if (!form || !input || !drop || !result) return;
    function send(file) {
      if (!file) { result.textContent = ""; result.appendChild(errorBox({ status: 400, body: { code: "PDF_MISSING", reason: t("verify.chooseFirst") } })); return; }
      result.textContent = "";
      result.appendChild(el("p", { text: t("working") }));
      file.arrayBuffer().then(function (bytes) { return api("/api/verify", { pdf: bytes }); }).then(function (answer) {
        last = answer;
        draw();
      });
    }
    var last;
    function draw() {
      if (!last) return;
      if (last.status === 200) renderReport(last.body, result);
      else { result.textContent = ""; result.appendChild(errorBox(last)); }
      if (onAnswer) onAnswer(last, result);
    }
    onLanguage(draw);
    form.addEventListener("submit", function (e) { e.preventDefault(); send(input.files && input.files[0]); });
    input.addEventListener("change", function () { if (input.files && input.files[0]) send(input.files[0]); });
    ["dragenter", "dragover"].forEach(function (ev) { drop.addEventListener(ev, function (e) { e.preventDefault(); drop.classList.add("over"); }); });
    ["dragleave", "drop"].forEach(function (ev) { drop.addEventListener(ev, function (e) { e.preventDefault(); drop.classList.remove("over"); }); });
    drop.addEventListener("drop", function (e) { var f = e.dataTransfer && e.dataTransfer.files[0]; if (f) send(f); });
  }

  /** Adds a page's own text tables ({zh: {...}, en: {...}}) before the language is applied. */
  function addText(tables) {
    Object.keys(tables).forEach(function (l) { Object.keys(tables[l]).forEach(function (k) { TEXT[l][k] = tables[l][k]; }); });
  }

  window.ZS = { addText: addText, t: t, lang: lang, reasonWords: reasonWords, api: api, errorBox: errorBox, el: el, facts: facts, time: time, secTime: secTime,
    revocationWords: revocationWords, statusBadge: statusBadge, renderReport: renderReport, bindVerifyForm: bindVerifyForm, onLanguage: onLanguage };

  document.addEventListener("DOMContentLoaded", function () {
    var sw = document.getElementById("lang-switch");
    if (sw) sw.addEventListener("click", function () {
      try { localStorage.setItem(LANG_KEY, lang() === "en" ? "zh" : "en"); } catch (e) { /* storage refused: the switch lasts for this page only */ }
      applyLanguage();
    });
    applyLanguage();
  });
})();
