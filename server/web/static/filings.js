// Self-review filings in their notice period: GET /api/filings once the approvals service serves
// it; until then (404 ROUTE_NOT_FOUND) the page says none are open.
"use strict";
(function () {
  var box = document.getElementById("filings");
  var answer;
  function draw() {
    if (!answer) return;
    var el = ZS.el, t = ZS.t;
    box.textContent = "";
    var filings = answer.status === 200 && answer.body && Array.isArray(answer.body.filings) ? answer.body.filings : undefined;
    if (answer.status === 404 || (filings && !filings.length)) { box.appendChild(el("p", { className: "card", id: "filings-none", text: t("filings.none") })); return; }
    if (!filings) { box.appendChild(ZS.errorBox(answer)); return; }
    filings.forEach(function (f) {
      box.appendChild(el("section", { className: "card" }, [el("h2", { text: f.title || f.id }), ZS.facts([
        f.department ? [t("record.department"), f.department.name || f.department.code] : null,
        f.noticeEndsAt ? [t("record.anchoredAt"), ZS.time(f.noticeEndsAt)] : null,
      ])]));
    });
  }
  ZS.onLanguage(draw);
  ZS.api("/api/filings").then(function (res) { answer = res; draw(); });
})();
