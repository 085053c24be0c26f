// GET /api/records/{id}: the anchored record of a document as the chain holds it, for the page a
// certificate's QR code opens. With `k` (the record salt the QR URL carries) any node finds it from
// chain data alone (chain/find-record.ts); without it, only a node that stores the document knows
// its hash. Public, and public-safe: kind, department, anchoring, status; nothing from the file.
import { decodeBytes32String, encodeBytes32String } from "ethers";
import { Router } from "express";
import { z } from "zod";
import type { AnchorRecord } from "../chain/anchor-lookup";
import { documentKindName, type DocumentKindName } from "../chain/merkle";
import { RECORD_SALT, recordKeyHash } from "../chain/record-key";
import type { RecordFinder } from "../chain/find-record";
import { ChainUnavailableError, NotFoundError } from "../errors";
import type { ChainReader } from "../verify/chain-reader";
import type { RouterDeps } from "./app";
import { DocumentIdParamsSchema } from "./schemas";
import { parseRequest } from "./validate";

const RecordQuerySchema = z.strictObject({ k: z.string().regex(RECORD_SALT, "must be the 32 hex digits of the QR code's link").optional() });

/** The record page's data. */
export interface RecordView {
  id: string;
  /** How this node found the document's hash: from the QR link's record key, or from its own store. */
  foundBy: "record-key" | "own-store";
  docHashHex: string;
  kind: DocumentKindName;
  department: { id: string; code?: string; name?: string };
  status: "valid" | "revoked";
  anchoring: {
    batchId: number;
    index: number;
    batchSize: number;
    rootHex: string;
    proof: string[];
    txHash: string;
    blockNumber: number;
    anchoredAt: string;
  };
  revocation?: { reasonCode: number; revokedAt: string };
}

export function recordsRouter(deps: RouterDeps): Router {
  const router = Router();
  router.get("/api/records/:id", deps.publicLimiter, async (req, res) => {
    const { id } = parseRequest(DocumentIdParamsSchema, req.params, "params");
    const { k } = parseRequest(RecordQuerySchema, req.query, "query");
    const chain = deps.chain;
    if (!chain || !deps.records) throw new ChainUnavailableError("OFFLINE", "This node runs without a chain; it cannot read records");
    const found = k ? await deps.records.findByRecordKey(recordKeyHash(id, k)) : await ownAnchoring(deps, chain, id);
    if (!found) {
      throw new NotFoundError(
        "RECORD_NOT_FOUND",
        k ? `The ledger holds no record for ${id} with this link's key (not anchored yet, or the link was altered)` : `This node holds no anchored document ${id}; the QR code's link carries the key any node needs`,
      );
    }
    res.json(await recordView(chain, id, k ? "record-key" : "own-store", found));
  });
  return router;
}

/** A document this node stores: its hash from the store, its anchoring from the chain. */
async function ownAnchoring(deps: RouterDeps, chain: ChainReader, id: string): Promise<{ docHashHex: string; anchor: AnchorRecord } | undefined> {
  const record = deps.documents.getDocument(id);
  if (!record) return undefined;
  const departmentId = encodeBytes32String(record.departmentCode).toLowerCase();
  const anchor = (await chain.findAnchors(record.docHashHex)).find((a) => a.departmentId === departmentId);
  return anchor ? { docHashHex: record.docHashHex, anchor } : undefined;
}

async function recordView(
  chain: ChainReader,
  id: string,
  foundBy: RecordView["foundBy"],
  { docHashHex, anchor }: { docHashHex: string; anchor: AnchorRecord },
): Promise<RecordView> {
  const [revocation, name] = await Promise.all([chain.revocation(docHashHex, anchor.departmentId), chain.departmentName(anchor.departmentId)]);
  const kind = documentKindName(anchor.kind);
  if (!kind) throw new Error(`the ledger returned kind ${anchor.kind}, outside DocumentKind`);
  return {
    id,
    foundBy,
    docHashHex,
    kind,
    department: { id: anchor.departmentId, ...codeOf(anchor.departmentId), ...(name ? { name } : {}) },
    status: revocation ? "revoked" : "valid",
    anchoring: {
      batchId: anchor.batchId,
      index: anchor.index,
      batchSize: anchor.batchSize,
      rootHex: anchor.rootHex,
      proof: anchor.proof,
      txHash: anchor.txHash,
      blockNumber: anchor.blockNumber,
      anchoredAt: new Date(anchor.anchoredAtSec * 1000).toISOString(),
    },
    ...(revocation ? { revocation: { reasonCode: revocation.reasonCode, revokedAt: new Date(revocation.revokedAtSec * 1000).toISOString() } } : {}),
  };
}

function codeOf(departmentId: string): { code?: string } {
  try {
    return { code: decodeBytes32String(departmentId) };
  } catch {
    // Not a bytes32 string (another registry's id scheme): the hex id is the only name.
    return {};
  }
}
