// bench:verify — full verification (every check, chain checks against contracts on Hardhat's
// in-process network) of an anchored one-page certificate: documents per second in process and
// milliseconds per document, against `pdfsig` (crypto only, as a process) on the same file in the
// same run. Prints a table and a last line `RESULT docs_per_s=… verify_ms=… pdfsig_ms=… ratio=…`.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import hre from "hardhat";
import { encodeBytes32String } from "ethers";
import { createChainReader } from "../server/chain/chain-reader";
import { attachZeroSign, deployZeroSign, type Deployment } from "../server/chain/deploy";
import { KEY_ROLES } from "../server/chain/roles";
import { DEMO_DEPARTMENTS } from "../server/demo/departments";
import { demoTemplate } from "../server/pdf/demo-template";
import { loadCertificateFonts } from "../server/pdf/fonts";
import { issueCertificate } from "../server/pdf/issue-certificate";
import { ensureDevPki } from "../server/pki/dev-pki";
import { verifyPdf } from "../server/verify/verifier";

const WARMUP = 50;
const DOCS = 1_000;
const PDFSIG_RUNS = 40;
const TARGET_DOCS_PER_S = 300;
const TARGET_RATIO = 0.5;

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "zs-bench-verify-"));
  try {
    const { pdfBytes, deployment } = await anchoredCertificate(dir);
    const file = path.join(dir, "certificate.pdf");
    writeFileSync(file, pdfBytes);
    const chain = createChainReader({ ...attachZeroSign(deployment, hre.ethers.provider), fromBlock: deployment.deployBlock });

    const first = await verifyPdf(pdfBytes, { chain });
    if (first.verdict !== "valid") {
      throw new Error(`the benchmark certificate does not verify: ${first.verdict} ${first.code ?? ""} ${first.reason}`);
    }
    for (let i = 0; i < WARMUP; i++) await verifyPdf(pdfBytes, { chain });
    const started = performance.now();
    for (let i = 0; i < DOCS; i++) await verifyPdf(pdfBytes, { chain });
    const verifyMs = (performance.now() - started) / DOCS;

    const pdfsigMs = timePdfsig(file);
    const docsPerS = 1_000 / verifyMs;
    const ratio = verifyMs / pdfsigMs;

    const rows: [string, string, string][] = [
      ["certificate", `${pdfBytes.length} bytes, 1 page, 1 seal signature, anchored`, ""],
      ["zerosign verifyPdf (all checks + chain)", `${verifyMs.toFixed(2)} ms/doc`, `${docsPerS.toFixed(0)} docs/s (target ≥ ${TARGET_DOCS_PER_S})`],
      ["pdfsig (crypto only, one process per doc)", `${pdfsigMs.toFixed(2)} ms/doc`, `${(1_000 / pdfsigMs).toFixed(0)} docs/s`],
      ["ratio zerosign / pdfsig", ratio.toFixed(3), `target ≤ ${TARGET_RATIO}`],
    ];
    printTable(["", "time", "rate"], rows);
    process.stdout.write(
      `RESULT docs_per_s=${docsPerS.toFixed(1)} verify_ms=${verifyMs.toFixed(3)} pdfsig_ms=${pdfsigMs.toFixed(3)} ratio=${ratio.toFixed(3)}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Deploys, registers SAMR with its seal key, issues a demo certificate and anchors its SHA-256. */
async function anchoredCertificate(dir: string): Promise<{ pdfBytes: Uint8Array; deployment: Deployment }> {
  const [deployer, bureau, operator] = await hre.ethers.getSigners();
  const { registry, ledger, deployment } = await deployZeroSign(deployer, bureau.address);
  const samr = encodeBytes32String("SAMR");
  await (await registry.connect(bureau).registerDepartment(samr, "市场监督管理局")).wait();
  await (await registry.connect(bureau).addOperator(samr, operator.address)).wait();
  const pki = await ensureDevPki(path.join(dir, "data"), DEMO_DEPARTMENTS);
  const seal = pki.keys.find((k) => k.departmentCode === "SAMR" && k.role === "seal" && k.algorithm === "ecdsa-p256");
  if (!seal) throw new Error("no SAMR seal key in the dev PKI");
  await (
    await registry.connect(operator).registerKey(seal.keyId, samr, KEY_ROLES.seal, seal.validFromSec, seal.validUntilSec)
  ).wait();
  const { pdfBytes } = await issueCertificate(demoTemplate({ issueDate: new Date().toISOString().slice(0, 10) }), {
    fonts: loadCertificateFonts(),
    publicBaseUrl: "http://127.0.0.1:8080",
    signer: pki.signerFor("SAMR", "seal"),
    signingTime: new Date(),
  });
  const docHash = "0x" + createHash("sha256").update(pdfBytes).digest("hex");
  await (await ledger.connect(operator).anchorBatch([docHash], "0x00")).wait();
  return { pdfBytes, deployment };
}

/** Mean wall time of `pdfsig FILE` as a process (it checks the CMS and digest, no chain). */
function timePdfsig(file: string): number {
  const once = () => {
    const res = spawnSync("pdfsig", [file], { encoding: "utf8" });
    if (res.error) throw new Error(`pdfsig could not run: ${res.error.message} (apt-get install poppler-utils)`);
    if (!/Signature is Valid/.test(res.stdout)) throw new Error(`pdfsig did not validate the certificate:\n${res.stdout}`);
  };
  for (let i = 0; i < 3; i++) once();
  const started = performance.now();
  for (let i = 0; i < PDFSIG_RUNS; i++) once();
  return (performance.now() - started) / PDFSIG_RUNS;
}

function printTable(header: string[], rows: string[][]): void {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => [...r[c]].length)));
  const line = (r: string[]) => r.map((cell, c) => cell + " ".repeat(widths[c] - [...cell].length)).join("  ").trimEnd();
  process.stdout.write([line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n") + "\n");
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
