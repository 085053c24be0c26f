// `zerosign export-ca`: the demo departments' root CA certificates, to trust in a PDF reader. One
// bundle (--out), one file per CA (--out-dir), or straight into an NSS database (--nssdb), since
// `certutil -A -i FILE` imports only the first certificate of a file and pdfsig then calls files
// sealed by every other department untrusted.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { loadCliConfig } from "../../config";
import { DEMO_DEPARTMENTS } from "../../demo/departments";
import { ZeroSignError } from "../../errors";
import { ensureDevPki } from "../../pki/dev-pki";
import { derToPem } from "../../pki/pem";
import { parseCommandLine } from "../args";
import { writeOutputFile } from "../files";
import { DATA_HELP, EXIT, UsageError, type CliEnv, type CliIo } from "../io";

const run = promisify(execFile);

const USAGE = `Usage: zerosign export-ca (--out ca.pem | --out-dir DIR | --nssdb DIR) [--data DIR]

Writes the demo departments' dev root CA certificates so a PDF reader can trust them. For pdfsig
(poppler) and other NSS readers, --nssdb does it all: it creates the NSS database DIR if needed and
imports every CA (nicknames zerosign-<CODE>, trust CT,C,C); then  pdfsig -nssdir sql:DIR file.pdf
says "Certificate is Trusted." for a file sealed by any of the departments. (certutil -A -i FILE
imports only the first certificate of a file: import each of --out-dir's files on its own.)

  --out FILE      write all CAs into one PEM bundle (for readers that take a bundle)
  --out-dir DIR   write one PEM file per CA: DIR/<CODE>-ca.pem
  --nssdb DIR     create (if needed) the NSS database DIR and import every CA (needs certutil,
                  Debian package libnss3-tools)
${DATA_HELP}
  -h, --help     show this help
`;

/** Runs `export-ca`; returns the exit code. */
export async function exportCaCommand(args: string[], io: CliIo, env: CliEnv): Promise<number> {
  const parsed = parseCommandLine(args, io, {
    usage: USAGE,
    options: { data: { type: "string" }, out: { type: "string" }, "out-dir": { type: "string" }, nssdb: { type: "string" } },
  });
  if (!parsed) return EXIT.ok;
  const { values } = parsed;
  if (values.out === undefined && values["out-dir"] === undefined && values.nssdb === undefined) {
    throw new UsageError("give --out FILE, --out-dir DIR or --nssdb DIR");
  }
  const pki = await ensureDevPki(values.data ?? loadCliConfig(env).dataDir, DEMO_DEPARTMENTS);
  const cas = [...pki.caCertificates].map(([code, der]) => ({ code, pem: derToPem(der, "CERTIFICATE") }));

  if (values.out !== undefined) {
    await writeOutputFile(values.out, cas.map((ca) => ca.pem).join(""));
    io.stdout.write(`Wrote ${cas.length} CA certificates to ${values.out}\n`);
  }
  const outDir = values["out-dir"];
  if (outDir !== undefined) {
    for (const ca of cas) await writeOutputFile(path.join(outDir, `${ca.code}-ca.pem`), ca.pem);
    io.stdout.write(`Wrote ${cas.map((ca) => `${ca.code}-ca.pem`).join(", ")} to ${outDir}\n`);
  }
  if (values.nssdb !== undefined) {
    await importIntoNssDb(values.nssdb, cas);
    io.stdout.write(`Trusted ${cas.length} CAs (${cas.map((ca) => `zerosign-${ca.code}`).join(", ")}) in the NSS database ${values.nssdb}\n` +
      `Check a file with:  pdfsig -nssdir sql:${values.nssdb} FILE.pdf\n`);
  }
  return EXIT.ok;
}

/** Creates the database when it has none, then adds (or re-adds, same nickname) each CA from stdin. */
async function importIntoNssDb(dir: string, cas: readonly { code: string; pem: string }[]): Promise<void> {
  const db = `sql:${path.resolve(dir)}`;
  const certutil = async (args: string[], input?: string) => {
    try {
      const child = run("certutil", args);
      if (input !== undefined) child.child.stdin?.end(input);
      await child;
    } catch (cause) {
      const missing = (cause as NodeJS.ErrnoException).code === "ENOENT";
      throw new ZeroSignError(
        missing ? "CERTUTIL_NOT_FOUND" : "NSSDB_FAILED",
        missing ? "certutil is not installed (Debian: apt-get install libnss3-tools)" : `certutil ${args[0]} failed on ${db}: ${(cause as { stderr?: string }).stderr?.trim() ?? String(cause)}`,
        { cause },
      );
    }
  };
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (!existsSync(path.join(dir, "cert9.db"))) await certutil(["-N", "-d", db, "--empty-password"]);
  for (const ca of cas) await certutil(["-A", "-d", db, "-n", `zerosign-${ca.code}`, "-t", "CT,C,C", "-a"], ca.pem);
}
