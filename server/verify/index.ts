// The verifier as a library: verifyPdf and the types of what it returns. CLI, HTTP and the page
// use only this module.
export { verifyPdf, type VerifyOptions } from "./verifier";
export { createCertificateCache, type CertificateCache } from "./certificate-cache";
export { REASONS, reasonText, type ReasonCode } from "./reasons";
export type { CertificateData, CheckName, CheckResult, CheckStatus, Report, SignatureSummary, Verdict } from "./types";
export type { ChainReader, DocumentRevocation, KeyAtTime, KeyStatusName } from "./chain-reader";
export type { PdfReadLimits } from "../pdf/read/types";
export { DEFAULT_PDF_READ_LIMITS } from "../pdf/read/types";
