// Drives Debian's chromium through playwright-core (no browser download): one persistent context
// in a fresh profile, pages saved as screenshots under test-output/web/, and axe-core's rules run
// inside the page. The page's CSP allows only its own scripts, so axe is evaluated through the
// DevTools protocol, which the page's policy does not govern. A test machine often has no Chinese
// system font (chromium then draws boxes): fontconfig is pointed at the Noto Sans SC files the
// certificates already use, so the screenshots can be read.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const SCREENSHOTS = path.resolve(__dirname, "../../test-output/web");

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const profile = await mkdtemp(path.join(os.tmpdir(), "zerosign-chromium-"));
  await mkdir(SCREENSHOTS, { recursive: true });
  const noto = path.dirname(require.resolve("@expo-google-fonts/noto-sans-sc/package.json"));
  const fontsConf = path.join(profile, "fonts.conf");
  await writeFile(
    fontsConf,
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n` +
      `<include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n` +
      `<dir>${path.join(noto, "400Regular")}</dir>\n<dir>${path.join(noto, "700Bold")}</dir>\n` +
      `<cachedir>${path.join(profile, "fontconfig-cache")}</cachedir>\n</fontconfig>\n`,
  );
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    env: { ...process.env, FONTCONFIG_FILE: fontsConf },
    headless: true,
    locale: "zh-CN",
    viewport: { width: 1280, height: 900 },
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** One axe-core violation, as much as a failing assertion needs to name it. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

let axeSource: string | undefined;

/** Runs axe-core's WCAG 2 A/AA rules on the page; returns the serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= await readFile(require.resolve("axe-core/axe.min.js"), "utf8");
  await page.evaluate(axeSource);
  // A string, evaluated in the page: the test's own TypeScript has no DOM library.
  const violations = await page.evaluate(`(async () => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => String(n.target)) }));
  })()`);
  return violations as AxeViolation[];
}
