// Self-review filings in their notice period (GET /api/filings): matter, department, the
// application's hash, the notice end and the objections with their state, each with a form that
// objects (POST /api/filings/{id}/objections). The answer replaces the card; refusals show the API's reason.
"use strict";
(function () {
  var box = document.getElementById("filings");
  var answer;
  /** Per filing id: the last answer to an objection, shown under its form. */
  var replies = {};
  var el = ZS.el, t = ZS.t;

  function draw() {
    if (!answer) return;
    box.textContent = "";
    var filings = answer.status === 200 && answer.body && Array.isArray(answer.body.filings) ? answer.body.filings : undefined;
    // A node that runs no approvals part answers 404 ROUTE_NOT_FOUND: it holds no filing either.
    var notServed = answer.status === 404 && answer.body && answer.body.code === "ROUTE_NOT_FOUND";
    if (!filings && !notServed) { box.appendChild(ZS.errorBox(answer)); return; }
    if (notServed || !filings.length) { box.appendChild(el("p", { className: "card", id: "filings-none", text: t("filings.none") })); return; }
    filings.forEach(function (f) { box.appendChild(card(f)); });
  }

  function card(f) {
    var objections = f.objections.length
      ? el("ul", { className: "plain" }, f.objections.map(function (o) {
        return el("li", { "data-objection": o.id, "data-state": o.state }, [
          ZS.statusBadge(o.state === "upheld" ? "invalid" : o.state === "rejected" ? "valid" : "pending", t("objection." + o.state)),
          " ", el("span", { className: "hex", text: o.id + " · " + o.hashHex }),
        ]);
      }))
      : el("p", { className: "note", text: t("filings.noObjections") });
    var textId = "objection-" + f.id;
    var form = el("form", { className: "objection-form", "data-filing": f.id }, [
      el("label", { for: textId, text: t("filings.objectionText") }),
      el("textarea", { id: textId, name: "text", rows: "3", maxlength: "2000", required: "required" }),
      el("p", { className: "note", text: t("filings.objectionNote") }),
      el("button", { type: "submit", className: "primary", text: t("filings.submit") }),
    ]);
    var reply = el("div", { className: "reply", role: "status" });
    if (replies[f.id]) reply.appendChild(replyOf(replies[f.id]));
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var text = form.querySelector("textarea").value;
      ZS.api("/api/filings/" + encodeURIComponent(f.id) + "/objections", { json: { text: text } }).then(function (res) {
        replies[f.id] = res;
        if (res.status === 201) {
          // The answer is the filing as it now stands: show it in place of the old one.
          answer.body.filings = answer.body.filings.map(function (x) { return x.id === f.id ? res.body : x; });
          draw();
        } else {
          reply.textContent = "";
          reply.appendChild(replyOf(res));
        }
      });
    });
    return el("section", { className: "card filing", "data-id": f.id }, [
      el("h2", { text: f.matter.name }),
      ZS.facts([
        [t("filings.matter"), f.matter.code],
        [t("filings.department"), f.departmentName ? `${f.departmentName} (${f.departmentCode})` : f.departmentCode],
        [t("filings.hash"), f.applicationHashHex, "hex"],
        [t("filings.noticeEnds"), ZS.time(f.noticeEnds)],
        f.evidence.length ? [t("filings.evidence"), f.evidence.map(function (e) { return e.label + " " + e.docHashHex; }).join("\n"), "hex"] : null,
      ]),
      el("h3", { text: t("filings.objections") }),
      objections,
      form,
      reply,
    ]);
  }

  function replyOf(res) {
    if (res.status !== 201) return ZS.errorBox(res);
    var last = res.body.objections[res.body.objections.length - 1];
    return el("p", { className: "ok", text: t("filings.filed", { id: last ? last.id : "" }) });
  }

  ZS.onLanguage(draw);
  ZS.api("/api/filings").then(function (res) { answer = res; draw(); });
})();
