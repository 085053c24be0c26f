// Revocation on the ledger through createDocumentRevoker, on the Hardhat network: the issuing
// department revokes with a proof rebuilt from chain data; another department's operator is
// refused by the ledger itself (DocumentLedgerNotIssuer → 403 DOCUMENT_NOT_ISSUER); a document not
// anchored is 409; a repeat returns the first revocation.
import { expect } from "chai";
import { JsonRpcProvider, Wallet } from "ethers";
import { ethers, network } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { createDocumentRevoker } from "../../../server/chain/revoke-document";
import { ChainUnavailableError, ConflictError, ForbiddenError } from "../../../server/errors";
import { DocumentLedger__factory } from "../../../typechain-types";
import { serveRangeCappedNode, urlOf } from "../../helpers/json-rpc-nodes";
import { until } from "../../helpers/until";
import { anchorEntries, departmentsFixture, docHashOf, MCA, SAMR } from "../../contracts/fixtures";

async function revokerFixture() {
  const base = await departmentsFixture();
  const ledgers = { SAMR: base.ledger.connect(base.samrOperator), MCA: base.ledger.connect(base.mcaOperator) };
  const revoke = createDocumentRevoker({
    ledgerFor: (code) => (code === "SAMR" || code === "MCA" ? ledgers[code] : undefined),
    fromBlock: base.deployment.deployBlock,
  });
  const docHashHex = docHashOf("samr-certificate");
  const { batchId } = await anchorEntries(base.ledger, base.samrOperator, [{ docHashHex: docHashOf("other"), kind: 0 }, { docHashHex, kind: 0 }]);
  return { ...base, revoke, docHashHex, batchId };
}

/** Transactions of `signer` sent but not yet mined. */
async function inPool(signer: { getAddress(): Promise<string> }): Promise<number> {
  const address = await signer.getAddress();
  return (await ethers.provider.getTransactionCount(address, "pending")) - (await ethers.provider.getTransactionCount(address, "latest"));
}

describe("createDocumentRevoker", function () {
  it("revokes the issuing department's anchored document with a rebuilt proof", async function () {
    const { revoke, ledger, docHashHex, batchId } = await loadFixture(revokerFixture);
    const result = await revoke("SAMR", { docHashHex, kind: "certificate" }, 2);
    expect(result.batchId).to.equal(batchId);
    expect(result.txHash).to.match(/^0x[0-9a-f]{64}$/);
    const onChain = await ledger.revocation(docHashHex, SAMR);
    expect(onChain.reasonCode).to.equal(2n);
    expect(Number(onChain.revokedAt)).to.equal(result.revokedAtSec);
  });

  it("is refused by the ledger for another department's operator: 403 DOCUMENT_NOT_ISSUER", async function () {
    const { revoke, ledger, docHashHex } = await loadFixture(revokerFixture);
    const err = await revoke("MCA", { docHashHex, kind: "certificate" }, 1).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(ForbiddenError);
    expect(err).to.include({ code: "DOCUMENT_NOT_ISSUER", httpStatus: 403 });
    expect((await ledger.revocation(docHashHex, MCA)).revokedAt).to.equal(0n);
    expect((await ledger.revocation(docHashHex, SAMR)).revokedAt).to.equal(0n);
  });

  it("refuses a document that is not anchored (409 DOCUMENT_NOT_ANCHORED), or anchored under another kind", async function () {
    const { revoke, docHashHex } = await loadFixture(revokerFixture);
    for (const doc of [{ docHashHex: docHashOf("never anchored"), kind: "certificate" as const }, { docHashHex, kind: "filing" as const }]) {
      const err = await revoke("SAMR", doc, 1).then(() => undefined, (e: unknown) => e);
      expect(err).to.be.instanceOf(ConflictError);
      expect(err).to.include({ code: "DOCUMENT_NOT_ANCHORED" });
    }
  });

  it("returns the first revocation when asked again (a request that crashed before recording it)", async function () {
    const { revoke, docHashHex } = await loadFixture(revokerFixture);
    const first = await revoke("SAMR", { docHashHex, kind: "certificate" }, 2);
    const again = await revoke("SAMR", { docHashHex, kind: "certificate" }, 1);
    expect(again).to.deep.equal(first);
    // The ledger's reason, not the repeated request's.
    expect(again.reasonCode).to.equal(2);
  });

  it("gives two revocations sent before either is mined the one revocation the ledger recorded", async function () {
    const { revoke, ledger, docHashHex, samrOperator } = await loadFixture(revokerFixture);
    // A chain that mines in blocks (QBFT, Clique), not per transaction: both requests pass the
    // ledger's checks when sent, and the second reverts with AlreadyRevoked inside the block.
    await network.provider.send("evm_setAutomine", [false]);
    try {
      const both = [revoke("SAMR", { docHashHex, kind: "certificate" }, 2), revoke("SAMR", { docHashHex, kind: "certificate" }, 1)];
      await until(async () => (await inPool(samrOperator)) === 2, "both revocations in the pool");
      await network.provider.send("evm_mine", []);
      const [first, second] = await Promise.all(both);
      // Whichever the block ordered first is the revocation; both requests answer with it.
      expect(second).to.deep.equal(first);
      const events = await ledger.queryFilter(ledger.filters.DocumentRevoked(docHashHex, SAMR));
      expect(events.map((e) => e.transactionHash)).to.deep.equal([first.txHash]);
      expect([1, 2]).to.include(first.reasonCode);
      expect((await ledger.revocation(docHashHex, SAMR)).reasonCode).to.equal(BigInt(first.reasonCode));
    } finally {
      await network.provider.send("evm_setAutomine", [true]);
    }
  });

  it("answers 502 LEDGER_REVERTED when the department is deactivated in the same block as its revocation", async function () {
    const { revoke, registry, bureau, ledger, docHashHex, samrOperator } = await loadFixture(revokerFixture);
    await network.provider.send("evm_setAutomine", [false]);
    try {
      // Sent first with a higher tip, so it is mined ahead of the revocation, which passed its checks when sent.
      await registry.connect(bureau).deactivateDepartment(SAMR, { maxPriorityFeePerGas: 5_000_000_000n, maxFeePerGas: 50_000_000_000n });
      const pending = revoke("SAMR", { docHashHex, kind: "certificate" }, 2).then(() => undefined, (e: unknown) => e);
      await until(async () => (await inPool(samrOperator)) === 1, "the revocation in the pool");
      await network.provider.send("evm_mine", []);
      const err = await pending;
      expect(err).to.include({ code: "LEDGER_REVERTED", httpStatus: 502 });
      expect((await ledger.revocation(docHashHex, SAMR)).revokedAt).to.equal(0n);
    } finally {
      await network.provider.send("evm_setAutomine", [true]);
    }
  });

  it("answers 503 CHAIN_QUERY_REFUSED when the node refuses the log search (a range cap), not 500", async function () {
    const { deployment, docHashHex } = await loadFixture(revokerFixture);
    const capped = await serveRangeCappedNode();
    const provider = new JsonRpcProvider(urlOf(capped), 31337, { staticNetwork: true, batchMaxCount: 1 });
    try {
      const ledger = DocumentLedger__factory.connect(deployment.ledgerAddress, Wallet.createRandom(provider));
      const revokeThere = createDocumentRevoker({ ledgerFor: () => ledger, fromBlock: deployment.deployBlock });
      const err = await revokeThere("SAMR", { docHashHex, kind: "certificate" }, 1).then(() => undefined, (e: unknown) => e);
      expect(err).to.be.instanceOf(ChainUnavailableError);
      expect(err).to.include({ code: "CHAIN_QUERY_REFUSED", httpStatus: 503 });
    } finally {
      provider.destroy();
      capped.close();
    }
  });

  it("refuses a department this node holds no operator key for (403 DEPARTMENT_NOT_SERVED)", async function () {
    const { revoke, docHashHex } = await loadFixture(revokerFixture);
    const err = await revoke("APPROVAL", { docHashHex, kind: "certificate" }, 1).then(() => undefined, (e: unknown) => e);
    expect(err).to.include({ code: "DEPARTMENT_NOT_SERVED", httpStatus: 403 });
  });
});
