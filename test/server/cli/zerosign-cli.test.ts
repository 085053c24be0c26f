// The zerosign CLI as a user runs it: a real process through bin/zerosign.js, files in a temp
// folder, pdfsig against the CA bundle the CLI itself exports, and exit codes with reason codes.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { makePdfLibPdf } from "../pdf/fixtures";
import { createTrustedNssDb, pdfsig, qpdfCheck, tempDir } from "../pdf/signature-tools";

const BIN = path.join(__dirname, "..", "..", "..", "bin", "zerosign.js");

function zerosign(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
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
    const res = zerosign("export-ca", "--out", path.join(dir, "ca.pem"), "--data", data);
    expect(res.status, res.stderr).to.equal(0);
    // certutil -A imports only the first certificate of a file: trust each CA separately.
    const bundle = readFileSync(path.join(dir, "ca.pem"), "utf8");
    nss = createTrustedNssDb(bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g) ?? []);
  });

  it("creates the data folder on first use with 0600 key files", function () {
    expect(statSync(path.join(data, "pki", "SAMR", "seal.key.pem")).mode & 0o777).to.equal(0o600);
    expect(readFileSync(path.join(dir, "ca.pem"), "utf8").match(/BEGIN CERTIFICATE/g)).to.have.length(3);
  });

  it("prints help for every command", function () {
    for (const cmd of ["issue", "seal", "countersign", "export-ca", "verify"]) {
      const res = zerosign(cmd, "--help");
      expect(res.status, cmd).to.equal(0);
      expect(res.stdout, cmd).to.match(new RegExp(`^Usage: zerosign ${cmd}`));
    }
  });

  it("issues the demo certificate and countersigns it; pdfsig accepts both signatures", function () {
    const issued = path.join(dir, "demo.pdf");
    const res = zerosign("issue", "--demo", "--out", issued, "--data", data);
    expect(res.status, res.stderr).to.equal(0);
    expect(res.stdout).to.match(/Wrote .*demo\.pdf \(\d+ bytes\)/);
    const both = path.join(dir, "demo-2.pdf");
    const res2 = zerosign("countersign", issued, "--role", "chief", "--out", both, "--data", data);
    expect(res2.status, res2.stderr).to.equal(0);
    const { signatures, output } = pdfsig(nss, both);
    expect(signatures.map((s) => [s.field, s.valid, s.trusted]), output).to.deep.equal([
      ["Seal1", true, true],
      ["Chief1", true, true],
    ]);
    expect(qpdfCheck(both).status).to.equal(0);
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

  it("exits 2 on bad usage: unknown command, unknown option, missing --out", function () {
    for (const args of [["frobnicate"], ["seal", plainFile, "--page", "1", "--bogus"], ["seal", plainFile, "--page", "1"]]) {
      const res = zerosign(...args);
      expect(res.status, args.join(" ")).to.equal(2);
      expect(res.stderr).to.match(/^USAGE: /);
    }
  });
});
