// DocumentLedger: revocation. Only an operator of the department that anchored the batch may
// revoke, with a proof placing the document in that batch and a non-zero reason; a revocation is
// final and keyed by department, so another department can never revoke a document for its issuer.
import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { buildBatchTree } from "../../../server/chain/merkle";
import { anchorEntries, departmentsFixture, docHashOf, makeBatch, MCA, REASON, SAMR } from "../fixtures";

const NOT_REVOKED = [0n, 0n, 0n];

/** SAMR anchored a 9-document batch (batch 1); `target` is its document at index 6. */
async function samrBatchFixture() {
  const base = await departmentsFixture();
  const entries = makeBatch("samr-issued", 9);
  await anchorEntries(base.ledger, base.samrOperator, entries);
  const tree = buildBatchTree(entries);
  const target = { ...entries[6], proof: tree.getProof(6) };
  return { ...base, entries, tree, target };
}

describe("DocumentLedger: revocation", function () {
  it("revokes a document for the issuing department's operator, emitting DocumentRevoked and recording it", async function () {
    const { ledger, samrOperator, target } = await loadFixture(samrBatchFixture);
    expect([...(await ledger.revocation(target.docHashHex, SAMR))]).to.deep.equal(NOT_REVOKED);
    const revokedAt = (await time.latest()) + 30;
    await time.setNextBlockTimestamp(revokedAt);

    await expect(
      ledger.connect(samrOperator).revoke(target.docHashHex, target.kind, 1, target.proof, REASON.sanctioned),
    )
      .to.emit(ledger, "DocumentRevoked")
      .withArgs(target.docHashHex, SAMR, 1n, REASON.sanctioned, revokedAt);

    expect([...(await ledger.revocation(target.docHashHex, SAMR))]).to.deep.equal([
      BigInt(revokedAt),
      BigInt(REASON.sanctioned),
      1n,
    ]);
    expect([...(await ledger.revocation(target.docHashHex, MCA))]).to.deep.equal(NOT_REVOKED);
  });

  it("leaves the batch's other documents unrevoked", async function () {
    const { ledger, samrOperator, entries, target } = await loadFixture(samrBatchFixture);
    await ledger.connect(samrOperator).revoke(target.docHashHex, target.kind, 1, target.proof, REASON.cancelled);
    const others = entries.filter((entry) => entry.docHashHex !== target.docHashHex);
    const records = await Promise.all(others.map((entry) => ledger.revocation(entry.docHashHex, SAMR)));
    expect(records.map((record) => [...record])).to.deep.equal(others.map(() => NOT_REVOKED));
  });

  it("rejects revocation by another department's operator with DocumentLedgerNotIssuer(batch, caller's department)", async function () {
    const { ledger, mcaOperator, target } = await loadFixture(samrBatchFixture);
    await expect(ledger.connect(mcaOperator).revoke(target.docHashHex, target.kind, 1, target.proof, REASON.cancelled))
      .to.be.revertedWithCustomError(ledger, "DocumentLedgerNotIssuer")
      .withArgs(1n, MCA);
    expect([...(await ledger.revocation(target.docHashHex, SAMR))]).to.deep.equal(NOT_REVOKED);
    expect([...(await ledger.revocation(target.docHashHex, MCA))]).to.deep.equal(NOT_REVOKED);
  });

  it("lets a department that re-anchored the same hash revoke only its own record, never the issuer's", async function () {
    const { ledger, mcaOperator, target } = await loadFixture(samrBatchFixture);
    const copy = [{ docHashHex: target.docHashHex, kind: target.kind }, ...makeBatch("mca-own", 2)];
    const { batchId } = await anchorEntries(ledger, mcaOperator, copy);
    expect(batchId).to.equal(2);

    await expect(ledger.connect(mcaOperator).revoke(target.docHashHex, target.kind, 1, target.proof, REASON.cancelled))
      .to.be.revertedWithCustomError(ledger, "DocumentLedgerNotIssuer")
      .withArgs(1n, MCA);

    const revokedAt = (await time.latest()) + 5;
    await time.setNextBlockTimestamp(revokedAt);
    await expect(
      ledger.connect(mcaOperator).revoke(target.docHashHex, target.kind, 2, buildBatchTree(copy).getProof(0), REASON.cancelled),
    )
      .to.emit(ledger, "DocumentRevoked")
      .withArgs(target.docHashHex, MCA, 2n, REASON.cancelled, revokedAt);
    expect([...(await ledger.revocation(target.docHashHex, MCA))]).to.deep.equal([
      BigInt(revokedAt),
      BigInt(REASON.cancelled),
      2n,
    ]);
    expect([...(await ledger.revocation(target.docHashHex, SAMR))]).to.deep.equal(NOT_REVOKED);
  });

  it("rejects revocation by an account that is no operator with DocumentLedgerNotOperator", async function () {
    const { ledger, outsider, bureau, target } = await loadFixture(samrBatchFixture);
    for (const account of [outsider, bureau]) {
      await expect(ledger.connect(account).revoke(target.docHashHex, target.kind, 1, target.proof, REASON.cancelled))
        .to.be.revertedWithCustomError(ledger, "DocumentLedgerNotOperator")
        .withArgs(account.address);
    }
  });

  it("rejects revocation by the issuer's removed operator with DocumentLedgerNotOperator", async function () {
    const { registry, ledger, bureau, samrOperator, target } = await loadFixture(samrBatchFixture);
    await registry.connect(bureau).removeOperator(SAMR, samrOperator.address);
    await expect(ledger.connect(samrOperator).revoke(target.docHashHex, target.kind, 1, target.proof, REASON.cancelled))
      .to.be.revertedWithCustomError(ledger, "DocumentLedgerNotOperator")
      .withArgs(samrOperator.address);
  });

  it("rejects revocation by a deactivated issuer's operator with DocumentLedgerNotOperator", async function () {
    const { registry, ledger, bureau, samrOperator, target } = await loadFixture(samrBatchFixture);
    await registry.connect(bureau).deactivateDepartment(SAMR);
    await expect(ledger.connect(samrOperator).revoke(target.docHashHex, target.kind, 1, target.proof, REASON.cancelled))
      .to.be.revertedWithCustomError(ledger, "DocumentLedgerNotOperator")
      .withArgs(samrOperator.address);
  });

  it("rejects revocation in an unknown batch with DocumentLedgerUnknownBatch", async function () {
    const { ledger, samrOperator, target } = await loadFixture(samrBatchFixture);
    await expect(ledger.connect(samrOperator).revoke(target.docHashHex, target.kind, 2, target.proof, REASON.cancelled))
      .to.be.revertedWithCustomError(ledger, "DocumentLedgerUnknownBatch")
      .withArgs(2n);
  });

  it("rejects a proof that does not place the document in the batch with DocumentLedgerInvalidProof", async function () {
    const { ledger, samrOperator, tree, target } = await loadFixture(samrBatchFixture);
    const attempts = [
      { docHashHex: target.docHashHex, kind: (target.kind + 1) % 5, proof: target.proof },
      { docHashHex: target.docHashHex, kind: target.kind, proof: tree.getProof(5) },
      { docHashHex: docHashOf("never anchored"), kind: target.kind, proof: target.proof },
    ];
    for (const attempt of attempts) {
      await expect(ledger.connect(samrOperator).revoke(attempt.docHashHex, attempt.kind, 1, attempt.proof, REASON.cancelled))
        .to.be.revertedWithCustomError(ledger, "DocumentLedgerInvalidProof")
        .withArgs(attempt.docHashHex, 1n);
    }
    expect([...(await ledger.revocation(target.docHashHex, SAMR))]).to.deep.equal(NOT_REVOKED);
  });

  it("rejects reason code 0 with DocumentLedgerInvalidReason", async function () {
    const { ledger, samrOperator, target } = await loadFixture(samrBatchFixture);
    await expect(
      ledger.connect(samrOperator).revoke(target.docHashHex, target.kind, 1, target.proof, 0),
    ).to.be.revertedWithCustomError(ledger, "DocumentLedgerInvalidReason");
    expect([...(await ledger.revocation(target.docHashHex, SAMR))]).to.deep.equal(NOT_REVOKED);
  });

  it("rejects revoking twice with DocumentLedgerAlreadyRevoked carrying the first revocation time", async function () {
    const { ledger, samrOperator, target } = await loadFixture(samrBatchFixture);
    await ledger.connect(samrOperator).revoke(target.docHashHex, target.kind, 1, target.proof, REASON.cancelled);
    const firstRevokedAt = await time.latest();
    await time.increase(3_600);

    await expect(ledger.connect(samrOperator).revoke(target.docHashHex, target.kind, 1, target.proof, REASON.sanctioned))
      .to.be.revertedWithCustomError(ledger, "DocumentLedgerAlreadyRevoked")
      .withArgs(target.docHashHex, firstRevokedAt);
    expect([...(await ledger.revocation(target.docHashHex, SAMR))]).to.deep.equal([
      BigInt(firstRevokedAt),
      BigInt(REASON.cancelled),
      1n,
    ]);
  });

  it("keeps a revoked document revoked when its issuer anchors the same hash again", async function () {
    const { ledger, samrOperator, target } = await loadFixture(samrBatchFixture);
    await ledger.connect(samrOperator).revoke(target.docHashHex, target.kind, 1, target.proof, REASON.sanctioned);
    const firstRevokedAt = await time.latest();

    const again = [...makeBatch("re-anchor", 3), { docHashHex: target.docHashHex, kind: target.kind }];
    const { batchId } = await anchorEntries(ledger, samrOperator, again);
    expect(batchId).to.equal(2);
    const expected = [BigInt(firstRevokedAt), BigInt(REASON.sanctioned), 1n];
    expect([...(await ledger.revocation(target.docHashHex, SAMR))]).to.deep.equal(expected);

    await expect(
      ledger.connect(samrOperator).revoke(target.docHashHex, target.kind, 2, buildBatchTree(again).getProof(3), REASON.cancelled),
    )
      .to.be.revertedWithCustomError(ledger, "DocumentLedgerAlreadyRevoked")
      .withArgs(target.docHashHex, firstRevokedAt);
    expect([...(await ledger.revocation(target.docHashHex, SAMR))]).to.deep.equal(expected);
  });
});
