// The service's store as the rest of the service sees it: documents a department issued, sealed or
// countersigned (metadata in SQLite, bytes content-addressed on disk), and operator API tokens
// (stored hashed). Implemented in server/store/ over better-sqlite3; nothing else touches SQL.
import type { DocumentKindName } from "../chain/merkle";

/** A document the service accepted. Its id is public (QR codes and URLs carry it). */
export interface DocumentRecord {
  /** Public id: the certificate identifier (证照标识) for issued certificates, else generated. */
  id: string;
  /** SHA-256 of the exact file, lowercase 0x-hex: what is anchored and the file's storage key. */
  docHashHex: string;
  kind: DocumentKindName;
  departmentCode: string;
  title: string;
  /** The document this one was made from (the sealed original of a countersignature), if any. */
  parentId?: string;
  createdAtMs: number;
  revocation?: { reasonCode: number; revokedAtMs: number; txHash: string };
}

/** An operator's identity, as an API token resolves to it. */
export interface OperatorIdentity {
  tokenId: string;
  departmentCode: string;
  label: string;
}

export interface DocumentStore {
  /** Stores the bytes (atomically, fsynced) and the record in one step; idempotent by docHashHex. */
  /**
   * Stores a document and queues its hash for anchoring in one transaction. `recordKeyHex` (a
   * certificate's record key, chain/record-key.ts) is queued in the same transaction right after it,
   * so a crash keeps both or neither, and the queue anchors the key as the next leaf.
   */
  addDocument(record: Omit<DocumentRecord, "docHashHex">, pdfBytes: Uint8Array, opts?: { recordKeyHex?: string }): Promise<DocumentRecord>;
  getDocument(id: string): DocumentRecord | undefined;
  getDocumentByHash(docHashHex: string): DocumentRecord | undefined;
  listDocuments(query: { departmentCode: string; limit: number; beforeId?: string }): DocumentRecord[];
  readPdf(docHashHex: string): Promise<Uint8Array | undefined>;
  markRevoked(id: string, revocation: NonNullable<DocumentRecord["revocation"]>): DocumentRecord;
}

/** A token as listed: never its secret, which is shown once when created and not kept. */
export interface TokenInfo extends OperatorIdentity {
  createdAtMs: number;
  expiresAtMs: number;
  revokedAtMs?: number;
}

/**
 * What a presented secret is: a valid token's operator, or why not. `expired` and `revoked` are
 * only said to whoever presents the whole secret; any other secret is `unknown`.
 */
export type TokenResolution =
  | { status: "valid"; operator: OperatorIdentity }
  | { status: "expired" | "revoked"; tokenId: string }
  | { status: "unknown" };

export interface TokenStore {
  /**
   * Creates a token for an operator of `departmentCode`, valid for `validDays` (default 90);
   * returns the secret once (only its hash is kept).
   */
  createToken(departmentCode: string, label: string, opts?: { validDays?: number }): { tokenId: string; secret: string; expiresAtMs: number };
  /** Resolves a presented secret. Constant-time compare. */
  resolveToken(secret: string): TokenResolution;
  /** Every token, newest first. */
  listTokens(): TokenInfo[];
  /** Revokes a token at once; NotFoundError TOKEN_NOT_FOUND, ConflictError TOKEN_ALREADY_REVOKED. */
  revokeToken(tokenId: string): TokenInfo;
}
