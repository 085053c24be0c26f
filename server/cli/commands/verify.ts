// `zerosign verify FILE [--json] [--rpc URL] [--offline]`: one report for any PDF. Exit codes are
// the verdict's: 0 valid, 1 invalid, 2 unknown, 3 error (the file could not be read at all).
import path from "node:path";
import { parseArgs } from "node:util";
import { ZeroSignError } from "../../errors";
import { verifyPdf, type Report, type Verdict } from "../../verify";
import { readInputFile } from "../files";
import { EXIT, UsageError, type CliIo } from "../io";
import { formatReport } from "../report-text";

const VERDICT_EXIT: Record<Verdict, number> = { valid: 0, invalid: 1, unknown: 2, error: 3 };

const USAGE = `Usage: zerosign verify FILE [--json] [--rpc URL] [--offline] [--data DIR]

Verifies every signature in FILE, what was changed after each, the signers' keys and departments
in the trust registry at anchoring time, the document's anchor on the ledger and its revocation,
and prints one report. Works on any PDF, signed by ZeroSign or not.

  --json           print the report as JSON
  --rpc URL        the chain's JSON-RPC URL (default http://127.0.0.1:8545, the embedded chain)
  --deployment F   contract addresses (default DIR/deployment.json, written by npm start)
  --offline        skip the chain checks: signatures and tampering only (verdict at best unknown)
  --data DIR       data folder of npm start (default ./data)
  -h, --help       show this help

Exit codes: 0 valid, 1 invalid, 2 unknown, 3 error (not a readable PDF).
`;

/** Runs `verify`; returns the verdict's exit code. */
export async function verifyCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: "boolean", default: false },
      rpc: { type: "string", default: "http://127.0.0.1:8545" },
      deployment: { type: "string" },
      offline: { type: "boolean", default: false },
      data: { type: "string", default: "./data" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  const file = positionals[0];
  if (positionals.length !== 1 || file === undefined) throw new UsageError("verify takes exactly one PDF");

  let pdfBytes: Uint8Array;
  try {
    pdfBytes = await readInputFile(file);
  } catch (err) {
    // A file that cannot be read is an "error" verdict, not a refusal: exit 3 as the issue defines.
    if (!(err instanceof ZeroSignError)) throw err;
    io.stderr.write(`${err.code}: ${err.message}\n`);
    return VERDICT_EXIT.error;
  }

  const provider = values.offline ? undefined : await connect(values.rpc, values.deployment ?? path.join(values.data, "deployment.json"));
  try {
    const report: Report = await verifyPdf(pdfBytes, { chain: provider?.chain });
    io.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(file, report));
    return VERDICT_EXIT[report.verdict];
  } finally {
    provider?.close();
  }
}

/**
 * The chain reader for a verification that is not offline. Its modules (ethers among them) are
 * loaded here, on first need, so `verify --offline` starts without them.
 */
async function connect(rpcUrl: string, deploymentFile: string) {
  const [{ createChainReader }, { createHttpJsonRpc }, { readDeployment }] = await Promise.all([
    import("../../chain/chain-reader"),
    import("../../chain/json-rpc"),
    import("../../chain/deployment-file"),
  ]);
  const deployment = await readDeployment(deploymentFile);
  if (!deployment) {
    throw new UsageError(`no contract addresses at ${deploymentFile}: run npm start first, pass --deployment FILE, or use --offline`);
  }
  // A node that is down fails the first question, which the report shows as CHAIN_UNREACHABLE.
  const rpc = createHttpJsonRpc(rpcUrl);
  return { chain: createChainReader({ rpc, deployment }), close: () => rpc.close() };
}
