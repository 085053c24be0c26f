// The verifier's public types: one record per check, and the one Report every door (library, CLI,
// HTTP, public page) returns. Reports are public-safe: no raw errors, RPC URLs or stack traces.
import type { ReasonCode } from "./reasons";

export type CheckStatus = "valid" | "invalid" | "unknown" | "skipped" | "error";

/** The checks, in the order the verifier runs them. */
export type CheckName =
  | "structure"
  | "byte-range"
  | "signature-integrity"
  | "modifications"
  | "anchor"
  | "signer-key"
  | "revocation";

/** One check's answer. Per-signature checks give one result per signature, with `signature` set. */
export interface CheckResult<D extends object = Record<string, unknown>> {
  id: CheckName;
  status: CheckStatus;
  /** Required unless status is valid. */
  code?: ReasonCode;
  /** One sentence a clerk can read. */
  reason?: string;
  /** Index of the signature this result is about (PdfSignature.index). */
  signature?: number;
  data?: D;
}

export type Verdict = "valid" | "invalid" | "unknown" | "error";

/** What the report says about each signature, for people and pages. */
export interface SignatureSummary {
  index: number;
  fieldName?: string;
  subFilter?: string;
  /** The signer certificate's subject, e.g. "CN=市场监督管理局 seal, O=市场监督管理局". */
  signerSubject?: string;
  /** Registry key id: keccak256 of the signer certificate's DER SubjectPublicKeyInfo. */
  keyIdHex?: string;
  algorithm?: string;
  /** Claimed signing time (from the signed attributes): informative, not trusted. */
  signingTime?: string;
  /** Whether the signed ranges cover the whole file as it is now. */
  coversWholeFile: boolean;
  /** The revision the signature belongs to. */
  revision: number;
  /** Filled from the registry when the key is known. */
  departmentId?: string;
  departmentName?: string;
  role?: string;
}

/**
 * The data a ZeroSign certificate carries about itself: the embedded `zerosign-certificate.json`
 * (schema "zerosign.certificate/1"), written by the issuer in the revision its seal signs. Only
 * versioned additions may come; a rule that reads it (秒批) reads what the department signed.
 */
export interface CertificateData {
  schema: "zerosign.certificate/1";
  templateId: string;
  certificateIdentifier: string;
  /** The issuing department's registry code. */
  issuingDepartment: string;
  /** ISO 8601 instant the certificate was issued (signed). */
  issuedAt: string;
  /** Every field of the certificate, by name (holder labels as printed, plus documentNumber, dates). */
  fields: Record<string, string>;
}

export interface Report {
  verdict: Verdict;
  /** Why the verdict is what it is: the first deciding check's reason, or a summary. */
  code?: ReasonCode;
  reason: string;
  checks: CheckResult[];
  signatures: SignatureSummary[];
  document?: { sha256Hex: string; bytes: number; revisions: number; pages: number };
  /**
   * The certificate's embedded data, present only when that attachment lies in a revision an
   * intact signature covers (byte range, CMS digest and later changes all valid for it). It is
   * never used to derive the verdict: read the verdict first, then the data.
   */
  certificateData?: CertificateData;
}
