// The one TypeScript definition of a document's Merkle leaf and of a batch's tree, matching
// DocumentLedger.sol: leaf = keccak256(uint8 kind ‖ bytes32 docHash); inner nodes hash the sorted
// pair; the tree is @openzeppelin/merkle-tree's SimpleMerkleTree with leaves in batch order.
import { SimpleMerkleTree } from "@openzeppelin/merkle-tree";
// The package's core functions: the same tree SimpleMerkleTree builds, without its per-leaf ABI
// re-encoding and lookup map, which made rebuilding a 64-leaf batch 4x slower on every verification.
import { getProof, makeMerkleTree } from "@openzeppelin/merkle-tree/dist/core";
import { concat, getBytes, keccak256 } from "ethers";

/** Document kinds with their on-chain numbers (IDocumentLedger.DocumentKind); never renumber. */
export const DOCUMENT_KINDS = {
  certificate: 0,
  "sealed-document": 1,
  "commitment-letter": 2,
  "approval-decision": 3,
  filing: 4,
} as const;

export type DocumentKindName = keyof typeof DOCUMENT_KINDS;

/** Maps an on-chain kind number to its name, or undefined outside the enum. */
export function documentKindName(kind: number): DocumentKindName | undefined {
  return (Object.keys(DOCUMENT_KINDS) as DocumentKindName[]).find((name) => DOCUMENT_KINDS[name] === kind);
}

/** One document of a batch: its hash (0x-hex bytes32) and kind number. */
export interface BatchEntry {
  docHashHex: string;
  kind: number;
}

/** The Merkle leaf of a document, as DocumentLedger computes it: keccak256(uint8 kind ‖ bytes32 docHash). */
export function documentLeaf(entry: BatchEntry): string {
  const docHash = getBytes(entry.docHashHex);
  if (docHash.length !== 32) throw new RangeError(`a document hash is 32 bytes, got ${docHash.length}`);
  if (!Number.isInteger(entry.kind) || entry.kind < 0 || entry.kind > 255) throw new RangeError(`kind ${entry.kind} is not a uint8`);
  return keccak256(concat([Uint8Array.of(entry.kind), docHash]));
}

/** A batch's tree: its root, and the proof of the document at a batch position. */
export interface BatchTree {
  root: string;
  getProof(index: number): string[];
}

/**
 * Builds a batch's tree with leaves in batch order, so leaf i is the batch's i-th document: the
 * layout of SimpleMerkleTree.of(leaves, { sortLeaves: false }) (test/contracts checks both agree).
 */
export function buildBatchTree(entries: readonly BatchEntry[]): BatchTree {
  const tree = makeMerkleTree(entries.map(documentLeaf));
  return {
    root: tree[0],
    getProof: (index: number) => {
      if (!Number.isInteger(index) || index < 0 || index >= entries.length) {
        throw new RangeError(`no document at batch position ${index}`);
      }
      return getProof(tree, tree.length - 1 - index);
    },
  };
}

/** Checks a proof for `entry` against `rootHex` without a chain call. */
export function verifyBatchProof(rootHex: string, entry: BatchEntry, proof: readonly string[]): boolean {
  return SimpleMerkleTree.verify(rootHex, documentLeaf(entry), [...proof]);
}
