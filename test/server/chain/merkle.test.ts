// server/chain/merkle.ts builds batch trees with @openzeppelin/merkle-tree's core functions for
// speed; they must be exactly SimpleMerkleTree's trees (leaves in batch order), whose proofs
// OpenZeppelin's MerkleProof verifies on chain.
import { expect } from "chai";
import { SimpleMerkleTree } from "@openzeppelin/merkle-tree";
import { hexlify, randomBytes, solidityPackedKeccak256 } from "ethers";
import { buildBatchTree, documentLeaf, verifyBatchProof, type BatchEntry } from "../../../server/chain/merkle";

describe("batch Merkle trees", () => {
  const batch = (n: number): BatchEntry[] => Array.from({ length: n }, (_, i) => ({ docHashHex: hexlify(randomBytes(32)), kind: i % 5 }));

  it("computes the leaf as keccak256(abi.encodePacked(uint8 kind, bytes32 docHash))", () => {
    for (const entry of batch(20)) {
      expect(documentLeaf(entry)).to.equal(solidityPackedKeccak256(["uint8", "bytes32"], [entry.kind, entry.docHashHex]));
    }
  });

  it("builds the same root and proofs as SimpleMerkleTree with unsorted leaves, for sizes 1 to 70", () => {
    for (let n = 1; n <= 70; n++) {
      const entries = batch(n);
      const reference = SimpleMerkleTree.of(entries.map(documentLeaf), { sortLeaves: false });
      const tree = buildBatchTree(entries);
      expect(tree.root, `root of ${n}`).to.equal(reference.root);
      for (let i = 0; i < n; i++) {
        expect(tree.getProof(i), `proof ${i} of ${n}`).to.deep.equal(reference.getProof(i));
        expect(verifyBatchProof(tree.root, entries[i], tree.getProof(i))).to.equal(true);
      }
    }
  });

  it("rejects a proof for a wrong kind, a position outside the batch, and a hash that is not 32 bytes", () => {
    const entries = batch(9);
    const tree = buildBatchTree(entries);
    expect(verifyBatchProof(tree.root, { ...entries[3], kind: (entries[3].kind + 1) % 5 }, tree.getProof(3))).to.equal(false);
    expect(() => tree.getProof(9)).to.throw(RangeError);
    expect(() => documentLeaf({ docHashHex: "0x1234", kind: 0 })).to.throw(RangeError, /32 bytes/);
    expect(() => documentLeaf({ docHashHex: entries[0].docHashHex, kind: 256 })).to.throw(RangeError, /uint8/);
  });

  it("verifies proofs exactly as SimpleMerkleTree.verify does, for good, tampered, short and malformed proofs", () => {
    const entries = batch(13);
    const tree = buildBatchTree(entries);
    const flip = (hex: string) => hex.slice(0, -1) + (hex.endsWith("0") ? "1" : "0");
    for (let i = 0; i < entries.length; i++) {
      const proof = tree.getProof(i);
      const cases: Array<[string, string[]]> = [
        [tree.root, proof],
        [flip(tree.root), proof],
        [tree.root, proof.map((p, k) => (k === i % proof.length ? flip(p) : p))],
        [tree.root, proof.slice(1)],
        [tree.root, [...proof, proof[0]]],
      ];
      for (const [root, candidate] of cases) {
        const expected = SimpleMerkleTree.verify(root, documentLeaf(entries[i]), candidate);
        expect(verifyBatchProof(root, entries[i], candidate), `entry ${i}`).to.equal(expected);
      }
    }
    // Hex case does not change the bytes (SimpleMerkleTree.verify compares root strings as given).
    expect(verifyBatchProof(`0x${tree.root.slice(2).toUpperCase()}`, entries[0], tree.getProof(0))).to.equal(true);
    expect(verifyBatchProof(tree.root, entries[0], ["0x1234"])).to.equal(false);
    expect(verifyBatchProof("not a root", entries[0], tree.getProof(0))).to.equal(false);
  });
});
