// POST /api/verify: anyone uploads a PDF and gets the verifier's Report, the same JSON as the
// library and `zerosign verify --json`. A readable PDF gets 200 whatever its verdict; a file that
// cannot be read as a PDF at all (verdict "error") is the client's mistake and gets its 4xx.
// Verification runs in the worker pool: its size and queue bound cap how many run at once, and
// the HTTP loop keeps answering while they do.
import { Router } from "express";
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaError, ZeroSignError } from "../errors";
import type { ReasonCode } from "../verify";
import { verifyInPool } from "../workers/pool-jobs";
import type { RouterDeps } from "./app";
import { pdfUpload, uploadOf } from "./pdf-upload";

/** Verdict-"error" reason codes and the error class each becomes; any other is a verifier bug. */
const UNREADABLE: Partial<Record<ReasonCode, new (code: string, message: string) => ZeroSignError>> = {
  PDF_NOT_PDF: UnsupportedMediaError,
  PDF_ENCRYPTED: UnsupportedMediaError,
  PDF_TOO_LARGE: PayloadTooLargeError,
  PDF_TRUNCATED: BadRequestError,
  PDF_MALFORMED: BadRequestError,
  PDF_TOO_COMPLEX: BadRequestError,
  PDF_WORK_LIMIT: BadRequestError,
  // Past the pool's time or memory limit: the file costs more than one verification may spend.
  VERIFY_LIMIT_EXCEEDED: BadRequestError,
};

export function verifyRouter(deps: RouterDeps): Router {
  const router = Router();
  router.post("/api/verify", deps.publicLimiter, pdfUpload(deps.limits.maxPdfBytes), async (_req, res) => {
    // Each worker keeps its own certificate cache across uploads. The upload is read only by the
    // verifier, so it is handed over: the loop never copies it.
    const report = await verifyInPool(deps.pool, uploadOf(res).pdfBytes, {
      chain: deps.chain,
      limits: { maxBytes: deps.limits.maxPdfBytes },
      handOver: true,
    });
    if (report.verdict === "error") {
      const ErrorClass = report.code ? UNREADABLE[report.code] : undefined;
      if (!ErrorClass || !report.code) throw new Error(`the verifier failed on a readable upload: ${report.code ?? "no code"}`);
      throw new ErrorClass(report.code, report.reason);
    }
    res.json(report);
  });
  return router;
}
