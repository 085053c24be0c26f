// The benchmarks' command-line options: `--name VALUE`, read from process.argv, a mistake refused
// with the option's name before anything is measured.

/** The value after `--name`, if given. */
export function textFlag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** `--name N` as a positive safe integer, or `fallback` when not given. */
export function positiveIntegerFlag(name: string, fallback: number): number {
  const text = textFlag(name);
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`--${name} needs a positive integer`);
  return value;
}

/** `--name N` as a positive finite number (e.g. seconds), or `fallback` when not given. */
export function positiveNumberFlag(name: string, fallback: number): number {
  const text = textFlag(name);
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`);
  return value;
}
