// The work one file may cost the reader, counted as it is spent: bytes decompressed, tokens
// lexed, objects parsed, xref rows read, revision entries compared. Per-stream and per-object caps
// alone let a file multiply small costs (many streams just under the cap, one member re-read by many
// entries); a budget per file bounds their sum, so every PDF up to the upload limit costs at most a
// known amount of CPU and memory. Past a limit the read fails with PDF_WORK_LIMIT naming it.
import { PdfReadError } from "./pdf-read-error";

/** What the budget counts. */
export type WorkKind = "decodedBytes" | "tokens" | "objects" | "xrefRows" | "comparisons" | "names";

/** The most of each kind of work one file may cost. */
export type WorkLimits = Record<WorkKind, number>;

/**
 * Defaults measured with `npm run bench:hostile`: each limit alone costs well under a second of CPU
 * on the 2-core reference machine, and decoded bytes (kept for the whole read) stay far below the
 * memory target. An honest 20 MB certificate or scanned form uses a small fraction of each.
 */
export const DEFAULT_WORK_LIMITS: WorkLimits = {
  decodedBytes: 64 * 1024 * 1024,
  tokens: 500_000,
  objects: 250_000,
  xrefRows: 400_000,
  comparisons: 2_000_000,
  // pdf-lib keeps every distinct name it ever parses in a process-wide pool: a file of 450 000
  // fresh names would leave 84 MB behind. Honest files use a few hundred distinct names.
  names: 20_000,
};

const WHAT: Record<WorkKind, string> = {
  decodedBytes: "bytes of decompressed stream data",
  tokens: "tokens of PDF syntax",
  objects: "objects parsed",
  xrefRows: "cross-reference entries",
  comparisons: "object comparisons between revisions",
  names: "distinct names",
};

/** A running tally against {@link WorkLimits}; one per file read. */
export interface WorkBudget {
  /** Counts `amount` of `kind`; throws PdfReadError PDF_WORK_LIMIT when the file's limit is passed. */
  spend(kind: WorkKind, amount: number): void;
  /** Counts `key` once per file against `kind` (e.g. each distinct name); throws as spend does. */
  spendOnce(kind: WorkKind, key: unknown): void;
  /** What is left of `kind` (for bounding a single step before taking it, e.g. an inflate). */
  remaining(kind: WorkKind): number;
  /** What has been spent so far, per kind. */
  spent(): Readonly<WorkLimits>;
}

/** A fresh budget; `limits` override {@link DEFAULT_WORK_LIMITS} per kind. */
export function createWorkBudget(limits: Partial<WorkLimits> = {}): WorkBudget {
  const max: WorkLimits = { ...DEFAULT_WORK_LIMITS, ...limits };
  const used: WorkLimits = { decodedBytes: 0, tokens: 0, objects: 0, xrefRows: 0, comparisons: 0, names: 0 };
  const seen = new Set<unknown>();
  const spend = (kind: WorkKind, amount: number): void => {
    used[kind] += amount;
    if (used[kind] > max[kind]) throw workLimitError(kind, max[kind]);
  };
  return {
    spend,
    spendOnce(kind, key) {
      if (seen.has(key)) return;
      seen.add(key);
      spend(kind, 1);
    },
    remaining: (kind) => Math.max(0, max[kind] - used[kind]),
    spent: () => ({ ...used }),
  };
}

/** The error for passing `kind`'s limit `limit`: the reason says which limit. */
export function workLimitError(kind: WorkKind, limit: number, cause?: unknown): PdfReadError {
  return new PdfReadError(
    "PDF_WORK_LIMIT",
    `Reading the PDF needs more than ${limit.toLocaleString("en-US")} ${WHAT[kind]}, the most the verifier spends on one file.`,
    { cause },
  );
}
