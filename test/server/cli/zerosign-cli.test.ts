// The zerosign CLI as a user runs it: a real process through bin/zerosign.js, files in a temp
// folder, pdfsig against the CA bundle the CLI itself exports, and exit codes with reason codes.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PDFDocument } from "pdf-lib";
import { DEMO_DEPARTMENTS } from "../../../server/demo/departments";
import { makePdfLibPdf } from "../pdf/fixtures";
import { apart, inside, widgetRects, type Rect } from "../pdf/widget-rects";
import { pdfsig, qpdfCheck, tempDir } from "../pdf/signature-tools";

const ROOT = path.join(__dirname, "..", "..", "..");
const BIN = path.join(ROOT, "bin", "zerosign.js");
const TEMPLATE = path.join(ROOT, "docs", "examples", "certificate.json");

/** Runs the CLI with PATH only in its environment, so the runner's ZEROSIGN_* cannot leak in. */
function zerosign(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { PATH: process.env.PATH ?? "" } });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

/** A one-page PDF of `width` x `height` points. */
async function pageOf(width: number, height: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage([width, height]);
  return doc.save();
}

describe("zerosign CLI", function () {
  let dir: string;
  let data: string;
  let nss: string;
  let plainFile: string;

  before(async function () {
    dir = tempDir("cli");
    data = path.join(dir, "data");
    plainFile = path.join(dir, "plain.pdf");
    writeFileSync(plainFile, await makePdfLibPdf());
    // The README's trust step: export-ca --nssdb imports every CA (certutil -A -i takes only a file's first).
    const res = zerosign("export-ca", "--out", path.join(dir, "ca.pem"), "--out-dir", path.join(dir, "cas"), "--nssdb", path.join(dir, "nss"), "--data", data);
    expect(res.status, res.stderr).to.equal(0);
    nss = `sql:${path.join(dir, "nss")}`;
  });

  it("creates the data folder on first use with 0600 key files", function () {
    expect(statSync(path.join(data, "pki", "SAMR", "seal.key.pem")).mode & 0o777).to.equal(0o600);
  });

  it("exports every department's CA as a bundle, one file each, and into an NSS database", function () {
    const codes = DEMO_DEPARTMENTS.map((d) => d.code);
    expect(readFileSync(path.join(dir, "ca.pem"), "utf8").match(/BEGIN CERTIFICATE/g)).to.have.length(codes.length);
    expect(readdirSync(path.join(dir, "cas")).sort()).to.deep.equal(codes.map((c) => `${c}-ca.pem`).sort());
    const listed = spawnSync("certutil", ["-L", "-d", nss], { encoding: "utf8" }).stdout;
    for (const code of codes) expect(listed).to.match(new RegExp(`^zerosign-${code}\\s+CT,C,C`, "m"));
    const again = zerosign("export-ca", "--nssdb", path.join(dir, "nss"), "--data", data);
    expect(again.status, again.stderr).to.equal(0);
    expect(zerosign("export-ca", "--data", data).status).to.equal(64);
  });

  it("prints help for every command", function () {
    for (const cmd of ["issue", "seal", "countersign", "export-ca", "verify", "token"]) {
      const res = zerosign(cmd, "--help");
      expect(res.status, cmd).to.equal(0);
      expect(res.stdout, cmd).to.match(new RegExp(`^Usage: zerosign ${cmd}`));
    }
    for (const cmd of ["issue", "seal"]) expect(zerosign(cmd, "--help").stdout, cmd).to.match(/NOT anchored[\s\S]*NOT_ANCHORED[\s\S]*--service URL/);
    expect(zerosign("--help").stdout).to.match(/64 bad usage, 70 internal fault/);
  });

  it("issues the API's example template (docs/examples/certificate.json) for --dept MCA; pdfsig trusts the MCA seal", function () {
    const out = path.join(dir, "mca-cert.pdf");
    const res = zerosign("issue", "--template", TEMPLATE, "--dept", "MCA", "--out", out, "--data", data);
    expect(res.status, res.stderr).to.equal(0);
    expect(res.stdout).to.match(/identifier MCA-\d{8}-[0-9A-Z]{16}\)/);
    expect(res.stdout).to.match(/^Not anchored: /m);
    const { signatures, output } = pdfsig(nss, out);
    expect(signatures.map((s) => [s.valid, s.trusted, s.commonName]), output).to.deep.equal([[true, true, "民政局 seal"]]);
  });

  it("refuses a template that names its department or identifier, as the API does", function () {
    const example = JSON.parse(readFileSync(TEMPLATE, "utf8")) as Record<string, unknown>;
    for (const [field, value] of [["department", { code: "SAMR", name: "市场监督管理局" }], ["certificateIdentifier", "SAMR-20261123-ABCDEFGH"]] as const) {
      const file = path.join(dir, `with-${field}.json`);
      writeFileSync(file, JSON.stringify({ ...example, [field]: value }));
      const res = zerosign("issue", "--template", file, "--out", path.join(dir, "x.pdf"), "--data", data);
      expect(res.status, field).to.equal(1);
      expect(res.stderr, field).to.match(/^TEMPLATE_FIELD_UNKNOWN: /);
    }
  });

  it("seals a 300 x 144 pt page at the default place, at --size 100 too; a seal taller than the page is refused", async function () {
    const receipt = path.join(dir, "receipt.pdf");
    writeFileSync(receipt, await pageOf(300, 144));
    for (const size of [[], ["--size", "100"]]) {
      const out = path.join(dir, `receipt-${size.length}.pdf`);
      const res = zerosign("seal", receipt, "--page", "1", ...size, "--out", out, "--data", data);
      expect(res.status, res.stderr).to.equal(0);
      const { signatures, output } = pdfsig(nss, out);
      expect(signatures.map((s) => [s.valid, s.trusted]), output).to.deep.equal([[true, true]]);
    }
    const tall = zerosign("seal", receipt, "--page", "1", "--size", "150", "--out", path.join(dir, "tall.pdf"), "--data", data);
    expect(tall.status).to.equal(1);
    expect(tall.stderr).to.match(/^SEAL_OUTSIDE_PAGE: /);
  });

  it("issues the demo certificate and countersigns it with the block beside the seal; pdfsig accepts both signatures", async function () {
    const issued = path.join(dir, "demo.pdf");
    const res = zerosign("issue", "--demo", "--out", issued, "--data", data);
    expect(res.status, res.stderr).to.equal(0);
    expect(res.stdout).to.match(/Wrote .*demo\.pdf \(\d+ bytes\)/);
    const both = path.join(dir, "demo-2.pdf");
    const res2 = zerosign("countersign", issued, "--role", "chief", "--out", both, "--data", data, "--offline");
    expect(res2.status, res2.stderr).to.equal(0);
    const { signatures, output } = pdfsig(nss, both);
    expect(signatures.map((s) => [s.field, s.valid, s.trusted]), output).to.deep.equal([
      ["Seal1", true, true],
      ["Chief1", true, true],
    ]);
    expect(qpdfCheck(both).status).to.equal(0);
    const rects = await widgetRects(readFileSync(both));
    const block = rects.get("Chief1") as Rect;
    expect(block[2] - block[0], `${block}`).to.be.above(0);
    expect(apart(block, rects.get("Seal1") as Rect), `${block}`).to.equal(true);
    expect(inside(block, { width: 595.28, height: 841.89 }), `${block}`).to.equal(true);
  });

  it("seals page 2 of a third-party PDF at a given position for another department", function () {
    const out = path.join(dir, "sealed.pdf");
    const res = zerosign("seal", plainFile, "--page", "2", "--x", "300", "--y", "200", "--size", "100", "--dept", "MCA", "--out", out, "--data", data);
    expect(res.status, res.stderr).to.equal(0);
    const { signatures, output } = pdfsig(nss, out);
    expect(signatures.map((s) => [s.valid, s.trusted, s.commonName]), output).to.deep.equal([[true, true, "民政局 seal"]]);
    const original = readFileSync(plainFile);
    expect(readFileSync(out).subarray(0, original.length).equals(original)).to.equal(true);
  });

  it("exits 1 with the reason code on stderr for refused input", function () {
    const notPdf = path.join(dir, "note.txt");
    writeFileSync(notPdf, "not a pdf\n");
    const badJson = path.join(dir, "bad.json");
    writeFileSync(badJson, "{ nope");
    const missingField = path.join(dir, "missing.json");
    writeFileSync(missingField, JSON.stringify({ kind: "certificate" }));
    const out = path.join(dir, "x.pdf");
    const cases: [string[], string][] = [
      [["seal", notPdf, "--page", "1", "--out", out], "PDF_NOT_PDF"],
      [["seal", plainFile, "--page", "9", "--out", out], "PAGE_OUT_OF_RANGE"],
      [["seal", plainFile, "--page", "1", "--out", plainFile], "OUTPUT_IS_INPUT"],
      [["seal", path.join(dir, "absent.pdf"), "--page", "1", "--out", out], "FILE_NOT_FOUND"],
      [["countersign", plainFile, "--dept", "NOPE", "--out", out], "UNKNOWN_DEPARTMENT"],
      [["issue", "--template", badJson, "--out", out], "TEMPLATE_NOT_JSON"],
      [["issue", "--template", missingField, "--out", out], "TEMPLATE_FIELD_MISSING"],
    ];
    for (const [args, code] of cases) {
      const res = zerosign(...args, "--data", data);
      expect(res.status, `${code}: ${res.stderr}`).to.equal(1);
      expect(res.stderr, code).to.match(new RegExp(`^${code}: `));
    }
  });

  it("exits 64 (EX_USAGE, apart from verify's verdicts 2 and 3) on bad usage: unknown command, unknown option, missing --out", function () {
    const cases = [
      ["frobnicate"],
      ["seal", plainFile, "--page", "1", "--bogus"],
      ["seal", plainFile, "--page", "1"],
      // A seal is the issuer's act, not a countersignature: the API refuses the role too.
      ["countersign", plainFile, "--role", "seal", "--out", path.join(dir, "x.pdf"), "--offline"],
      ["issue", "--demo", "--dept", "MCA", "--out", path.join(dir, "x.pdf")],
      ["issue", "--template", TEMPLATE, "--token", "zs_x", "--out", path.join(dir, "x.pdf")],
      ["issue", "--template", TEMPLATE, "--service", "http://127.0.0.1:9", "--out", path.join(dir, "x.pdf")],
      ["seal", plainFile, "--page", "1", "--service", "http://127.0.0.1:9", "--token", "zs_x", "--dept", "MCA", "--out", path.join(dir, "x.pdf")],
    ];
    for (const args of cases) {
      const res = zerosign(...args);
      expect(res.status, args.join(" ")).to.equal(64);
      expect(res.stderr).to.match(/^USAGE: /);
    }
  });
});
