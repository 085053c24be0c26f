// ApprovalRules.recordDecisions: many decisions in one transaction, each judged as recordDecision
// judges it, all recorded or none. The service batches the decisions of one department that
// arrive while its previous transaction is being mined (server/approvals/approvals-chain.ts).
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { IApprovalRules } from "../../../typechain-types";
import { approvalsFixture, decisionStruct, MATTER, PATH, propose, signProposal, type ApprovalsFixture, type Proposal } from "./approvals-fixture";

/** A batch entry of `proposal` with `signatures`. */
function input(proposal: Proposal, signatures: IApprovalRules.SignatureStruct[] = []): IApprovalRules.DecisionInputStruct {
  return { decision: decisionStruct(proposal.message), evidence: proposal.evidence, signatures };
}

/** `count` instant elderly-card decisions citing the PSB identity certificate. */
function instantBatch(f: ApprovalsFixture, count: number, prefix: string): Promise<Proposal[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => propose(`${prefix} ${i}`, MATTER.elderly, PATH.instant, [f.evidence.idCertificate])));
}

describe("ApprovalRules: batches of decisions", function () {
  it("records every decision of a batch in one transaction, each with its own DecisionRecorded, signed paths included", async function () {
    const f = await loadFixture(approvalsFixture);
    const instant = await instantBatch(f, 3, "batch");
    const once = await propose("batch once", MATTER.elderly, PATH.signOnce, []);
    const tx = await f.approvalRules.connect(f.mcaOperator).recordDecisions([...instant.map((p) => input(p)), input(once, [signProposal(f, f.keys.hallStaff, once)])]);
    const receipt = await tx.wait();
    const recorded = (receipt?.logs ?? [])
      .map((log) => f.approvalRules.interface.parseLog(log))
      .filter((parsed) => parsed?.name === "DecisionRecorded")
      .map((parsed) => parsed?.args.applicationHash as string);
    expect(recorded).to.deep.equal([...instant, once].map((p) => p.message.applicationHash));
    for (const p of [...instant, once]) expect((await f.approvalRules.decision(p.message.applicationHash)).decidedAt).to.be.greaterThan(0n);
    expect((await f.approvalRules.decision(once.message.applicationHash)).signatures).to.equal(1n);
  });

  it("records none when one decision is refused, reverting with that decision's own error", async function () {
    const f = await loadFixture(approvalsFixture);
    const batch = await instantBatch(f, 3, "all or none");
    // The second is a sign-once decision without its signature.
    const unsigned = await propose("all or none unsigned", MATTER.elderly, PATH.signOnce, []);
    await expect(f.approvalRules.connect(f.mcaOperator).recordDecisions([input(batch[0]), input(unsigned), input(batch[1])]))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesSignatureCount")
      .withArgs(PATH.signOnce, 1, 0);
    for (const p of [batch[0], batch[1], unsigned]) expect((await f.approvalRules.decision(p.message.applicationHash)).decidedAt).to.equal(0n);
    // The same application twice in one batch: the second is a replay.
    await expect(f.approvalRules.connect(f.mcaOperator).recordDecisions([input(batch[2]), input(batch[2])]))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesAlreadyDecided")
      .withArgs(batch[2].message.applicationHash);
  });

  it("checks who records for each decision: another department's operator is refused", async function () {
    const f = await loadFixture(approvalsFixture);
    const [p] = await instantBatch(f, 1, "operator");
    await expect(f.approvalRules.connect(f.samrOperator).recordDecisions([input(p)])).to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesNotOperator");
  });

  it("refuses an empty batch and one over MAX_DECISIONS_PER_CALL with ApprovalRulesBatchSize; the largest batch fits a 30M-gas block", async function () {
    const f = await loadFixture(approvalsFixture);
    const max = await f.approvalRules.MAX_DECISIONS_PER_CALL();
    await expect(f.approvalRules.connect(f.mcaOperator).recordDecisions([])).to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesBatchSize").withArgs(0, max);
    const proposals = await instantBatch(f, Number(max) + 1, "size");
    await expect(f.approvalRules.connect(f.mcaOperator).recordDecisions(proposals.map((p) => input(p))))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesBatchSize")
      .withArgs(max + 1n, max);
    const full = proposals.slice(0, Number(max)).map((p) => input(p));
    const gas = await f.approvalRules.connect(f.mcaOperator).recordDecisions.estimateGas(full);
    expect(gas).to.be.lessThan(30_000_000n);
    const receipt = await (await f.approvalRules.connect(f.mcaOperator).recordDecisions(full)).wait();
    expect(receipt?.status).to.equal(1);
  });
});
