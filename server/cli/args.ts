// The preamble every CLI command shares: parse the command line strictly, answer --help with the
// command's usage, check the positional arguments' count and the required options. A wrong command
// line is a UsageError (exit 64), printed by main.ts with a pointer to the command's help.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError, type CliIo } from "./io";

type Options = NonNullable<ParseArgsConfig["options"]>;

const HELP = { help: { type: "boolean", short: "h", default: false } } as const;

/** What a command expects besides its options. */
export interface CommandLine<O extends Options> {
  /** Printed for --help. */
  usage: string;
  options: O;
  /** How many positional arguments ("any": the command checks), and what they are (for the error). Default none. */
  positionals?: { count: number | "any"; what: string };
}

/**
 * Parses `args` for one command. Resolves to undefined after printing the usage for --help (the
 * command then exits 0); throws UsageError for a wrong count of positional arguments.
 */
export function parseCommandLine<const O extends Options>(args: readonly string[], io: CliIo, line: CommandLine<O>) {
  const options: O & typeof HELP = { ...line.options, ...HELP };
  const parsed = parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: O & typeof HELP }>({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options,
  });
  // parseArgs' value types cannot be resolved for a generic O here; callers get them resolved.
  if ((parsed.values as Record<string, unknown>).help === true) {
    io.stdout.write(line.usage);
    return undefined;
  }
  const expected = line.positionals ?? { count: 0, what: "no argument besides its options" };
  if (expected.count !== "any" && parsed.positionals.length !== expected.count) {
    throw new UsageError(
      expected.count === 0 ? `unexpected argument ${parsed.positionals[0]}` : `takes ${expected.what}, got ${parsed.positionals.length} arguments`,
    );
  }
  return parsed;
}

/** The value of a required option; UsageError "--name is required" when it is absent. */
export function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new UsageError(`--${name} is required`);
  return value;
}
