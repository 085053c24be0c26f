// `zerosign export-ca --out ca.pem`: the demo departments' root CA certificates, to trust in a reader.
import { parseArgs } from "node:util";
import { exportCaPem } from "../../pki/export-ca";
import { writeOutputFile } from "../files";
import { EXIT, UsageError, type CliIo } from "../io";

const USAGE = `Usage: zerosign export-ca --out ca.pem [--data DIR]

Writes the demo departments' dev root CA certificates (PEM) so a PDF reader or an NSS database
can trust them, e.g.  certutil -A -d sql:DIR -n zerosign -t "CT,C,C" -i ca.pem

  --out FILE     where to write the PEM bundle (required)
  --data DIR     data folder with the dev keys (default ./data, created on first use)
  -h, --help     show this help
`;

/** Runs `export-ca`; returns the exit code. */
export async function exportCaCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      data: { type: "string", default: "./data" },
      out: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
  if (values.out === undefined) throw new UsageError("--out is required");
  const pem = await exportCaPem(values.data);
  await writeOutputFile(values.out, pem);
  const count = pem.split("BEGIN CERTIFICATE").length - 1;
  io.stdout.write(`Wrote ${count} CA certificates to ${values.out}\n`);
  return EXIT.ok;
}
