// The benchmarks' readable table: a header, a rule, and rows in columns as wide as their widest
// cell (counted in code points, so 行政审批局 lines up as well as ASCII does). Printing only; every
// figure is formatted by the benchmark that measured it.

/** Prints `rows` under `header` to stdout, columns separated by two spaces. */
export function printTable(header: string[], rows: string[][]): void {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => [...(r[c] ?? "")].length)));
  const line = (r: string[]) => r.map((cell, c) => cell + " ".repeat(widths[c] - [...cell].length)).join("  ").trimEnd();
  process.stdout.write([line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n") + "\n");
}
