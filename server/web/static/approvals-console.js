// The console's approvals part, shown once console.js signs in: the queue of applications waiting
// for a signature (GET /api/applications?status=awaiting-signatures, signed through
// POST /api/applications/{id}/signatures), the intake form (POST /api/applications, its path and
// reasons shown as returned; both wait for the certificate, ?wait=issued), the filings in their
// notice period with their objections to resolve and the close once the notice is over
// (GET /api/filings, POST …/objections/{id}/resolution, POST …/close), the catalog with each
// path's circuit breaker, and the statistics chart.
"use strict";
(function () {
  var TOKEN_KEY = "zerosign.operatorToken";
  var el = ZS.el, t = ZS.t;
  var queueBox = document.getElementById("queue"), queueMessage = document.getElementById("queue-message");
  var catalogBox = document.getElementById("catalog"), catalogMessage = document.getElementById("catalog-message");
  var statsBox = document.getElementById("statistics"), applyResult = document.getElementById("apply-result");
  var noticeBox = document.getElementById("notice"), noticeMessage = document.getElementById("notice-message");
  var matterSelect = document.getElementById("a-matter");
  /** The last answers, kept so a language switch redraws them. */
  var queue, matters, stats, applied, filings, queueSaid, catalogSaid, noticeSaid;

  function call(path, opts) { opts = opts || {}; opts.token = sessionStorage.getItem(TOKEN_KEY); return ZS.api(path, opts); }
  function ok(answer) { return answer.status >= 200 && answer.status < 300; }
  function button(text, onClick, action, cls) {
    var b = el("button", { type: "button", text: text, className: cls || "", "data-action": action });
    b.addEventListener("click", onClick);
    return b;
  }
  /** A refused load: the API's reason, or, on a node that runs no approvals part, that it does not. */
  function failed(box, answer) {
    if (answer.status === 404 && answer.body && answer.body.code === "ROUTE_NOT_FOUND") box.appendChild(el("p", { text: t("console.notYet") }));
    else box.appendChild(ZS.errorBox(answer));
  }
  /** An answer in a message box: the success sentence, or the API's refusal. */
  function say(into, said) {
    into.textContent = "";
    if (!said) return;
    into.appendChild(ok(said.answer) ? el("p", { className: "card ok", text: said.text() }) : ZS.errorBox(said.answer));
  }

  function loadQueue() {
    return call("/api/applications?status=awaiting-signatures&limit=50").then(function (a) { queue = a; drawQueue(); });
  }
  function drawQueue() {
    if (!queue) return;
    queueBox.textContent = "";
    if (queue.status !== 200) { failed(queueBox, queue); return; }
    var apps = queue.body.applications;
    if (!apps.length) { queueBox.appendChild(el("p", { id: "queue-none", text: t("queue.none") })); return; }
    var head = el("tr", {}, ["queue.application", "queue.matter", "queue.handled", "queue.path", "queue.signatures", "queue.accepted", "queue.actions"].map(function (k) {
      return el("th", { scope: "col", text: t(k) });
    }));
    var body = el("tbody", {}, apps.map(function (a) {
      return el("tr", { "data-id": a.id, "data-path": a.path }, [
        el("td", { className: "hex nowrap", text: a.id }),
        el("td", { text: a.matter.name }),
        el("td", { text: a.departmentCode + " / " + a.acceptedBy }),
        el("td", { className: "nowrap", text: t("path." + a.path) }),
        el("td", { className: "signed-count nowrap", text: a.signatures.length + " / " + a.requiredSignatures }),
        el("td", { text: ZS.time(a.stages.acceptedAt) }),
        el("td", {}, [el("div", { className: "row" }, [
          button(t("queue.signStaff"), function () { sign(a, "staff"); }, "sign staff " + a.id),
          button(t("queue.signChief"), function () { sign(a, "chief"); }, "sign chief " + a.id),
        ])]),
      ]);
    }));
    queueBox.appendChild(el("div", { className: "table-scroll" }, [el("table", { id: "queue-table" }, [el("thead", {}, [head]), body])]));
  }
  function sign(a, role) {
    call("/api/applications/" + encodeURIComponent(a.id) + "/signatures?wait=issued", { json: { role: role } }).then(function (answer) {
      var b = answer.body || {};
      queueSaid = { answer: answer, text: function () {
        return b.status === "awaiting-signatures"
          ? t("queue.signed", { id: b.id, left: b.requiredSignatures - b.signatures.length })
          : t("queue.issued", { id: b.id, cert: b.certificateId || "" });
      } };
      say(queueMessage, queueSaid);
      loadQueue();
      loadStats();
    });
  }

  function loadNotice() {
    return call("/api/filings").then(function (a) { filings = a; drawNotice(); });
  }
  function drawNotice() {
    if (!filings) return;
    noticeBox.textContent = "";
    if (filings.status !== 200) { failed(noticeBox, filings); return; }
    var list = filings.body.filings;
    if (!list.length) { noticeBox.appendChild(el("p", { id: "notice-none", text: t("notice.none") })); return; }
    list.forEach(function (f) {
      var objections = f.objections.length
        ? el("ul", { className: "plain" }, f.objections.map(function (o) {
          var open = o.state === "filed";
          return el("li", { "data-objection": o.id, "data-state": o.state }, [
            el("code", { text: o.id }), " ",
            ZS.statusBadge(open ? "pending" : o.state === "upheld" ? "invalid" : "valid", t("objection." + o.state)),
            open ? button(t("notice.uphold"), function () { resolveObjection(f, o, true); }, "uphold " + f.id + " " + o.id, "danger") : null,
            open ? button(t("notice.reject"), function () { resolveObjection(f, o, false); }, "reject " + f.id + " " + o.id) : null,
          ]);
        }))
        : el("p", { className: "note", text: t("filings.noObjections") });
      noticeBox.appendChild(el("div", { className: "card", "data-filing": f.id }, [
        el("p", { text: t("notice.filing", { id: f.id, matter: f.matter.name, dept: f.departmentName || f.departmentCode, ends: ZS.time(f.noticeEnds) }) }),
        objections,
        // Before the notice is over the API refuses, and its reason is shown.
        button(t("notice.close"), function () { closeFiling(f); }, "close " + f.id, "primary"),
      ]));
    });
  }
  function resolveObjection(f, o, upheld) {
    var route = "/api/filings/" + encodeURIComponent(f.id) + "/objections/" + encodeURIComponent(o.id) + "/resolution";
    call(route, { json: { upheld: upheld } }).then(function (answer) {
      noticeSaid = { answer: answer, text: function () { return t("notice.resolved", { objection: o.id, state: t("objection." + (upheld ? "upheld" : "rejected")) }); } };
      say(noticeMessage, noticeSaid);
      loadNotice();
    });
  }
  function closeFiling(f) {
    call("/api/filings/" + encodeURIComponent(f.id) + "/close", { method: "POST" }).then(function (answer) {
      var b = answer.body || {};
      noticeSaid = { answer: answer, text: function () { return t("notice.closed", { id: f.id, status: t("appstatus." + b.status) }); } };
      say(noticeMessage, noticeSaid);
      loadNotice();
      loadStats();
    });
  }

  function loadCatalog() {
    return call("/api/matters").then(function (a) { matters = a; drawCatalog(); fillMatters(); });
  }
  function fillMatters() {
    if (!matters || matters.status !== 200) return;
    var chosen = matterSelect.value || "SOCIAL_ORG_CHANGE";
    matterSelect.textContent = "";
    matters.body.matters.forEach(function (m) {
      var option = el("option", { value: m.code, text: m.name + " · " + m.code + " (" + m.paths.map(function (p) { return t("path." + p.path); }).join(" / ") + ")" });
      if (m.code === chosen) option.selected = true;
      matterSelect.appendChild(option);
    });
  }
  function drawCatalog() {
    if (!matters) return;
    catalogBox.textContent = "";
    if (matters.status !== 200) { failed(catalogBox, matters); return; }
    var head = el("tr", {}, ["catalog.code", "catalog.department", "catalog.baseline", "catalog.paths"].map(function (k) { return el("th", { scope: "col", text: t(k) }); }));
    var body = el("tbody", {}, matters.body.matters.map(function (m) {
      var paths = el("ul", { className: "plain" }, m.paths.map(function (p) {
        var suspended = p.suspendedReason !== 0;
        return el("li", { className: "row", "data-path": m.code + " " + p.path, "data-suspended": String(p.suspendedReason) }, [
          el("strong", { text: t("path." + p.path) }),
          ZS.statusBadge(suspended ? "invalid" : "valid", suspended ? t("catalog.suspended", { code: p.suspendedReason }) : t("catalog.open")),
          el("span", { className: "note", text: t("catalog.version", { v: p.ruleVersion }) }),
          suspended
            ? button(t("catalog.resume"), function () { breaker(m, p, false); }, "resume " + m.code + " " + p.path)
            : button(t("catalog.suspend"), function () { breaker(m, p, true); }, "suspend " + m.code + " " + p.path, "danger"),
        ]);
      }));
      return el("tr", { "data-matter": m.code }, [
        el("td", {}, [el("div", { text: m.name }), el("div", { className: "hex", text: m.code })]),
        el("td", { text: m.departmentCode }),
        el("td", { text: String(m.baselineSignatures) }),
        el("td", {}, [paths]),
      ]);
    }));
    catalogBox.appendChild(el("div", { className: "table-scroll" }, [el("table", { id: "catalog-table" }, [el("thead", {}, [head]), body])]));
  }
  function breaker(m, p, suspend) {
    var route = "/api/matters/" + encodeURIComponent(m.code) + "/paths/" + encodeURIComponent(p.path) + "/suspension";
    var reasonCode = Number(document.getElementById("suspend-reason").value);
    var sent = suspend ? call(route, { json: { reasonCode: reasonCode } }) : call(route, { method: "DELETE" });
    sent.then(function (answer) {
      var b = answer.body || {};
      catalogSaid = { answer: answer, text: function () {
        var vars = { matter: m.name, path: t("path." + p.path), code: b.suspendedReason };
        return b.suspendedReason ? t("catalog.suspendedDone", vars) : t("catalog.resumedDone", vars);
      } };
      say(catalogMessage, catalogSaid);
      loadCatalog();
    });
  }

  function loadStats() {
    return call("/api/statistics").then(function (a) { stats = a; drawStats(); });
  }
  function drawStats() {
    if (!stats) return;
    statsBox.textContent = "";
    if (stats.status !== 200) { failed(statsBox, stats); return; }
    var s = stats.body;
    statsBox.appendChild(el("p", { className: "average", id: "stats-average", text: t("stats.average", { avg: s.avgSignatures, base: s.baselineSignatures }) }));
    if (!s.rows.length) { statsBox.appendChild(el("p", { text: t("stats.none") })); return; }
    statsBox.appendChild(ZS.signatureChart(s));
    var head = el("tr", {}, ["stats.matterPath", "stats.applications", "stats.decided", "stats.baseline", "stats.actual"].map(function (k) { return el("th", { scope: "col", text: t(k) }); }));
    var body = el("tbody", {}, s.rows.map(function (r) {
      return el("tr", { "data-row": r.matter + " " + r.path }, [
        el("td", { text: r.name + " · " + t("path." + r.path) }),
        el("td", { text: String(r.applications) }), el("td", { text: String(r.decided) }),
        el("td", { text: String(r.baselineSignatures) }), el("td", { text: String(r.humanSignatures) }),
      ]);
    }));
    statsBox.appendChild(el("div", { className: "table-scroll" }, [el("table", { id: "stats-table" }, [el("thead", {}, [head]), body])]));
  }

  document.getElementById("apply-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var applicant = {}, bad;
    document.getElementById("a-applicant").value.split("\n").forEach(function (line, i) {
      if (!line.trim()) return;
      var m = /^([^:：]+)[:：](.+)$/.exec(line.trim());
      if (!m) { bad = bad || i + 1; return; }
      applicant[m[1].trim()] = m[2].trim();
    });
    if (bad) { applied = { status: 400, body: { code: "INVALID_REQUEST", reason: t("apply.applicantLine", { n: bad }) } }; drawApplied(); return; }
    var evidence = document.getElementById("a-evidence").value.split(/[\s,，]+/).filter(Boolean).map(function (id) { return { documentId: id }; });
    var body = { matter: matterSelect.value, applicant: applicant, evidence: evidence };
    if (document.getElementById("a-commitment").checked) body.commitment = true;
    if (document.getElementById("a-self-review").checked) body.selfReview = true;
    call("/api/applications?wait=issued", { json: body }).then(function (answer) {
      applied = answer;
      drawApplied();
      loadQueue();
      loadStats();
    });
  });
  function drawApplied() {
    applyResult.textContent = "";
    if (!applied) return;
    if (applied.status !== 201) { applyResult.appendChild(ZS.errorBox(applied)); return; }
    var a = applied.body;
    var reasons = el("ol", { className: "reasons" }, a.reasons.map(function (r) {
      return el("li", { "data-path": r.path, "data-chosen": String(r.chosen), "data-code": r.code }, [
        ZS.statusBadge(r.chosen ? "valid" : "skipped", t(r.chosen ? "apply.chosen" : "apply.notChosen")),
        " ", el("strong", { text: t("path." + r.path) + " · " + t("pathreason." + r.code) }),
        el("div", { className: "note", text: r.reason }),
      ]);
    }));
    applyResult.appendChild(el("div", { className: "card", id: "apply-answer", "data-path": a.path, "data-status": a.status }, [
      el("p", { className: "ok", text: t("apply.result", { id: a.id, path: t(a.path ? "path." + a.path : "path.none"), status: t("appstatus." + a.status) }) }),
      a.lastError ? el("p", { className: "note", text: a.lastError }) : null,
      a.certificateId ? el("p", { text: t("apply.certificate", { id: a.certificateId }) }) : null,
      el("h3", { text: t("apply.reasons") }),
      reasons,
    ]));
  }

  function loadAll() { loadQueue(); loadNotice(); loadCatalog(); loadStats(); }
  document.addEventListener("zerosign:signed-in", loadAll);
  document.addEventListener("zerosign:signed-out", function () {
    queue = matters = stats = applied = filings = queueSaid = catalogSaid = noticeSaid = undefined;
    [queueBox, queueMessage, noticeBox, noticeMessage, catalogBox, catalogMessage, statsBox, applyResult].forEach(function (box) { box.textContent = ""; });
  });
  ZS.onLanguage(function () {
    drawQueue(); drawNotice(); drawCatalog(); fillMatters(); drawStats(); drawApplied();
    say(queueMessage, queueSaid); say(catalogMessage, catalogSaid); say(noticeMessage, noticeSaid);
  });
})();
