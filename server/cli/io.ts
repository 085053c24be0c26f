// What every CLI command shares: where it writes, the usage error, and printing a typed error as
// "<CODE>: <message>" on stderr. Commands return an exit code; only bin/zerosign.js exits.

/** The streams a command writes to (process.stdout / process.stderr, or buffers in tests). */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** Exit codes: 0 done, 1 the input or state was refused (typed error), 2 bad usage, 3 internal fault. */
export const EXIT = { ok: 0, refused: 1, usage: 2, internal: 3 } as const;

/** Wrong command line: unknown option, missing argument. Printed with the command's usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Options every signing command accepts. */
export const COMMON_OPTIONS = {
  data: { type: "string", default: "./data" },
  dept: { type: "string", default: "SAMR" },
  help: { type: "boolean", short: "h", default: false },
} as const;

/** Help lines for {@link COMMON_OPTIONS}. */
export const COMMON_HELP = [
  "  --data DIR     data folder with the dev keys (default ./data, created on first use)",
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
