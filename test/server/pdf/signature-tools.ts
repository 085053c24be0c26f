// Signature test helpers around the real tools: an NSS database that trusts given CA certificates, pdfsig's
// report parsed per signature (its exit code is 0 even on failure, so the text is what counts),
// and qpdf --check.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** One signature as pdfsig reports it. */
export interface PdfsigSignature {
  field: string;
  valid: boolean;
  trusted: boolean;
  totalDocument: boolean;
  commonName: string;
}

/** Creates a fresh NSS database that trusts `caPems` as CAs; returns its "sql:DIR" spec. */
export function createTrustedNssDb(caPems: readonly string[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "zs-nss-"));
  execFileSync("certutil", ["-N", "-d", `sql:${dir}`, "--empty-password"]);
  caPems.forEach((pem, i) => {
    const file = path.join(dir, `ca${i}.pem`);
    writeFileSync(file, pem);
    execFileSync("certutil", ["-A", "-d", `sql:${dir}`, "-n", `zs-ca-${i}`, "-t", "CT,C,C", "-i", file]);
  });
  return `sql:${dir}`;
}

/** Runs `pdfsig -nssdir <nss> <file>` and parses each "Signature #n" block. */
export function pdfsig(nssDir: string, file: string): { signatures: PdfsigSignature[]; output: string } {
  const res = spawnSync("pdfsig", ["-nssdir", nssDir, file], { encoding: "utf8" });
  const output = `${res.stdout}${res.stderr}`;
  const blocks = output.split(/^Signature #\d+:$/m).slice(1);
  const signatures = blocks.map((b) => ({
    field: /Signature Field Name: (.*)$/m.exec(b)?.[1]?.trim() ?? "",
    valid: /Signature Validation: Signature is Valid\./.test(b),
    trusted: /Certificate Validation: Certificate is Trusted\./.test(b),
    totalDocument: /^\s*- Total document signed/m.test(b),
    commonName: /Signer Certificate Common Name: (.*)$/m.exec(b)?.[1]?.trim() ?? "",
  }));
  return { signatures, output };
}

/** Runs `qpdf --check`; returns its exit status and output (0 = no errors, 3 = warnings only). */
export function qpdfCheck(file: string): { status: number | null; output: string } {
  const res = spawnSync("qpdf", ["--check", file], { encoding: "utf8" });
  return { status: res.status, output: `${res.stdout}${res.stderr}` };
}

/** A temporary directory for one test file's outputs. */
export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `zs-${prefix}-`));
}
