// What every CLI command shares: where it writes, the usage error, and printing a typed error as
// "<CODE>: <message>" on stderr. Commands return an exit code; only bin/zerosign.js exits.

/** The streams a command writes to (process.stdout / process.stderr, or buffers in tests). */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/**
 * Exit codes: 0 done, 1 the input or state was refused (typed error), 64 bad usage and 70 internal
 * fault, 78 a bad environment variable (sysexits.h EX_USAGE, EX_SOFTWARE, EX_CONFIG): apart from 2 and 3, which are verify's verdicts
 * unknown and error, so a script can tell a verdict from a mistyped command.
 */
export const EXIT = { ok: 0, refused: 1, usage: 64, internal: 70, config: 78 } as const;

/** The environment a command reads its settings from, through server/config.ts's loadCliConfig. */
export type CliEnv = Record<string, string | undefined>;

/** Wrong command line: unknown option, missing argument. Printed with the command's usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Options every signing command accepts (--data's default is ZEROSIGN_DATA, else ./data; --dept's SAMR). */
export const COMMON_OPTIONS = {
  data: { type: "string" },
  dept: { type: "string" },
} as const;

/** Help line for --data. */
export const DATA_HELP = "  --data DIR     data folder with the dev keys (default $ZEROSIGN_DATA or ./data, created on first use)";

/** Help lines for {@link COMMON_OPTIONS}. */
export const COMMON_HELP = [
  DATA_HELP,
  "  --dept CODE    department code (default SAMR)",
  "  -h, --help     show this help",
].join("\n");

/** Parses a number option; throws UsageError naming the option when it is not a finite number. */
export function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${value}"`);
  return n;
}
