// The one TypeScript definition of a document's Merkle leaf and of a batch's tree, matching
// DocumentLedger.sol: leaf = keccak256(uint8 kind ‖ bytes32 docHash); inner nodes hash the sorted
// pair; the tree is @openzeppelin/merkle-tree's SimpleMerkleTree with leaves in batch order.
import { keccak_256 } from "@noble/hashes/sha3";

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
  return toHex(leafBytes(entry));
}

const BYTES32_HEX = /^0x[0-9a-fA-F]{64}$/;

function leafBytes(entry: BatchEntry): Uint8Array {
  if (!Number.isInteger(entry.kind) || entry.kind < 0 || entry.kind > 255) throw new RangeError(`kind ${entry.kind} is not a uint8`);
  const input = new Uint8Array(33);
  input[0] = entry.kind;
  if (BYTES32_HEX.test(entry.docHashHex)) {
    input.set(Buffer.from(entry.docHashHex.slice(2), "hex"), 1);
  } else {
    throw new RangeError(`a document hash is 32 bytes of 0x-hex, got ${JSON.stringify(entry.docHashHex.slice(0, 80))}`);
  }
  return keccak_256(input);
}

/** An inner node, as OpenZeppelin's MerkleProof hashes it: keccak256 of the sorted pair. */
function nodeBytes(a: Uint8Array, b: Uint8Array, scratch: Uint8Array): Uint8Array {
  const [first, second] = Buffer.compare(a, b) <= 0 ? [a, b] : [b, a];
  scratch.set(first, 0);
  scratch.set(second, 32);
  return keccak_256(scratch);
}

function toHex(bytes: Uint8Array): string {
  return "0x" + Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
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
  if (entries.length === 0) throw new RangeError("a batch has at least one document");
  // @openzeppelin/merkle-tree's layout (core.makeMerkleTree): node i's children are 2i+1 and 2i+2,
  // leaf i sits at tree.length-1-i. Hashed on bytes with @noble/hashes and hex-encoded once, as
  // the package's hex round trips per node made rebuilding a batch twice as slow.
  const tree = new Array<Uint8Array>(2 * entries.length - 1);
  for (const [i, entry] of entries.entries()) tree[tree.length - 1 - i] = leafBytes(entry);
  const scratch = new Uint8Array(64);
  for (let i = tree.length - 1 - entries.length; i >= 0; i--) tree[i] = nodeBytes(tree[2 * i + 1], tree[2 * i + 2], scratch);
  return {
    root: toHex(tree[0]),
    getProof: (index: number) => {
      if (!Number.isInteger(index) || index < 0 || index >= entries.length) {
        throw new RangeError(`no document at batch position ${index}`);
      }
      const proof: string[] = [];
      for (let node = tree.length - 1 - index; node > 0; node = Math.floor((node - 1) / 2)) {
        proof.push(toHex(tree[node % 2 === 1 ? node + 1 : node - 1]));
      }
      return proof;
    },
  };
}

/**
 * Checks a proof for `entry` against `rootHex` without a chain call: OpenZeppelin's
 * MerkleProof.processProof on bytes (sorted pairs, as the ledger's verifyInclusion does). False for
 * a root or proof element that is not 32 bytes of 0x-hex.
 */
export function verifyBatchProof(rootHex: string, entry: BatchEntry, proof: readonly string[]): boolean {
  if (!BYTES32_HEX.test(rootHex) || !proof.every((p) => BYTES32_HEX.test(p))) return false;
  const scratch = new Uint8Array(64);
  let node = leafBytes(entry);
  for (const sibling of proof) node = nodeBytes(node, Buffer.from(sibling.slice(2), "hex"), scratch);
  return toHex(node) === rootHex.toLowerCase();
}
