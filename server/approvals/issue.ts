// Issuing what a decision produces, through the same steps POST /api/certificates takes (template,
// generated identifier, issueCertificate with the owning department's seal, store, anchoring
// queue): the certificate of an approved application, and the documents a path cites itself
// (the commitment letter 告知承诺书, the self-review filing 自审备案材料). A signed path's
// certificate is then countersigned by each signer, so its PDF signatures match the decision's.
import { createHash } from "node:crypto";
import type { AnchorQueue } from "../anchor/types";
import { newRecordSalt, recordKeyHash } from "../chain/record-key";
import type { DocumentKindName } from "../chain/merkle";
import { generateCertificateIdentifier } from "../pdf/certificate-identifier";
import type { CertificateFonts } from "../pdf/fonts";
import { parseTemplate } from "../pdf/template";
import type { SigningRole } from "../pki/dev-pki";
import type { Signer } from "../pki/signer";
import type { DocumentRecord, DocumentStore } from "../store/types";
import { countersignInPool, issueInPool } from "../workers/pool-jobs";
import type { RunOptions } from "../workers/worker-pool";

/** The pool lane a document's rendering and signing take (workers/worker-pool.ts). */
type JobPriority = RunOptions["priority"];
import type { WorkerPool } from "../workers/worker-pool";

/** A department this node signs for, as the approvals service needs it. */
export interface ApprovalDepartment {
  code: string;
  name: string;
  signerFor(role: SigningRole): Signer;
}

export interface IssueDeps {
  documents: DocumentStore;
  anchors: AnchorQueue;
  pool: WorkerPool;
  fonts: CertificateFonts;
  publicBaseUrl: string;
  maxPdfBytes: number;
}

/** What goes on the document. */
export interface IssueRequest {
  kind: DocumentKindName & ("certificate" | "commitment-letter" | "sealed-document");
  title: string;
  holder: Array<{ label: string; value: string }>;
  documentNumber: string;
  body?: string;
  validUntil?: string;
}

/** Beijing's calendar day, YYYY-MM-DD. */
export function beijingDay(nowMs: number): string {
  return new Date(nowMs + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * Issues, stores and queues one document sealed by `department`; returns its record. With
 * `identifier` (see {@link stableIdentifier}) a document already stored under it is returned as is:
 * issuing again after a crash gives the same document, never a second one.
 */
export async function issueDocument(
  deps: IssueDeps,
  department: ApprovalDepartment,
  request: IssueRequest,
  nowMs: number,
  opts: { storedKind?: DocumentKindName; identifier?: string; priority?: JobPriority } = {},
): Promise<DocumentRecord> {
  const existing = opts.identifier === undefined ? undefined : deps.documents.getDocument(opts.identifier);
  if (existing) return existing;
  const issueDate = beijingDay(nowMs);
  const template = parseTemplate({
    ...request,
    issueDate,
    department: { code: department.code, name: department.name },
    certificateIdentifier: opts.identifier ?? generateCertificateIdentifier({ departmentCode: department.code, issueDate }),
  });
  // The QR link's record key, anchored right after the document, as POST /api/certificates does.
  const recordSaltHex = newRecordSalt();
  const { pdfBytes, certificateIdentifier } = await issueInPool(deps.pool, template, {
    publicBaseUrl: deps.publicBaseUrl,
    signer: department.signerFor("seal"),
    signingTime: new Date(nowMs),
    recordSaltHex,
  }, opts.priority);
  return store(
    deps,
    { id: certificateIdentifier, kind: opts.storedKind ?? request.kind, departmentCode: department.code, title: template.title, createdAtMs: nowMs },
    pdfBytes,
    recordKeyHash(certificateIdentifier, recordSaltHex),
  );
}

/**
 * A certificate identifier derived from the application's secret salt, its id and `purpose`: the
 * same on every attempt (so a retry finds what an earlier one stored), unguessable to anyone else.
 */
export function stableIdentifier(app: { saltHex: string; id: string }, departmentCode: string, purpose: string, dayMs: number): string {
  const digest = createHash("sha256").update(`${app.saltHex}|${app.id}|${purpose}`).digest();
  return generateCertificateIdentifier({ departmentCode, issueDate: beijingDay(dayMs), randomBytes: (n) => digest.subarray(0, n) });
}

/**
 * Countersigns `parent` with each of `signers` in order (staff, then chief) in the worker pool;
 * the result is anchored by the last signer's department, whose signature closes the file (that is
 * what a verifier compares the anchoring department with).
 */
export async function countersignDocument(
  deps: IssueDeps,
  parent: DocumentRecord,
  signers: ReadonlyArray<{ department: ApprovalDepartment; role: "staff" | "chief" }>,
  nowMs: number,
  identifier?: string,
  priority?: JobPriority,
): Promise<DocumentRecord> {
  const existing = identifier === undefined ? undefined : deps.documents.getDocument(identifier);
  if (existing) return existing;
  let bytes = await deps.documents.readPdf(parent.docHashHex);
  if (!bytes) throw new Error(`the file of ${parent.id} is not in the store`);
  for (const { department, role } of signers) {
    bytes = await countersignInPool(deps.pool, bytes, {
      signer: department.signerFor(role),
      departmentName: department.name,
      role,
      signingTime: new Date(nowMs),
      maxPdfBytes: deps.maxPdfBytes,
    }, priority);
  }
  const last = signers[signers.length - 1].department;
  return store(
    deps,
    {
      id: identifier ?? generateCertificateIdentifier({ departmentCode: last.code, issueDate: beijingDay(nowMs) }),
      kind: parent.kind,
      departmentCode: last.code,
      title: parent.title,
      parentId: parent.id,
      createdAtMs: nowMs,
    },
    bytes,
  );
}

async function store(deps: IssueDeps, record: Omit<DocumentRecord, "docHashHex">, pdfBytes: Uint8Array, recordKeyHex?: string): Promise<DocumentRecord> {
  const stored = await deps.documents.addDocument(record, pdfBytes, { recordKeyHex });
  deps.anchors.enqueue({ docHashHex: stored.docHashHex, kind: stored.kind, departmentCode: stored.departmentCode });
  return stored;
}
