// verifyPdf: reads the PDF, runs the checks in order and hands their results to report.ts. This is
// the one place where a thrown error becomes a result (STYLE.md): a chain outage is unknown
// (CHAIN_UNREACHABLE), anything else an error (CHECK_FAILED) with a public-safe sentence. No
// exception leaves verifyPdf, and no raw error or stack trace enters a report.
import { ChainUnavailableError } from "../errors";
import { PdfReadError } from "../pdf/read/pdf-read-error";
import { readPdfForVerification } from "../pdf/read/read-pdf";
import type { PdfReadLimits } from "../pdf/read/types";
import { createCertificateCache, type CertificateCache } from "./certificate-cache";
import { prefetchChainFacts } from "./anchoring";
import { checkResult } from "./check-result";
import type { ChainReader } from "./chain-reader";
import { readCertificateData } from "./certificate-data";
import { CHECKS } from "./checks";
import type { Check, VerifyContext } from "./context";
import { buildReport, errorReport } from "./report";
import { reasonText } from "./reasons";
import { signerFacts } from "./signer-facts";
import { buildSignatureSummaries } from "./summary";
import type { CheckResult, Report } from "./types";

/** Options of {@link verifyPdf}. */
export interface VerifyOptions {
  /** The chain to check anchors, keys and revocations against; omitted: offline (those are skipped). */
  chain?: ChainReader;
  /**
   * Certificates already read, by DER (createCertificateCache, one per verifier): a service sees
   * the same department certificates again and again. Omitted: a fresh cache for this call.
   */
  certificates?: CertificateCache;
  /** Overrides of the reader's limits (size, objects, nesting, revisions, signatures). */
  limits?: Partial<PdfReadLimits>;
}

/**
 * Verifies `pdfBytes` and returns one Report. Never throws: unreadable input gives verdict
 * "error" with the reader's code; a check that fails to run gives a result, not an exception.
 */
export async function verifyPdf(pdfBytes: Uint8Array, options: VerifyOptions = {}): Promise<Report> {
  try {
    return await verifyReadable(pdfBytes, options);
  } catch (err) {
    if (err instanceof PdfReadError) return errorReport(err.reasonCode, err.message);
    // Only a bug gets here (every check runs guarded); the report still must not carry it.
    return errorReport("CHECK_FAILED", reasonText("CHECK_FAILED"));
  }
}

async function verifyReadable(pdfBytes: Uint8Array, options: VerifyOptions): Promise<Report> {
  // This verification's round: the latest block its log searches end at is asked before the file
  // is read, and one turn of the event loop lets the question leave before the reading holds the thread.
  const chain = options.chain?.round?.() ?? options.chain;
  if (chain !== options.chain) await nextTurn();
  const pdf = await readPdfForVerification(pdfBytes, options.limits);
  const memos = new Map<string, Promise<unknown>>();
  const checks: CheckResult[] = [];
  const ctx: VerifyContext = {
    pdf,
    chain,
    certificates: options.certificates ?? createCertificateCache(),
    earlier: checks,
    memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
      let p = memos.get(key) as Promise<T> | undefined;
      if (!p) {
        p = compute();
        memos.set(key, p);
      }
      return p;
    },
  };
  // The chain answers while the offline checks run (in the other process, for a local node).
  if (ctx.chain) {
    prefetchChainFacts(ctx);
    // One turn for the answers already in (the latest block, by now): the log searches leave
    // before the offline checks hold the thread, instead of after them.
    await nextTurn();
  }
  for (const check of CHECKS) checks.push(...(await runCheck(check, ctx)));
  const facts = await signerFacts(ctx).catch(() => pdf.signatures.map(() => undefined));
  const summaries = buildSignatureSummaries(pdf, facts, checks);
  const report = buildReport(checks, summaries, {
    sha256Hex: pdf.sha256Hex,
    bytes: pdf.bytes.length,
    revisions: pdf.revisions.length,
    pages: pdf.pageCount,
  });
  // Read after the verdict is derived, so the embedded data can never take part in it.
  const certificateData = readCertificateData(pdf, checks, summaries);
  return certificateData === undefined ? report : { ...report, certificateData };
}

/** Runs one check; offline chain checks are skipped, and a throw becomes a result here. */
async function runCheck(check: Check, ctx: VerifyContext): Promise<CheckResult[]> {
  if (check.needsChain && !ctx.chain) return [checkResult(check.id, "skipped", "OFFLINE")];
  try {
    const out = await check.run({ ...ctx, earlier: [...ctx.earlier] });
    return Array.isArray(out) ? out : [out];
  } catch (err) {
    // Past the file's work budget the whole verification stops: verifyPdf reports PDF_WORK_LIMIT.
    if (err instanceof PdfReadError && err.reasonCode === "PDF_WORK_LIMIT") throw err;
    if (err instanceof ChainUnavailableError) {
      return [checkResult(check.id, "unknown", err.code === "CHAIN_QUERY_REFUSED" ? "CHAIN_QUERY_REFUSED" : "CHAIN_UNREACHABLE")];
    }
    return [checkResult(check.id, "error", "CHECK_FAILED")];
  }
}

/** Resolves after the event loop has run once: pending socket writes leave and arrived answers are read. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
