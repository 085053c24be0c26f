// `zerosign verify FILE [--json] [--rpc URL] [--offline]`: one report for any PDF. Exit codes are
// the verdict's: 0 valid, 1 invalid, 2 unknown, 3 error (the file could not be read at all).
import { ZeroSignError } from "../../errors";
import { verifyPdf, type Report, type Verdict } from "../../verify";
import { parseCommandLine } from "../args";
import { connectChain } from "../chain";
import { readInputFile } from "../files";
import { EXIT, type CliEnv, type CliIo } from "../io";
import { formatReport } from "../report-text";

const VERDICT_EXIT: Record<Verdict, number> = { valid: 0, invalid: 1, unknown: 2, error: 3 };

const USAGE = `Usage: zerosign verify FILE [--json] [--rpc URL] [--offline] [--data DIR]

Verifies every signature in FILE, what was changed after each, the signers' keys and departments
in the trust registry at anchoring time, the document's anchor on the ledger and its revocation,
and prints one report. Works on any PDF, signed by ZeroSign or not.

  --json           print the report as JSON
  --rpc URL        the chain's JSON-RPC URL (default $CHAIN_RPC_URL, else 127.0.0.1:$CHAIN_PORT,
                   else the URL the node recorded in DIR/deployment.json, else 127.0.0.1:8545)
  --deployment F   contract addresses (default DIR/deployment.json, written by every node)
  --offline        skip the chain checks: signatures and tampering only (verdict at best unknown)
  --data DIR       data folder of npm start (default $ZEROSIGN_DATA, else ./data)
  -h, --help       show this help

Exit codes: 0 valid, 1 invalid, 2 unknown, 3 error (not a readable PDF); 64 bad usage,
70 internal fault, 78 bad environment variable.
`;

/** Runs `verify`; returns the verdict's exit code. */
export async function verifyCommand(args: string[], io: CliIo, env: CliEnv): Promise<number> {
  const parsed = parseCommandLine(args, io, {
    usage: USAGE,
    options: {
      json: { type: "boolean", default: false },
      rpc: { type: "string" },
      deployment: { type: "string" },
      offline: { type: "boolean", default: false },
      data: { type: "string" },
    },
    positionals: { count: 1, what: "exactly one PDF" },
  });
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
  const file = positionals[0];

  let pdfBytes: Uint8Array;
  try {
    pdfBytes = await readInputFile(file);
  } catch (err) {
    // A file that cannot be read is an "error" verdict, not a refusal: exit 3 as the issue defines.
    if (!(err instanceof ZeroSignError)) throw err;
    io.stderr.write(`${err.code}: ${err.message}\n`);
    return VERDICT_EXIT.error;
  }

  const connection = values.offline ? undefined : await connectChain(values, env);
  try {
    const report: Report = await verifyPdf(pdfBytes, { chain: connection?.chain });
    io.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(file, report));
    return VERDICT_EXIT[report.verdict];
  } finally {
    connection?.close();
  }
}
