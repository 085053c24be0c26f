// The one TypeScript definition of a document's Merkle leaf and of a batch's tree, matching
// DocumentLedger.sol: leaf = keccak256(uint8 kind ‖ bytes32 docHash); inner nodes hash the sorted
// pair; the tree is @openzeppelin/merkle-tree's SimpleMerkleTree with leaves in batch order.
import { SimpleMerkleTree } from "@openzeppelin/merkle-tree";
import { solidityPackedKeccak256 } from "ethers";

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

/** The Merkle leaf of a document, as DocumentLedger computes it. */
export function documentLeaf(entry: BatchEntry): string {
  return solidityPackedKeccak256(["uint8", "bytes32"], [entry.kind, entry.docHashHex]);
}

/** Builds a batch's tree with leaves in batch order, so leaf i is the batch's i-th document. */
export function buildBatchTree(entries: readonly BatchEntry[]): SimpleMerkleTree {
  return SimpleMerkleTree.of(entries.map(documentLeaf), { sortLeaves: false });
}

/** The proof for the batch's document at `index` (batch order). */
export function batchProof(tree: SimpleMerkleTree, index: number): string[] {
  return tree.getProof(index);
}

/** Checks a proof for `entry` against `rootHex` without a chain call. */
export function verifyBatchProof(rootHex: string, entry: BatchEntry, proof: readonly string[]): boolean {
  return SimpleMerkleTree.verify(rootHex, documentLeaf(entry), [...proof]);
}
