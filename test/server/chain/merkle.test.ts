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
});
