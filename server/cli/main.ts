// The zerosign command line: picks the command, runs it, and turns what it throws into an exit
// code and one stderr line ("<CODE>: <message>"). Commands live in commands/, one file each.
import { ZeroSignError } from "../errors";
import { EXIT, UsageError, type CliEnv, type CliIo } from "./io";

export { EXIT } from "./io";

type Command = (args: string[], io: CliIo, env: CliEnv) => Promise<number>;

// Each command is loaded when it is run: `verify --offline` then never loads the signing, store
// or chain modules (ethers alone takes a third of a second to load).
const COMMANDS: Record<string, () => Promise<Command>> = {
  issue: async () => (await import("./commands/issue")).issueCommand,
  seal: async () => (await import("./commands/seal")).sealCommand,
  countersign: async () => (await import("./commands/countersign")).countersignCommand,
  "export-ca": async () => (await import("./commands/export-ca")).exportCaCommand,
  verify: async () => (await import("./commands/verify")).verifyCommand,
  token: async () => (await import("./commands/token")).tokenCommand,
  application: async () => (await import("./commands/application")).applicationCommand,
  stats: async () => (await import("./commands/stats")).statsCommand,
};

const USAGE = `Usage: zerosign <command> [options]

Commands:
  issue        issue a signed certificate PDF from a template (--template FILE, or --demo)
  seal         stamp and sign an existing PDF with a department's electronic seal
  countersign  add a further signature (e.g. the chief representative's) to a signed PDF
  export-ca    write the demo departments' CA certificates (PEM) to trust in a PDF reader
  verify       verify any PDF: signatures, changes, signer's department and role, anchor, revocation
  token        create, list or revoke the service's operator API tokens
  application  submit an application to a node, show it, sign it (签一次/签两次), record its post-check
  stats        the node's approval statistics: human signatures per matter and path against the baseline

Run "zerosign <command> --help" for a command's options.

Environment (shared with npm start, read through server/config.ts; options override it):
  ZEROSIGN_DATA   the node's data folder (default ./data)
  CHAIN_RPC_URL   the chain's JSON-RPC URL; else CHAIN_PORT, else the URL in DIR/deployment.json
  ZEROSIGN_TOKEN  operator token for issue/seal --service URL

Exit codes: 0 done, 1 refused (a reason code on stderr), 64 bad usage, 70 internal fault,
78 bad environment variable; verify exits with its verdict: 0 valid, 1 invalid, 2 unknown, 3 error.
`;

/**
 * Runs the CLI with `argv` (without node and script) and the environment its settings come from
 * (bin/zerosign.js passes process.env); resolves to the process exit code.
 */
export async function runCli(argv: readonly string[], io: CliIo, env: CliEnv = {}): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(USAGE);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    io.stderr.write(`USAGE: unknown command "${name}"\n${USAGE}`);
    return EXIT.usage;
  }
  try {
    const command = await load();
    return await command(args, io, env);
  } catch (err) {
    if (err instanceof ZeroSignError) {
      io.stderr.write(`${err.code}: ${err.message}\n`);
      return EXIT.refused;
    }
    if (err instanceof UsageError || isParseArgsError(err)) {
      io.stderr.write(`USAGE: ${(err as Error).message}\nRun "zerosign ${name} --help" for its options.\n`);
      return EXIT.usage;
    }
    // Loaded only now: config.ts brings zod, which `verify --offline` does not otherwise need.
    const { ConfigError } = await import("../config");
    if (err instanceof ConfigError) {
      io.stderr.write(`CONFIG: ${err.message}\n`);
      return EXIT.config;
    }
    io.stderr.write(`INTERNAL: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.internal;
  }
}

/** node:util parseArgs signals unknown options and missing values with ERR_PARSE_ARGS_* codes. */
function isParseArgsError(err: unknown): boolean {
  return err instanceof Error && String((err as NodeJS.ErrnoException).code ?? "").startsWith("ERR_PARSE_ARGS");
}
