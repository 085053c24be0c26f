// The HTML every page of the site shares: header with the service's name and the language switch,
// navigation, a <main> the page's script fills, and the footer. Text is Chinese in the HTML (the
// default, readable without script); site.js swaps it to English from its tables when chosen.
// Nothing here comes from a request, so there is nothing to escape but the fixed strings below.

/** One page of the site: which nav entry is current, its title key, its body and scripts. */
export interface PageSpec {
  /** The nav entry shown as current. */
  nav: "verify" | "registry" | "filings" | "console";
  /** Key of the page title in site.js's tables, with its Chinese text. */
  titleKey: string;
  titleZh: string;
  /** The page's own markup inside <main> (fixed, trusted HTML). */
  bodyHtml: string;
  /** The page's own script under /static/. */
  script: string;
  /** Scripts under /static/ the page's script uses (text tables, the chart), loaded before it. */
  helpers?: string[];
}

const NAV: Array<{ id: PageSpec["nav"]; href: string; key: string; zh: string }> = [
  { id: "verify", href: "/verify", key: "nav.verify", zh: "证照核验" },
  { id: "registry", href: "/registry", key: "nav.registry", zh: "部门与密钥登记册" },
  { id: "filings", href: "/filings", key: "nav.filings", zh: "自审备案公示" },
  { id: "console", href: "/console", key: "nav.console", zh: "部门工作台" },
];

/** The whole HTML document of a page. */
export function renderPage(spec: PageSpec): string {
  const nav = NAV.map(
    (n) => `<li><a href="${n.href}" data-i18n="${n.key}"${n.id === spec.nav ? ' aria-current="page"' : ""}>${n.zh}</a></li>`,
  ).join("");
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title data-i18n="${spec.titleKey}">${spec.titleZh}</title>
<link rel="stylesheet" href="/static/site.css">
<script src="/static/reasons.js" defer></script>
<script src="/static/site.js" defer></script>
${(spec.helpers ?? []).map((h) => `<script src="/static/${h}" defer></script>\n`).join("")}<script src="/static/${spec.script}" defer></script>
</head>
<body>
<a class="skip" href="#main" data-i18n="skip">跳到正文</a>
<header class="masthead">
  <div class="wrap masthead-row">
    <div class="brand">
      <span class="emblem" aria-hidden="true">证</span>
      <div>
        <div class="brand-name" data-i18n="brand">电子证照区块链核验服务</div>
        <div class="brand-sub" data-i18n="brand.sub">ZeroSign · 政务服务 · 公开核验</div>
      </div>
    </div>
    <button type="button" id="lang-switch" class="lang" lang="en" aria-label="Switch to English">English</button>
  </div>
  <nav class="wrap" aria-label="主导航" data-i18n-aria="nav.label"><ul class="nav">${nav}</ul></nav>
</header>
<main id="main" class="wrap">
<h1 data-i18n="${spec.titleKey}">${spec.titleZh}</h1>
${spec.bodyHtml}
</main>
<footer class="footer"><div class="wrap" data-i18n="footer">各部门节点从区块链账本与信任登记册独立核验，不依赖签发部门的服务器。</div></footer>
</body>
</html>
`;
}
