// Evidence for an application: each document (one this node stores, or an uploaded PDF) is run
// through the verifier in the worker pool and must verify as valid and anchored; its anchoring
// (batch, issuing department, kind) and the Merkle proof the contract checks come from the
// verifier's anchor check (rebuilt from chain data, checked against the stored root), and the data
// rules may read from its report (the certificate's signed fields).
import { z } from "zod";
import { documentKindName } from "../chain/merkle";
import { BadRequestError, ChainUnavailableError, ConflictError, NotFoundError } from "../errors";
import type { DocumentStore } from "../store/types";
import type { ApplicationEvidence } from "../store/application-store";
import type { ChainReader } from "../verify/chain-reader";
import type { Report } from "../verify/types";
import { verifyInPool } from "../workers/pool-jobs";
import type { WorkerPool } from "../workers/worker-pool";
import type { EvidenceData } from "./types";

/** Evidence as an application names it: a stored document's id, or the PDF itself. */
export type EvidenceInput = { documentId: string } | { pdfBytes: Uint8Array };

/** A verified, anchored evidence document, not yet matched to a requirement. */
export interface VerifiedEvidence {
  docHashHex: string;
  documentId?: string;
  kind: number;
  departmentId: string;
  batchId: number;
  proof: string[];
  data?: EvidenceData;
}

/** What verifying evidence needs. */
export interface EvidenceDeps {
  documents: DocumentStore;
  pool: WorkerPool;
  /** The chain the verifier checks against; undefined: offline (no evidence can be accepted). */
  verifyChain: ChainReader | undefined;
  maxPdfBytes: number;
}

const EvidenceDataSchema = z.object({
  templateId: z.string(),
  certificateIdentifier: z.string(),
  fields: z.record(z.string(), z.string()),
});

const AnchorDataSchema = z.object({
  docHashHex: z.string(),
  departmentId: z.string(),
  batchId: z.number(),
  kind: z.number(),
  proof: z.array(z.string().regex(/^0x[0-9a-fA-F]{64}$/)),
});

/**
 * The certificate data the verifier's report exposes for a valid document (`report.certificateData`),
 * read structurally so that a report without it simply has no data.
 */
export function evidenceDataOf(report: Report): EvidenceData | undefined {
  if (report.verdict !== "valid") return undefined;
  const parsed = EvidenceDataSchema.safeParse((report as { certificateData?: unknown }).certificateData);
  return parsed.success ? parsed.data : undefined;
}

/** Verifies one evidence document; throws EVIDENCE_* errors naming the verifier's reason. */
export async function verifyEvidence(deps: EvidenceDeps, input: EvidenceInput, index: number): Promise<VerifiedEvidence> {
  let pdfBytes: Uint8Array;
  let documentId: string | undefined;
  if ("documentId" in input) {
    const record = deps.documents.getDocument(input.documentId);
    if (!record) throw new NotFoundError("EVIDENCE_NOT_FOUND", `evidence[${index}]: no document ${input.documentId} on this node`);
    const bytes = await deps.documents.readPdf(record.docHashHex);
    if (!bytes) throw new NotFoundError("DOCUMENT_FILE_MISSING", `evidence[${index}]: the file of document ${input.documentId} is not in this node's store`);
    pdfBytes = bytes;
    documentId = record.id;
  } else {
    pdfBytes = input.pdfBytes;
  }
  if (!deps.verifyChain) throw new ConflictError("EVIDENCE_NOT_ANCHORED", "This node verifies offline: evidence cannot be checked against the chain");
  // A stored document's bytes were read for this check alone: handed over, never copied.
  const report = await verifyInPool(deps.pool, pdfBytes, { chain: deps.verifyChain, limits: { maxBytes: deps.maxPdfBytes }, handOver: documentId !== undefined });
  if (report.verdict === "error") {
    throw new BadRequestError("EVIDENCE_UNREADABLE", `evidence[${index}] cannot be read as a PDF (${report.code ?? "error"}): ${report.reason}`);
  }
  if (report.verdict === "unknown" && report.code === "CHAIN_UNREACHABLE") {
    // Nothing is accepted: the applicant's request is answered 503 and can be sent again as is.
    throw new ChainUnavailableError("CHAIN_UNREACHABLE", `evidence[${index}] cannot be checked: the chain is unreachable; send the application again later`);
  }
  if (report.verdict !== "valid") {
    const revoked = report.code === "DOCUMENT_REVOKED";
    const notAnchored = report.code === "NOT_ANCHORED";
    const code = revoked ? "EVIDENCE_REVOKED" : notAnchored ? "EVIDENCE_NOT_ANCHORED" : "EVIDENCE_NOT_VALID";
    throw new ConflictError(code, `evidence[${index}] does not verify as valid (${report.verdict}, ${report.code ?? "no code"}): ${report.reason}`);
  }
  const anchorCheck = report.checks.find((c) => c.id === "anchor");
  const anchor = AnchorDataSchema.safeParse(anchorCheck?.data);
  if (anchorCheck?.status !== "valid" || !anchor.success) {
    throw new ConflictError("EVIDENCE_NOT_ANCHORED", `evidence[${index}] is not anchored by the department that signed it`);
  }
  // The verifier rebuilt the anchoring from chain data and checked its proof against the stored
  // root; the contract checks the same proof again when the decision cites it.
  const record = anchor.data;
  if (!documentKindName(record.kind)) throw new ConflictError("EVIDENCE_NOT_ANCHORED", `evidence[${index}]: anchored with an unknown kind`);
  return {
    docHashHex: record.docHashHex.toLowerCase(),
    documentId,
    kind: record.kind,
    departmentId: record.departmentId.toLowerCase(),
    batchId: record.batchId,
    proof: record.proof,
    data: evidenceDataOf(report),
  };
}

/** The contract's Evidence struct of a cited document. */
export function evidenceStruct(e: Pick<ApplicationEvidence, "docHashHex" | "kind" | "batchId" | "proof">) {
  return { docHash: e.docHashHex, kind: e.kind, batchId: e.batchId, proof: e.proof };
}
