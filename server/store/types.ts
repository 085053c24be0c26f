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
  addDocument(record: Omit<DocumentRecord, "docHashHex">, pdfBytes: Uint8Array): Promise<DocumentRecord>;
  getDocument(id: string): DocumentRecord | undefined;
  getDocumentByHash(docHashHex: string): DocumentRecord | undefined;
  listDocuments(query: { departmentCode: string; limit: number; beforeId?: string }): DocumentRecord[];
  readPdf(docHashHex: string): Promise<Uint8Array | undefined>;
  markRevoked(id: string, revocation: NonNullable<DocumentRecord["revocation"]>): DocumentRecord;
}

export interface TokenStore {
  /** Creates a token for an operator of `departmentCode`; returns the secret once (only its hash is kept). */
  createToken(departmentCode: string, label: string): { tokenId: string; secret: string };
  /** Resolves a presented secret, or undefined (unknown or revoked token). Constant-time compare. */
  resolveToken(secret: string): OperatorIdentity | undefined;
}
