// The record page a certificate's QR code opens: GET /api/records/{id}?k=… (the chain's record of
// the document: kind, department, anchoring, status), then an upload that checks the file in hand
// is this very document (its SHA-256 equals the anchored hash) and shows the verifier's Report.
"use strict";
(function () {
  var id = decodeURIComponent(location.pathname.replace(/^\/v\//, ""));
  var key = new URLSearchParams(location.search).get("k");
  var box = document.getElementById("record");
  var answer;

  function draw() {
    if (!answer) return;
    box.textContent = "";
    if (answer.status !== 200) { box.appendChild(ZS.errorBox(answer)); return; }
    var r = answer.body, a = r.anchoring, el = ZS.el, t = ZS.t;
    var status = r.status === "revoked"
      ? el("span", {}, [ZS.statusBadge("invalid", ZS.revocationWords(r.revocation.reasonCode)), " " + t("revokedAt") + " " + ZS.time(r.revocation.revokedAt)])
      : ZS.statusBadge("valid", t("state.valid"));
    var proof = el("ol", { className: "hex" });
    a.proof.forEach(function (p) { proof.appendChild(el("li", { text: p })); });
    box.appendChild(el("div", { className: "verdict " + (r.status === "revoked" ? "invalid" : "valid"), role: "status" }, [
      el("div", { className: "big", text: r.status === "revoked" ? ZS.revocationWords(r.revocation.reasonCode) : t("state.valid") }),
      el("div", { className: "why", text: t("kind." + r.kind) + " · " + (r.department.name || r.department.code || r.department.id) }),
    ]));
    box.appendChild(el("section", { className: "card", id: "record-facts" }, [
      ZS.facts([
        [t("record.identifier"), r.id, "hex"],
        [t("record.kind"), t("kind." + r.kind)],
        [t("record.department"), (r.department.name || "") + (r.department.code ? "（" + r.department.code + "）" : "")],
        [t("record.status"), status],
        [t("record.anchoredAt"), ZS.time(a.anchoredAt)],
        [t("record.block"), String(a.blockNumber)],
        [t("record.tx"), a.txHash, "hex"],
        [t("record.batch"), "#" + a.batchId + " · " + (a.index + 1) + " / " + a.batchSize],
        [t("record.root"), a.rootHex, "hex"],
        [t("record.docHash"), r.docHashHex, "hex"],
        [t("record.proof"), a.proof.length ? proof : "—"],
      ]),
      el("p", { className: "note", text: t("record.noPersonal") + " " + t("record.source") }),
    ]));
  }
  ZS.onLanguage(draw);
  ZS.api("/api/records/" + encodeURIComponent(id) + (key ? "?k=" + encodeURIComponent(key) : "")).then(function (res) { answer = res; draw(); });

  ZS.bindVerifyForm(function (verified, result) {
    if (verified.status !== 200 || !answer || answer.status !== 200 || !verified.body.document) return;
    var same = ("0x" + verified.body.document.sha256Hex.replace(/^0x/, "")).toLowerCase() === answer.body.docHashHex.toLowerCase();
    var note = ZS.el("p", { className: "match " + (same ? "yes" : "no"), id: "match", text: ZS.t(same ? "record.same" : "record.different") });
    result.insertBefore(note, result.firstChild);
  });
})();
