// DocumentLedger: anchoring. Who may anchor (active operators only), which batches are refused,
// and that the root the contract computes in assembly is exactly @openzeppelin/merkle-tree's
// root over our leaves (server/chain/merkle.ts) for many batch sizes and every kind.
// Revocation is in document-ledger-revocation.test.ts; lookup from logs in anchor-lookup.test.ts.
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroHash } from "ethers";
import { buildBatchTree, documentLeaf, DOCUMENT_KINDS } from "../../../server/chain/merkle";
import { anchorEntries, departmentsFixture, docHashOf, kindsOf, makeBatch, MCA, SAMR } from "../fixtures";

const ROOT_CHECK_SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 33, 100, 256];

describe("DocumentLedger: anchoring", function () {
  it("anchors a batch for an operator's department, emitting BatchAnchored with id, department, root, size and kinds", async function () {
    const { ledger, samrOperator } = await loadFixture(departmentsFixture);
    const entries = makeBatch("first", 5);
    const hashes = entries.map((entry) => entry.docHashHex);
    const root = buildBatchTree(entries).root;

    expect(await ledger.connect(samrOperator).anchorBatch.staticCall(hashes, kindsOf(entries))).to.deep.equal([1n, root]);
    await expect(ledger.connect(samrOperator).anchorBatch(hashes, kindsOf(entries)))
      .to.emit(ledger, "BatchAnchored")
      .withArgs(1n, SAMR, root, 5n, "0x0001020304");

    expect(await ledger.batchCount()).to.equal(1n);
    expect([...(await ledger.batch(1))]).to.deep.equal([root, SAMR]);
  });

  it("numbers batches 1, 2, … and records each batch's department", async function () {
    const { ledger, samrOperator, mcaOperator } = await loadFixture(departmentsFixture);
    const first = makeBatch("samr", 2);
    const second = makeBatch("mca", 3);
    expect((await anchorEntries(ledger, samrOperator, first)).batchId).to.equal(1);
    expect((await anchorEntries(ledger, mcaOperator, second)).batchId).to.equal(2);
    expect([...(await ledger.batch(1))]).to.deep.equal([buildBatchTree(first).root, SAMR]);
    expect([...(await ledger.batch(2))]).to.deep.equal([buildBatchTree(second).root, MCA]);
    expect(await ledger.batchCount()).to.equal(2n);
  });

  it("emits the batch's hashes as anonymous data-less logs, four to a log in batch order, before BatchAnchored", async function () {
    const { ledger, samrOperator } = await loadFixture(departmentsFixture);
    const entries = makeBatch("logs", 7);
    const { receipt } = await anchorEntries(ledger, samrOperator, entries);
    const hashes = entries.map((entry) => entry.docHashHex);

    expect(receipt.logs.slice(0, 2).map((log) => ({ data: log.data, topics: [...log.topics] }))).to.deep.equal([
      { data: "0x", topics: hashes.slice(0, 4) },
      { data: "0x", topics: hashes.slice(4, 7) },
    ]);
    expect(receipt.logs).to.have.length(3);
    const anchored = ledger.interface.parseLog(receipt.logs[2]);
    expect(anchored?.name).to.equal("BatchAnchored");
    expect(anchored?.args.toArray()).to.deep.equal([1n, SAMR, buildBatchTree(entries).root, 7n, kindsOf(entries)]);
  });

  it("rejects anchoring by an account that is no operator, or the bureau, with DocumentLedgerNotOperator", async function () {
    const { ledger, outsider, bureau } = await loadFixture(departmentsFixture);
    const entries = makeBatch("stranger", 2);
    for (const account of [outsider, bureau]) {
      await expect(ledger.connect(account).anchorBatch(entries.map((e) => e.docHashHex), kindsOf(entries)))
        .to.be.revertedWithCustomError(ledger, "DocumentLedgerNotOperator")
        .withArgs(account.address);
    }
    expect(await ledger.batchCount()).to.equal(0n);
  });

  it("rejects anchoring by a removed operator with DocumentLedgerNotOperator", async function () {
    const { registry, ledger, bureau, samrOperator } = await loadFixture(departmentsFixture);
    await registry.connect(bureau).removeOperator(SAMR, samrOperator.address);
    const entries = makeBatch("removed", 2);
    await expect(ledger.connect(samrOperator).anchorBatch(entries.map((e) => e.docHashHex), kindsOf(entries)))
      .to.be.revertedWithCustomError(ledger, "DocumentLedgerNotOperator")
      .withArgs(samrOperator.address);
  });

  it("rejects anchoring by a deactivated department's operator with DocumentLedgerNotOperator", async function () {
    const { registry, ledger, bureau, samrOperator, mcaOperator } = await loadFixture(departmentsFixture);
    await registry.connect(bureau).deactivateDepartment(SAMR);
    const entries = makeBatch("closed", 2);
    await expect(ledger.connect(samrOperator).anchorBatch(entries.map((e) => e.docHashHex), kindsOf(entries)))
      .to.be.revertedWithCustomError(ledger, "DocumentLedgerNotOperator")
      .withArgs(samrOperator.address);
    expect((await anchorEntries(ledger, mcaOperator, entries)).batchId).to.equal(1);
  });

  it("rejects an empty batch with DocumentLedgerInvalidBatchSize(0)", async function () {
    const { ledger, samrOperator } = await loadFixture(departmentsFixture);
    await expect(ledger.connect(samrOperator).anchorBatch([], "0x"))
      .to.be.revertedWithCustomError(ledger, "DocumentLedgerInvalidBatchSize")
      .withArgs(0);
  });

  it("accepts exactly MAX_BATCH_SIZE documents and rejects one more with DocumentLedgerInvalidBatchSize", async function () {
    const { ledger, samrOperator } = await loadFixture(departmentsFixture);
    const max = Number(await ledger.MAX_BATCH_SIZE());
    expect(max).to.equal(4096);
    const tooMany = makeBatch("huge", max + 1);
    await expect(ledger.connect(samrOperator).anchorBatch(tooMany.map((e) => e.docHashHex), kindsOf(tooMany)))
      .to.be.revertedWithCustomError(ledger, "DocumentLedgerInvalidBatchSize")
      .withArgs(max + 1);

    const full = tooMany.slice(0, max);
    await anchorEntries(ledger, samrOperator, full);
    expect((await ledger.batch(1)).root).to.equal(buildBatchTree(full).root);
  });

  it("rejects kinds of another length than the hashes with DocumentLedgerKindsLengthMismatch", async function () {
    const { ledger, samrOperator } = await loadFixture(departmentsFixture);
    const hashes = makeBatch("mismatch", 3).map((e) => e.docHashHex);
    await expect(ledger.connect(samrOperator).anchorBatch(hashes, "0x0001"))
      .to.be.revertedWithCustomError(ledger, "DocumentLedgerKindsLengthMismatch")
      .withArgs(3, 2);
    await expect(ledger.connect(samrOperator).anchorBatch(hashes, "0x00010203"))
      .to.be.revertedWithCustomError(ledger, "DocumentLedgerKindsLengthMismatch")
      .withArgs(3, 4);
  });

  it("rejects a kind outside DocumentKind with DocumentLedgerInvalidKind naming the index and the kind", async function () {
    const { ledger, samrOperator } = await loadFixture(departmentsFixture);
    const hashes = makeBatch("kinds", 4).map((e) => e.docHashHex);
    await expect(ledger.connect(samrOperator).anchorBatch(hashes, "0x00010504"))
      .to.be.revertedWithCustomError(ledger, "DocumentLedgerInvalidKind")
      .withArgs(2, 5);
    await expect(ledger.connect(samrOperator).anchorBatch(hashes, "0xff010507"))
      .to.be.revertedWithCustomError(ledger, "DocumentLedgerInvalidKind")
      .withArgs(0, 255);
    expect(await ledger.batchCount()).to.equal(0n);
  });

  it("rejects a zero document hash with DocumentLedgerInvalidDocHash naming the first bad index", async function () {
    const { ledger, samrOperator } = await loadFixture(departmentsFixture);
    const hashes = makeBatch("zero", 5).map((e) => e.docHashHex);
    hashes[3] = ZeroHash;
    await expect(ledger.connect(samrOperator).anchorBatch(hashes, "0x0001020304"))
      .to.be.revertedWithCustomError(ledger, "DocumentLedgerInvalidDocHash")
      .withArgs(3);
    // The first faulty index wins, whichever rule it breaks; at one index the zero hash is named.
    await expect(ledger.connect(samrOperator).anchorBatch(hashes, "0x0001090304"))
      .to.be.revertedWithCustomError(ledger, "DocumentLedgerInvalidKind")
      .withArgs(2, 9);
    await expect(ledger.connect(samrOperator).anchorBatch(hashes, "0x0001020904"))
      .to.be.revertedWithCustomError(ledger, "DocumentLedgerInvalidDocHash")
      .withArgs(3);
    await expect(ledger.connect(samrOperator).anchorBatch(hashes, "0x0001020309"))
      .to.be.revertedWithCustomError(ledger, "DocumentLedgerInvalidDocHash")
      .withArgs(3);
  });

  it("rejects reading batch 0 or a batch beyond batchCount with DocumentLedgerUnknownBatch", async function () {
    const { ledger, samrOperator } = await loadFixture(departmentsFixture);
    await anchorEntries(ledger, samrOperator, makeBatch("one", 1));
    for (const batchId of [0, 2]) {
      await expect(ledger.batch(batchId))
        .to.be.revertedWithCustomError(ledger, "DocumentLedgerUnknownBatch")
        .withArgs(batchId);
    }
  });
});

describe("DocumentLedger: on-chain root against @openzeppelin/merkle-tree", function () {
  for (const size of ROOT_CHECK_SIZES) {
    it(`computes the same root as buildBatchTree for a batch of ${size}`, async function () {
      const { ledger, samrOperator } = await loadFixture(departmentsFixture);
      const entries = makeBatch(`size-${size}`, size, size % 5);
      const expected = buildBatchTree(entries).root;
      const { receipt } = await anchorEntries(ledger, samrOperator, entries);
      expect((await ledger.batch(1)).root).to.equal(expected);
      expect(ledger.interface.parseLog(receipt.logs[receipt.logs.length - 1])?.args.root).to.equal(expected);
    });
  }

  for (const [name, kind] of Object.entries(DOCUMENT_KINDS)) {
    it(`uses kind ${kind} (${name}) in the leaf: the root of a one-kind batch matches, and another kind does not`, async function () {
      const { ledger, samrOperator } = await loadFixture(departmentsFixture);
      const entries = makeBatch(`kind-${name}`, 6).map((entry) => ({ ...entry, kind }));
      await anchorEntries(ledger, samrOperator, entries);
      expect((await ledger.batch(1)).root).to.equal(buildBatchTree(entries).root);
      const otherKind = entries.map((entry) => ({ ...entry, kind: (kind + 1) % 5 }));
      expect((await ledger.batch(1)).root).not.to.equal(buildBatchTree(otherKind).root);
    });
  }

  it("stores a one-document batch's leaf itself as the root", async function () {
    const { ledger, samrOperator } = await loadFixture(departmentsFixture);
    const entry = { docHashHex: docHashOf("single"), kind: DOCUMENT_KINDS.filing };
    await anchorEntries(ledger, samrOperator, [entry]);
    expect((await ledger.batch(1)).root).to.equal(documentLeaf(entry));
  });
});

describe("DocumentLedger: verifyInclusion", function () {
  async function twoBatchesFixture() {
    const base = await departmentsFixture();
    const first = makeBatch("inclusion-a", 33);
    const second = makeBatch("inclusion-b", 6);
    await anchorEntries(base.ledger, base.samrOperator, first);
    await anchorEntries(base.ledger, base.mcaOperator, second);
    return { ...base, first, second, tree: buildBatchTree(first) };
  }

  it("returns true for every leaf of a batch with its proof", async function () {
    const { ledger, first, tree } = await loadFixture(twoBatchesFixture);
    const included = await Promise.all(
      first.map((entry, i) => ledger.verifyInclusion(entry.docHashHex, entry.kind, 1, tree.getProof(i))),
    );
    expect(included).to.deep.equal(first.map(() => true));
  });

  it("returns false for the wrong kind, another batch, another leaf's proof or a tampered proof", async function () {
    const { ledger, first, tree } = await loadFixture(twoBatchesFixture);
    const entry = first[10];
    const proof = tree.getProof(10);
    expect(await ledger.verifyInclusion(entry.docHashHex, entry.kind, 1, proof)).to.equal(true);
    expect(await ledger.verifyInclusion(entry.docHashHex, (entry.kind + 1) % 5, 1, proof)).to.equal(false);
    expect(await ledger.verifyInclusion(entry.docHashHex, entry.kind, 2, proof)).to.equal(false);
    expect(await ledger.verifyInclusion(entry.docHashHex, entry.kind, 1, tree.getProof(11))).to.equal(false);
    expect(await ledger.verifyInclusion(entry.docHashHex, entry.kind, 1, [docHashOf("forged"), ...proof.slice(1)])).to.equal(
      false,
    );
    expect(await ledger.verifyInclusion(entry.docHashHex, entry.kind, 1, proof.slice(0, -1))).to.equal(false);
    expect(await ledger.verifyInclusion(docHashOf("never anchored"), entry.kind, 1, proof)).to.equal(false);
  });

  it("rejects an unknown batch id with DocumentLedgerUnknownBatch", async function () {
    const { ledger, first, tree } = await loadFixture(twoBatchesFixture);
    await expect(ledger.verifyInclusion(first[0].docHashHex, first[0].kind, 3, tree.getProof(0)))
      .to.be.revertedWithCustomError(ledger, "DocumentLedgerUnknownBatch")
      .withArgs(3);
  });
});
