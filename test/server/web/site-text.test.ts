// The site's two languages: the zh and en text tables of server/web/static/site.js hold the same
// keys, every key a page or script asks for is in them, and the reason tables the pages read
// (/static/reasons.js) cover the same codes in both. A key in one language only shows the other's
// words, or the bare key, to a visitor who switched.
import { expect } from "chai";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { reasonTablesScript } from "../../../server/web/reason-text";

const WEB = path.join(__dirname, "../../../server/web");
type Tables = { zh: Record<string, string>; en: Record<string, string> };

/**
 * site.js's TEXT literal, evaluated on its own (the rest of the file needs a browser), with the
 * tables other scripts add through ZS.addText (e.g. approvals-text.js).
 */
function siteText(): Tables {
  const source = readFileSync(path.join(WEB, "static/site.js"), "utf8");
  const m = /var TEXT = (\{[\s\S]*?\n {2}\});\n/.exec(source);
  if (!m) throw new Error("site.js has no `var TEXT = {…};` table");
  const tables = vm.runInNewContext(`(${m[1]})`) as Tables;
  const addText = (more: Tables) => {
    Object.assign(tables.zh, more.zh);
    Object.assign(tables.en, more.en);
  };
  for (const file of readdirSync(path.join(WEB, "static")).filter((f) => f !== "site.js" && f.endsWith(".js"))) {
    const text = readFileSync(path.join(WEB, "static", file), "utf8");
    if (text.includes("ZS.addText(")) vm.runInNewContext(text, { ZS: { addText } });
  }
  return tables;
}

/**
 * The literal keys the pages (data-i18n, data-i18n-aria, titleKey) and scripts (ZS.t, t) ask for;
 * a literal ending in "." (`t("check." + id)`) is a prefix completed at run time, left out.
 */
function requestedKeys(): Set<string> {
  const keys = new Set<string>();
  const add = (text: string, pattern: RegExp): void => {
    for (const m of text.matchAll(pattern)) if (!m[1].endsWith(".")) keys.add(m[1]);
  };
  for (const file of ["pages.ts", "page-shell.ts"]) {
    const text = readFileSync(path.join(WEB, file), "utf8");
    add(text, /data-i18n(?:-aria)?="([^"$]+)"/g);
    add(text, /titleKey: "([^"]+)"/g);
  }
  for (const file of readdirSync(path.join(WEB, "static")).filter((f) => f.endsWith(".js"))) {
    add(readFileSync(path.join(WEB, "static", file), "utf8"), /\b(?:ZS\.)?t\("([^"]+)"/g);
  }
  return keys;
}

function missing(from: Record<string, string>, keys: Iterable<string>): string[] {
  return [...keys].filter((k) => !(k in from)).sort();
}

describe("site text tables (zh, en)", function () {
  it("has the same keys in the zh and the en table", function () {
    const { zh, en } = siteText();
    expect(Object.keys(zh).length).to.be.above(50);
    expect({ notInEn: missing(en, Object.keys(zh)), notInZh: missing(zh, Object.keys(en)) }).to.deep.equal({ notInEn: [], notInZh: [] });
  });

  it("has every key the pages and scripts ask for, in both languages", function () {
    const { zh, en } = siteText();
    const keys = requestedKeys();
    expect(keys.size).to.be.above(20);
    expect({ zh: missing(zh, keys), en: missing(en, keys) }).to.deep.equal({ zh: [], en: [] });
  });

  it("serves reason and error words for the same codes in zh and en", function () {
    const window: { ZS_REASONS?: Tables } = {};
    vm.runInNewContext(reasonTablesScript(), { window });
    const tables = window.ZS_REASONS as Tables;
    expect(Object.keys(tables.zh)).to.include("DIGEST_MISMATCH");
    expect(Object.keys(tables.en).sort()).to.deep.equal(Object.keys(tables.zh).sort());
  });
});
