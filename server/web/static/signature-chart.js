// The signature statistics as an inline SVG bar chart: per matter, one pair of bars per path, the
// baseline (what today's rule needs) against the human signatures given, both as GET
// /api/statistics returns them. No chart library: a few rectangles and labels drawn here.
"use strict";
(function () {
  var NS = "http://www.w3.org/2000/svg";
  var WIDTH = 640, LABEL = 150, BAR = 14, GAP = 4, ROW = 2 * BAR + GAP + 12, HEAD = 24, LEGEND = 30;

  function svg(tag, attrs, text) {
    var node = document.createElementNS(NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** stats: the body of GET /api/statistics. Returns the <svg>. */
  function signatureChart(stats) {
    var t = ZS.t;
    var rows = stats.rows;
    var matters = [];
    rows.forEach(function (r) { if (matters.indexOf(r.matter) < 0) matters.push(r.matter); });
    var max = 1;
    rows.forEach(function (r) { max = Math.max(max, r.baselineSignatures, r.humanSignatures); });
    var height = LEGEND + matters.length * HEAD + rows.length * ROW + 8;
    var scale = (WIDTH - LABEL - 50) / max;
    var root = svg("svg", { viewBox: "0 0 " + WIDTH + " " + height, width: "100%", role: "img", "aria-label": t("stats.chartLabel"), class: "chart", id: "signature-chart" });

    // The legend: grey the baseline, red what was given.
    root.appendChild(svg("rect", { x: LABEL, y: 6, width: 14, height: 14, fill: "#6b6b6b" }));
    root.appendChild(svg("text", { x: LABEL + 20, y: 18, class: "legend" }, t("stats.baseline")));
    root.appendChild(svg("rect", { x: LABEL + 200, y: 6, width: 14, height: 14, fill: "#a4161a" }));
    root.appendChild(svg("text", { x: LABEL + 220, y: 18, class: "legend" }, t("stats.actual")));

    var y = LEGEND;
    matters.forEach(function (code) {
      var group = rows.filter(function (r) { return r.matter === code; });
      root.appendChild(svg("text", { x: 0, y: y + 17, class: "matter" }, group[0].name + " · " + code));
      y += HEAD;
      group.forEach(function (r) {
        var g = svg("g", { "data-matter": r.matter, "data-path": r.path, "data-baseline": String(r.baselineSignatures), "data-actual": String(r.humanSignatures) });
        g.appendChild(svg("text", { x: LABEL - 8, y: y + BAR + 4, "text-anchor": "end", class: "path" }, t("path." + r.path)));
        bar(g, y, r.baselineSignatures, "#6b6b6b", "baseline");
        bar(g, y + BAR + GAP, r.humanSignatures, "#a4161a", "actual");
        root.appendChild(g);
        y += ROW;
      });
    });
    return root;

    function bar(g, top, value, colour, kind) {
      // A zero still gets a hairline, so "none given" reads as a bar of nothing rather than a gap.
      g.appendChild(svg("rect", { x: LABEL, y: top, width: Math.max(value * scale, 2), height: BAR, fill: colour }));
      g.appendChild(svg("text", { x: LABEL + Math.max(value * scale, 2) + 6, y: top + BAR - 2, class: "value", "data-kind": kind }, String(value)));
    }
  }

  ZS.signatureChart = signatureChart;
})();
