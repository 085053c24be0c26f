// The main thread's side of the production jobs (worker-jobs.ts runs them): verify, seal and
// countersign a PDF in the pool, with the same parameters and results as verifyPdf, sealPdf and
// countersignPdf in process. The bytes move to the worker: copied once, or not at all when the
// caller hands them over; the chain reader and the signer stay here and answer the worker's host
// calls.
import { BadRequestError } from "../errors";
import type { CountersignPdfParams } from "../pdf/countersign-pdf";
import type { IssueCertificateParams, IssuedCertificate } from "../pdf/issue-certificate";
import type { CertificateTemplate } from "../pdf/template";
import type { PdfReadLimits } from "../pdf/read/types";
import type { SealPdfParams } from "../pdf/seal-pdf";
import type { ChainReader } from "../verify/chain-reader";
import { errorReport } from "../verify/report";
import type { Report } from "../verify/types";
import { chainHostFunctions } from "./chain-proxy";
import { JobLimitError } from "./pool-errors";
import { signerFacts, signerHostFunctions, type SignerFacts } from "./signer-proxy";
import type { RunOptions, WorkerPool } from "./worker-pool";

const TIME_LIMIT_REASON = "Verifying the PDF took longer than the verifier spends on one file.";
const MEMORY_LIMIT_REASON = "Verifying the PDF needed more memory than the verifier spends on one file.";

/** The verify job's input. */
export interface VerifyJobInput {
  pdfBytes: Uint8Array;
  /** Whether the worker gets a chain proxy (false: offline, chain checks skipped). */
  online: boolean;
  limits?: Partial<PdfReadLimits>;
}

/**
 * The sign job's input: a seal or a countersignature (the worker letters either with its own
 * fonts), or a whole certificate rendered from its template and sealed.
 */
export type SignJobInput =
  | ({ operation: "seal"; pdfBytes: Uint8Array; signer: SignerFacts } & Omit<SealPdfParams, "signer" | "sealFont">)
  | ({ operation: "countersign"; pdfBytes: Uint8Array; signer: SignerFacts } & Omit<CountersignPdfParams, "signer" | "font">)
  | ({ operation: "issue"; template: CertificateTemplate; signer: SignerFacts } & Omit<IssueCertificateParams, "signer" | "fonts">);

/** Options of {@link verifyInPool}: those of verifyPdf but the certificate cache, which each worker keeps. */
export interface PoolVerifyOptions {
  chain?: ChainReader;
  limits?: Partial<PdfReadLimits>;
  /**
   * The caller gives the bytes up: a view over a whole buffer of its own moves to the worker
   * without a copy (an upload of 20 MB is then never copied on the HTTP loop), and is empty after.
   */
  handOver?: boolean;
}

/**
 * The bytes as a buffer that can move to a worker: `bytes`' own buffer when it is handed over and
 * the view covers all of it, else a copy (a slice of a pooled or shared buffer must stay).
 */
function movable(bytes: Uint8Array, handOver: boolean): Uint8Array {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  return handOver && whole ? bytes : new Uint8Array(bytes);
}

/**
 * verifyPdf in a worker. A verification past the pool's time or memory limit is a Report with
 * verdict error and code VERIFY_LIMIT_EXCEEDED. Rejects with the pool's ServiceBusyError,
 * WorkerFailedError or PoolClosedError (all 503).
 */
export async function verifyInPool(pool: WorkerPool, pdfBytes: Uint8Array, options: PoolVerifyOptions = {}): Promise<Report> {
  const bytes = movable(pdfBytes, options.handOver === true);
  const input: VerifyJobInput = { pdfBytes: bytes, online: options.chain !== undefined, limits: options.limits };
  // The round starts here, so its latest block is read while the worker reads the file; the
  // worker's proxy then asks this round's reader.
  const chain = options.chain?.round?.() ?? options.chain;
  try {
    return await pool.run<Report>("verify", input, { transfer: [bytes.buffer as ArrayBuffer], host: chain ? chainHostFunctions(chain) : {} });
  } catch (err) {
    if (!(err instanceof JobLimitError)) throw err;
    return errorReport("VERIFY_LIMIT_EXCEEDED", err.limit === "time" ? TIME_LIMIT_REASON : MEMORY_LIMIT_REASON);
  }
}

/** sealPdf in a worker, lettered with the worker's bold certificate font. Throws sealPdf's errors, or {@link signInPool}'s. */
export function sealInPool(pool: WorkerPool, pdfBytes: Uint8Array, params: Omit<SealPdfParams, "sealFont">): Promise<Uint8Array> {
  const { signer, ...rest } = params;
  return signInPool(pool, signer, { ...rest, operation: "seal", pdfBytes: new Uint8Array(pdfBytes), signer: signerFacts(signer) });
}

/** countersignPdf in a worker, its block lettered with the worker's regular certificate font. Throws countersignPdf's errors, or {@link signInPool}'s. */
export function countersignInPool(
  pool: WorkerPool,
  pdfBytes: Uint8Array,
  params: Omit<CountersignPdfParams, "font">,
  priority?: RunOptions["priority"],
): Promise<Uint8Array> {
  const { signer, ...rest } = params;
  return signInPool(pool, signer, { ...rest, operation: "countersign", pdfBytes: new Uint8Array(pdfBytes), signer: signerFacts(signer) }, priority);
}

/**
 * issueCertificate in a worker: rendering, font subsetting and the seal's signature off the main
 * thread, with the worker's own fonts. Throws issueCertificate's errors, or {@link signInPool}'s.
 */
export async function issueInPool(
  pool: WorkerPool,
  template: CertificateTemplate,
  params: Omit<IssueCertificateParams, "fonts">,
  priority?: RunOptions["priority"],
): Promise<IssuedCertificate> {
  const { signer, ...rest } = params;
  const pdfBytes = await signInPool(pool, signer, { ...rest, operation: "issue", template, signer: signerFacts(signer) }, priority);
  return { pdfBytes, certificateIdentifier: template.certificateIdentifier };
}

/**
 * Runs the sign job; its signer's sign() answers here. Past a limit: 400 SIGN_LIMIT_EXCEEDED
 * (the input costs more to sign than a worker spends); else the pool's 503s.
 */
async function signInPool(pool: WorkerPool, signer: SealPdfParams["signer"], input: SignJobInput, priority?: RunOptions["priority"]): Promise<Uint8Array> {
  const transfer = input.operation === "issue" ? [] : [input.pdfBytes.buffer as ArrayBuffer];
  try {
    return await pool.run<Uint8Array>("sign", input, { transfer, host: signerHostFunctions(signer), priority });
  } catch (err) {
    if (!(err instanceof JobLimitError)) throw err;
    throw new BadRequestError("SIGN_LIMIT_EXCEEDED", `Signing the PDF passed the ${err.limit} limit of one job`, { cause: err });
  }
}
