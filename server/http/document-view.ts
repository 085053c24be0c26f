// How a stored document looks in responses: the staff view (the department's own list and every
// staff action) and the public view of GET /api/documents/{id}, which carries status, kind,
// issuing department, anchor and revocation, and never the title or anything else from the file.
import type { AnchorQueue, AnchorState, AnchorStatus } from "../anchor/types";
import { documentKindName, type DocumentKindName } from "../chain/merkle";
import type { DocumentRecord, DocumentStore } from "../store/types";

/** Where a document stands on the chain, as responses show it. */
export interface AnchoringView {
  status: AnchorStatus;
  txHash?: string;
  /** Set once confirmed: the batch, its block and the Merkle proof, rebuilt from chain data. */
  anchor?: {
    batchId: number;
    index: number;
    batchSize: number;
    kind: DocumentKindName;
    rootHex: string;
    proof: string[];
    txHash: string;
    blockNumber: number;
    anchoredAt: string;
  };
  /** Why the last submission failed (public-safe), while the queue retries. */
  lastError?: string;
}

export interface RevocationView {
  reasonCode: number;
  revokedAt: string;
  txHash: string;
}

/** A document as its department's operators see it. */
export interface StaffDocumentView {
  id: string;
  docHashHex: string;
  kind: DocumentKindName;
  departmentCode: string;
  title: string;
  parentId?: string;
  createdAt: string;
  anchoring: AnchoringView;
  revocation?: RevocationView;
}

/** A document as anyone sees it: no title, nothing from the file's content. */
export interface PublicDocumentView {
  id: string;
  docHashHex: string;
  kind: DocumentKindName;
  /** valid until its department revokes it; 注销/吊销 are told apart by revocation.reasonCode. */
  status: "valid" | "revoked";
  department: { code: string; name?: string };
  parentId?: string;
  anchoring: AnchoringView;
  revocation?: RevocationView;
}

export function staffView(record: DocumentRecord, state: AnchorState | undefined): StaffDocumentView {
  return {
    id: record.id,
    docHashHex: record.docHashHex,
    kind: record.kind,
    departmentCode: record.departmentCode,
    title: record.title,
    ...(record.parentId ? { parentId: record.parentId } : {}),
    createdAt: new Date(record.createdAtMs).toISOString(),
    anchoring: anchoringView(state),
    ...(record.revocation ? { revocation: revocationView(record.revocation) } : {}),
  };
}

export function publicView(record: DocumentRecord, state: AnchorState | undefined, departmentName: string | undefined): PublicDocumentView {
  return {
    id: record.id,
    docHashHex: record.docHashHex,
    kind: record.kind,
    status: record.revocation ? "revoked" : "valid",
    department: { code: record.departmentCode, ...(departmentName ? { name: departmentName } : {}) },
    ...(record.parentId ? { parentId: record.parentId } : {}),
    anchoring: anchoringView(state),
    ...(record.revocation ? { revocation: revocationView(record.revocation) } : {}),
  };
}

/**
 * Stores a new document and queues its hash for anchoring; returns the staff view. A record key
 * (chain/record-key.ts) is queued right after it, in the store's transaction, so the queue anchors
 * it as the next leaf of the same department: the one the record page finds the certificate by.
 */
export async function acceptDocument(
  deps: { documents: DocumentStore; anchors: AnchorQueue },
  record: Omit<DocumentRecord, "docHashHex">,
  pdfBytes: Uint8Array,
  opts: { recordKeyHex?: string } = {},
): Promise<StaffDocumentView> {
  const stored = await deps.documents.addDocument(record, pdfBytes, opts);
  // Already queued by the store's transaction; this wakes the department's anchoring worker.
  const state = deps.anchors.enqueue({ docHashHex: stored.docHashHex, kind: stored.kind, departmentCode: stored.departmentCode });
  return staffView(stored, state);
}

/** A document the queue has no state for reads as pending: acceptDocument queues every document it stores. */
function anchoringView(state: AnchorState | undefined): AnchoringView {
  if (!state) return { status: "pending" };
  const a = state.anchor;
  const kind = a ? documentKindName(a.kind) : undefined;
  return {
    status: state.status,
    ...(state.txHash ? { txHash: state.txHash } : {}),
    ...(a && kind
      ? {
          anchor: {
            batchId: a.batchId,
            index: a.index,
            batchSize: a.batchSize,
            kind,
            rootHex: a.rootHex,
            proof: a.proof,
            txHash: a.txHash,
            blockNumber: a.blockNumber,
            anchoredAt: new Date(a.anchoredAtSec * 1000).toISOString(),
          },
        }
      : {}),
    ...(state.lastError ? { lastError: state.lastError } : {}),
  };
}

function revocationView(r: NonNullable<DocumentRecord["revocation"]>): RevocationView {
  return { reasonCode: r.reasonCode, revokedAt: new Date(r.revokedAtMs).toISOString(), txHash: r.txHash };
}
