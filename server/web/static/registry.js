// The registry page: GET /api/departments (the TrustRegistry as the chain holds it).
"use strict";
(function () {
  var box = document.getElementById("registry");
  var answer;
  function day(sec) { return sec ? new Date(sec * 1000).toISOString().slice(0, 10) : ZS.t("registry.none"); }
  function draw() {
    if (!answer) return;
    var el = ZS.el, t = ZS.t;
    box.textContent = "";
    if (answer.status !== 200) { box.appendChild(ZS.errorBox(answer)); return; }
    var list = answer.body.departments;
    if (!list.length) { box.appendChild(el("p", { text: t("registry.empty") })); return; }
    list.forEach(function (d) {
      var table = el("table", {}, [el("thead", {}, [el("tr", {}, [
        el("th", { scope: "col", text: t("report.role") }), el("th", { scope: "col", text: t("registry.keyId") }),
        el("th", { scope: "col", text: t("registry.validFrom") }), el("th", { scope: "col", text: t("registry.validUntil") }),
        el("th", { scope: "col", text: t("registry.revokedAt") })])])]);
      var body = el("tbody");
      d.keys.forEach(function (k) {
        body.appendChild(el("tr", {}, [el("td", { text: t("role." + k.role) }), el("td", { className: "hex", text: k.keyIdHex.slice(0, 18) + "…", title: k.keyIdHex }),
          el("td", { text: day(k.validFromSec) }), el("td", { text: day(k.validUntilSec) }), el("td", { text: day(k.revokedAtSec) })]));
      });
      table.appendChild(body);
      box.appendChild(el("section", { className: "card" }, [
        el("h2", { text: d.name }),
        el("p", {}, [t("registry.code") + ": " + (d.code || d.departmentId) + " ", ZS.statusBadge(d.active ? "valid" : "invalid", t(d.active ? "registry.active" : "registry.inactive"))]),
        el("h3", { text: t("registry.keys") }),
        el("div", { className: "table-scroll" }, [table]),
      ]));
    });
  }
  ZS.onLanguage(draw);
  ZS.api("/api/departments").then(function (res) { answer = res; draw(); });
})();
