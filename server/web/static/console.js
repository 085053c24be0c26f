// The department console: the operator token lives in sessionStorage only (never in a URL or a
// cookie) and goes out as a Bearer header. Issue, seal, countersign, download, revoke; the list
// polls the anchoring status (the approvals part is approvals-console.js). Every refusal shows the API's own reason and code.
"use strict";
(function () {
  var TOKEN_KEY = "zerosign.operatorToken";
  var el = ZS.el, t = ZS.t;
  var signin = document.getElementById("signin");
  var workspace = document.getElementById("workspace");
  var message = document.getElementById("console-message");
  var docsBox = document.getElementById("documents");
  var dialog = document.getElementById("revoke-dialog");
  var docs, pollTimer, revokeTarget, lastMessage;

  function token() { return sessionStorage.getItem(TOKEN_KEY); }
  function say(answer, okKey, vars) {
    lastMessage = { answer: answer, okKey: okKey, vars: vars };
    message.textContent = "";
    if (answer && answer.status >= 200 && answer.status < 300) message.appendChild(el("p", { className: "card", text: t(okKey, vars) }));
    else if (answer) message.appendChild(ZS.errorBox(answer));
  }
  function call(path, opts) { opts = opts || {}; opts.token = token(); return ZS.api(path, opts); }

  function showSignedIn(on) {
    signin.hidden = on;
    workspace.hidden = !on;
    if (pollTimer) clearInterval(pollTimer);
    pollTimer = on ? setInterval(refresh, 3000) : undefined;
    // approvals-console.js draws the queue, catalog and statistics for a signed-in operator.
    document.dispatchEvent(new Event(on ? "zerosign:signed-in" : "zerosign:signed-out"));
  }
  function refresh() {
    return call("/api/documents?limit=50").then(function (answer) {
      if (answer.status === 401) { sessionStorage.removeItem(TOKEN_KEY); showSignedIn(false); return answer; }
      if (answer.status === 200) { docs = answer.body.documents; drawDocs(); }
      return answer;
    });
  }
  function drawDocs() {
    if (!docs) return;
    docsBox.textContent = "";
    var who = document.getElementById("whoami");
    who.textContent = docs.length ? t("console.signedIn", { dept: docs[0].departmentCode }) : "";
    if (!docs.length) { docsBox.appendChild(el("p", { text: t("console.noDocs") })); return; }
    var table = el("table", { id: "documents-table" }, [el("thead", {}, [el("tr", {}, [
      el("th", { scope: "col", text: t("record.identifier") }), el("th", { scope: "col", text: t("console.name") }),
      el("th", { scope: "col", text: t("console.anchoring") }), el("th", { scope: "col", text: t("record.status") }),
      el("th", { scope: "col", text: t("console.actions") })])])]);
    var body = el("tbody");
    docs.forEach(function (d) {
      var a = d.anchoring.status;
      var actions = el("div", { className: "row" }, [
        button(t("console.download"), function () { download(d); }, "download " + d.id),
        button(t("console.asStaff"), function () { countersign(d, "staff"); }),
        button(t("console.asChief"), function () { countersign(d, "chief"); }),
        d.revocation ? null : button(t("console.revoke"), function () { openRevoke(d); }, "revoke " + d.id, "danger"),
      ]);
      body.appendChild(el("tr", { "data-id": d.id, "data-anchoring": a }, [
        el("td", { className: "hex" }, [el("a", { href: "/v/" + encodeURIComponent(d.id), text: d.id })]),
        el("td", { text: d.title + " · " + t("kind." + d.kind) }),
        el("td", {}, [ZS.statusBadge(a === "confirmed" ? "valid" : a, t("status." + a))]),
        el("td", {}, [d.revocation ? ZS.statusBadge("invalid", ZS.revocationWords(d.revocation.reasonCode)) : ZS.statusBadge("valid", t("state.valid"))]),
        el("td", {}, [actions]),
      ]));
    });
    table.appendChild(body);
    docsBox.appendChild(el("div", { className: "table-scroll" }, [table]));
  }
  function button(text, onClick, aria, cls) {
    var b = el("button", { type: "button", text: text, className: cls || "" });
    if (aria) b.setAttribute("data-action", aria);
    b.addEventListener("click", onClick);
    return b;
  }
  function download(d) {
    call("/api/documents/" + encodeURIComponent(d.id) + "/pdf").then(function (answer) {
      if (answer.status !== 200) { say(answer); return; }
      var url = URL.createObjectURL(new Blob([answer.body], { type: "application/pdf" }));
      var link = el("a", { href: url, download: d.id + ".pdf" });
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    });
  }
  function countersign(d, role) {
    call("/api/documents/" + encodeURIComponent(d.id) + "/countersignatures", { json: { role: role } }).then(function (answer) {
      say(answer, "console.countersigned", { id: answer.body && answer.body.id });
      refresh();
    });
  }
  function openRevoke(d) {
    revokeTarget = d;
    document.getElementById("revoke-target").textContent = d.id;
    dialog.showModal();
  }
  dialog.addEventListener("close", function () {
    if (dialog.returnValue !== "confirm" || !revokeTarget) return;
    var d = revokeTarget;
    var reasonCode = Number(document.getElementById("revoke-reason").value);
    call("/api/documents/" + encodeURIComponent(d.id) + "/revocation", { json: { reasonCode: reasonCode } }).then(function (answer) {
      say(answer, "console.revoked", { id: d.id });
      refresh();
    });
  });

  document.getElementById("signin-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var given = document.getElementById("token").value.trim();
    var errorBox = document.getElementById("signin-error");
    errorBox.textContent = "";
    ZS.api("/api/documents?limit=50", { token: given }).then(function (answer) {
      if (answer.status !== 200) { errorBox.appendChild(ZS.errorBox(answer)); return; }
      sessionStorage.setItem(TOKEN_KEY, given);
      document.getElementById("token").value = "";
      docs = answer.body.documents;
      showSignedIn(true);
      drawDocs();
    });
  });
  document.getElementById("signout").addEventListener("click", function () {
    sessionStorage.removeItem(TOKEN_KEY);
    docs = undefined;
    showSignedIn(false);
  });

  document.getElementById("issue-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var holder = [], bad;
    document.getElementById("f-holder").value.split("\n").forEach(function (line, i) {
      if (!line.trim()) return;
      var m = /^([^:：]+)[:：](.+)$/.exec(line.trim());
      if (!m) { bad = bad || i + 1; return; }
      holder.push({ label: m[1].trim(), value: m[2].trim() });
    });
    if (bad) { say({ status: 400, body: { code: "TEMPLATE_FIELD_INVALID", reason: t("console.holderLine", { n: bad }) } }); return; }
    var body = { kind: document.getElementById("f-kind").value, title: document.getElementById("f-title").value.trim(), holder: holder };
    var number = document.getElementById("f-number").value.trim();
    var until = document.getElementById("f-until").value;
    if (number) body.documentNumber = number;
    if (until) body.validUntil = until;
    call("/api/certificates", { json: body }).then(function (answer) {
      say(answer, "console.issued", { id: answer.body && answer.body.id });
      refresh();
    });
  });

  document.getElementById("seal-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var file = document.getElementById("seal-file").files[0];
    if (!file) { say({ status: 400, body: { code: "PDF_MISSING", reason: t("verify.chooseFirst") } }); return; }
    var title = document.getElementById("seal-title").value.trim();
    file.arrayBuffer().then(function (bytes) {
      return call("/api/documents" + (title ? "?title=" + encodeURIComponent(title) : ""), { pdf: bytes });
    }).then(function (answer) {
      say(answer, "console.sealed", { id: answer.body && answer.body.id });
      refresh();
    });
  });

  ZS.onLanguage(function () { drawDocs(); if (lastMessage) say(lastMessage.answer, lastMessage.okKey, lastMessage.vars); });
  if (token()) refresh().then(function (answer) { if (answer.status === 200) showSignedIn(true); });
})();
