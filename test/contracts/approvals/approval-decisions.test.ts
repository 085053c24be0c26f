// ApprovalRules.recordDecision: what each path needs and every way a decision is refused — the
// signatures (count, role, authority, registry validity, two people), who may record, the rules
// (version, allowed, suspended, filings only by notice), replay and expiry, and the evidence
// (anchored, not revoked, of the kind and issuer the matter requires). Signatures are real P-256
// signatures made by node:crypto; signature forgery and tampering are in approval-signatures.test.ts.
import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ethers, network } from "hardhat";
import { encodeBytes32String, parseUnits, ZeroHash } from "ethers";
import { KEY_ROLES } from "../../../server/chain/roles";
import { DOCUMENT_KINDS } from "../../../server/chain/merkle";
import { KEY_STATUS, MCA, REASON, SAMR } from "../fixtures";
import {
  approvalsFixture,
  decisionStruct,
  foodRules,
  HALL,
  MATTER,
  OUTCOME,
  PATH,
  POST_CHECK_SEC,
  propose,
  PSB,
  record,
  signAndRecord,
  signProposal,
  type ApprovalsFixture,
} from "./approvals-fixture";

/** An instant elderly-card decision citing the PSB identity certificate. */
function instantElderly(f: ApprovalsFixture, label = "elderly instant") {
  return propose(label, MATTER.elderly, PATH.instant, [f.evidence.idCertificate]);
}

/** A sign-twice food licence decision (no evidence required on that path). */
function twiceFood(label = "food twice") {
  return propose(label, MATTER.food, PATH.signTwice, []);
}

describe("ApprovalRules: accepting decisions", function () {
  it("records an instant approval with no signature, emitting DecisionRecorded with its statistics", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await instantElderly(f);
    const at = (await time.latest()) + 5;
    await time.setNextBlockTimestamp(at);
    await expect(record(f, f.mcaOperator, p, []))
      .to.emit(f.approvalRules, "DecisionRecorded")
      .withArgs(p.message.applicationHash, MATTER.elderly, PATH.instant, 1, OUTCOME.approved, 0, 1, []);
    expect([...(await f.approvalRules.decision(p.message.applicationHash))]).to.deep.equal([
      MATTER.elderly,
      1n,
      BigInt(PATH.instant),
      BigInt(OUTCOME.approved),
      0n,
      1n,
      BigInt(at),
      0n,
    ]);
  });

  it("records a sign-once decision by the hall's staff, authorised by the owning department", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await propose("elderly once", MATTER.elderly, PATH.signOnce, []);
    await expect(signAndRecord(f, f.mcaOperator, p, [f.keys.hallStaff]))
      .to.emit(f.approvalRules, "DecisionRecorded")
      .withArgs(p.message.applicationHash, MATTER.elderly, PATH.signOnce, 1, OUTCOME.approved, 1, 1, [f.keys.hallStaff.keyId]);
  });

  it("records a sign-twice decision, staff then chief, with both key ids", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await twiceFood();
    await expect(signAndRecord(f, f.samrOperator, p, [f.keys.samrStaff, f.keys.samrChief]))
      .to.emit(f.approvalRules, "DecisionRecorded")
      .withArgs(
        p.message.applicationHash,
        MATTER.food,
        PATH.signTwice,
        1,
        OUTCOME.approved,
        2,
        2,
        [f.keys.samrStaff.keyId, f.keys.samrChief.keyId],
      );
  });

  it("records a sign-once decision on a 签两次 matter: one signature against a baseline of two", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await propose("food once", MATTER.food, PATH.signOnce, []);
    await expect(signAndRecord(f, f.samrOperator, p, [f.keys.samrStaff]))
      .to.emit(f.approvalRules, "DecisionRecorded")
      .withArgs(p.message.applicationHash, MATTER.food, PATH.signOnce, 1, OUTCOME.approved, 1, 2, [f.keys.samrStaff.keyId]);
  });

  it("records a commitment approval and schedules its post-check at decision time + the period", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await propose("food commitment", MATTER.food, PATH.commitment, [f.evidence.commitmentLetter]);
    const at = (await time.latest()) + 5;
    await time.setNextBlockTimestamp(at);
    await expect(record(f, f.samrOperator, p, []))
      .to.emit(f.approvalRules, "DecisionRecorded")
      .withArgs(p.message.applicationHash, MATTER.food, PATH.commitment, 1, OUTCOME.approved, 0, 2, [])
      .and.to.emit(f.approvalRules, "PostCheckScheduled")
      .withArgs(p.message.applicationHash, MATTER.food, at + POST_CHECK_SEC);
    expect((await f.approvalRules.decision(p.message.applicationHash)).postCheckDue).to.equal(at + POST_CHECK_SEC);
  });

  it("records a refusal citing revoked evidence and schedules no post-check", async function () {
    const f = await loadFixture(approvalsFixture);
    const letter = f.evidence.commitmentLetter;
    await f.ledger.connect(f.samrOperator).revoke(letter.docHash, letter.kind, letter.batchId, letter.proof, REASON.sanctioned);
    const p = await propose("food refused", MATTER.food, PATH.commitment, [letter], { outcome: OUTCOME.refused });
    await expect(record(f, f.samrOperator, p, []))
      .to.emit(f.approvalRules, "DecisionRecorded")
      .withArgs(p.message.applicationHash, MATTER.food, PATH.commitment, 1, OUTCOME.refused, 0, 2, [])
      .and.not.to.emit(f.approvalRules, "PostCheckScheduled");
    expect((await f.approvalRules.decision(p.message.applicationHash)).postCheckDue).to.equal(0);
  });

  it("records a refusal by a signing staff member with no evidence at all", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await propose("elderly refused", MATTER.elderly, PATH.signOnce, [], { outcome: OUTCOME.refused });
    await expect(signAndRecord(f, f.mcaOperator, p, [f.keys.hallStaff]))
      .to.emit(f.approvalRules, "DecisionRecorded")
      .withArgs(p.message.applicationHash, MATTER.elderly, PATH.signOnce, 1, OUTCOME.refused, 1, 1, [f.keys.hallStaff.keyId]);
  });
});

describe("ApprovalRules: refusing signatures", function () {
  it("rejects a sign-once decision with no signature with ApprovalRulesSignatureCount", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await propose("once none", MATTER.elderly, PATH.signOnce, []);
    await expect(record(f, f.mcaOperator, p, []))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesSignatureCount")
      .withArgs(PATH.signOnce, 1, 0);
  });

  it("rejects a sign-twice decision carrying only the staff signature with ApprovalRulesSignatureCount", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await twiceFood();
    await expect(signAndRecord(f, f.samrOperator, p, [f.keys.samrStaff]))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesSignatureCount")
      .withArgs(PATH.signTwice, 2, 1);
  });

  it("rejects an extra signature on a sign-once or an instant decision with ApprovalRulesSignatureCount", async function () {
    const f = await loadFixture(approvalsFixture);
    const once = await propose("once extra", MATTER.food, PATH.signOnce, []);
    await expect(signAndRecord(f, f.samrOperator, once, [f.keys.samrStaff, f.keys.samrChief]))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesSignatureCount")
      .withArgs(PATH.signOnce, 1, 2);
    const instant = await instantElderly(f, "instant extra");
    await expect(signAndRecord(f, f.mcaOperator, instant, [f.keys.hallStaff]))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesSignatureCount")
      .withArgs(PATH.instant, 0, 1);
  });

  it("rejects a commitment decision carrying a signature with ApprovalRulesSignatureCount", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await propose("commitment signed", MATTER.food, PATH.commitment, [f.evidence.commitmentLetter]);
    await expect(signAndRecord(f, f.samrOperator, p, [f.keys.samrStaff]))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesSignatureCount")
      .withArgs(PATH.commitment, 0, 1);
  });

  it("rejects a sign-twice decision signed chief first with ApprovalRulesWrongRole", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await twiceFood();
    await expect(signAndRecord(f, f.samrOperator, p, [f.keys.samrChief, f.keys.samrStaff]))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesWrongRole")
      .withArgs(0, f.keys.samrChief.keyId, KEY_ROLES.staff, KEY_ROLES.chief);
  });

  it("rejects a sign-once decision by the chief (chief authority, not staff) with ApprovalRulesWrongRole", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await propose("once by chief", MATTER.food, PATH.signOnce, []);
    await expect(signAndRecord(f, f.samrOperator, p, [f.keys.samrChief]))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesWrongRole")
      .withArgs(0, f.keys.samrChief.keyId, KEY_ROLES.staff, KEY_ROLES.chief);
  });

  it("rejects the same key signing both halves of a sign-twice decision with ApprovalRulesSameSigner", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await twiceFood();
    const staff = signProposal(f, f.keys.samrStaff, p);
    await expect(record(f, f.samrOperator, p, [staff, staff]))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesSameSigner")
      .withArgs(f.keys.samrStaff.keyId);
  });

  it("rejects a registered staff key without authority for the matter with ApprovalRulesNoAuthority", async function () {
    const f = await loadFixture(approvalsFixture);
    // SAMR's own staff key holds authority for food licences, not for MCA's elderly cards.
    const p = await propose("no authority", MATTER.elderly, PATH.signOnce, []);
    await expect(signAndRecord(f, f.mcaOperator, p, [f.keys.samrStaff]))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesNoAuthority")
      .withArgs(0, f.keys.samrStaff.keyId, MATTER.elderly);
  });

  it("rejects a signature after the authority's window with ApprovalRulesNoAuthority", async function () {
    const f = await loadFixture(approvalsFixture);
    await time.increaseTo(f.grantUntil + 1);
    const p = await propose("authority over", MATTER.elderly, PATH.signOnce, []);
    await expect(signAndRecord(f, f.mcaOperator, p, [f.keys.hallStaff]))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesNoAuthority")
      .withArgs(0, f.keys.hallStaff.keyId, MATTER.elderly);
  });

  it("accepts a signature at the authority's last second (validUntil inclusive)", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await propose("authority last second", MATTER.elderly, PATH.signOnce, [], { deadline: f.grantUntil });
    const signatures = [signProposal(f, f.keys.hallStaff, p)];
    await time.setNextBlockTimestamp(f.grantUntil);
    await expect(record(f, f.mcaOperator, p, signatures)).to.emit(f.approvalRules, "DecisionRecorded");
  });

  it("rejects a signature whose authority was revoked before the decision with ApprovalRulesNoAuthority", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await propose("authority revoked", MATTER.elderly, PATH.signOnce, []);
    const signatures = [signProposal(f, f.keys.hallStaff, p)];
    await f.authority.connect(f.mcaOperator).revokeAuthority(MATTER.elderly, f.keys.hallStaff.keyId, 0);
    await expect(record(f, f.mcaOperator, p, signatures))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesNoAuthority")
      .withArgs(0, f.keys.hallStaff.keyId, MATTER.elderly);
  });

  it("rejects the chief's signature when only the chief lost authority, naming index 1", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await twiceFood();
    await f.authority.connect(f.samrOperator).revokeAuthority(MATTER.food, f.keys.samrChief.keyId, 0);
    await expect(signAndRecord(f, f.samrOperator, p, [f.keys.samrStaff, f.keys.samrChief]))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesNoAuthority")
      .withArgs(1, f.keys.samrChief.keyId, MATTER.food);
  });

  it("rejects a signature by a key the registry revoked, authority notwithstanding, with ApprovalRulesKeyNotValid", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await propose("key revoked", MATTER.elderly, PATH.signOnce, []);
    const signatures = [signProposal(f, f.keys.hallStaff, p)];
    await f.registry.connect(f.hallOperator).revokeKey(f.keys.hallStaff.keyId, 0);
    await expect(record(f, f.mcaOperator, p, signatures))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesKeyNotValid")
      .withArgs(0, f.keys.hallStaff.keyId, KEY_STATUS.revoked);
  });

  it("rejects a signature by a key of a deactivated department with ApprovalRulesKeyNotValid", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await propose("hall closed", MATTER.elderly, PATH.signOnce, []);
    const signatures = [signProposal(f, f.keys.hallStaff, p)];
    await f.registry.connect(f.bureau).deactivateDepartment(HALL);
    await expect(record(f, f.mcaOperator, p, signatures))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesKeyNotValid")
      .withArgs(0, f.keys.hallStaff.keyId, KEY_STATUS.departmentInactive);
  });

  it("rejects a signature by a key whose registry window ended, with ApprovalRulesKeyNotValid Expired", async function () {
    const f = await loadFixture(approvalsFixture);
    // A grant reaching past the key's life: the registry still has the last word.
    await f.authority.connect(f.mcaOperator).revokeAuthority(MATTER.elderly, f.keys.hallStaff.keyId, 0);
    const from = (await time.latest()) + 10;
    await f.authority
      .connect(f.mcaOperator)
      .grantAuthority(f.keys.hallStaff.keyId, [MATTER.elderly], KEY_ROLES.staff, from, f.keyUntil + 1_000);
    await time.increaseTo(f.keyUntil + 1);
    const p = await propose("key expired", MATTER.elderly, PATH.signOnce, []);
    await expect(signAndRecord(f, f.mcaOperator, p, [f.keys.hallStaff]))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesKeyNotValid")
      .withArgs(0, f.keys.hallStaff.keyId, KEY_STATUS.expired);
  });
});

describe("ApprovalRules: refusing the caller, the rules, replays and expiry", function () {
  it("rejects a decision recorded by another department's operator, the bureau or an outsider with ApprovalRulesNotOperator", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await instantElderly(f);
    for (const account of [f.samrOperator, f.bureau, f.outsider, f.hallOperator]) {
      await expect(record(f, account, p, []))
        .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesNotOperator")
        .withArgs(account.address, MCA);
    }
  });

  it("rejects a decision by an operator of a deactivated owning department with ApprovalRulesNotOperator", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await instantElderly(f);
    await f.registry.connect(f.bureau).deactivateDepartment(MCA);
    await expect(record(f, f.mcaOperator, p, []))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesNotOperator")
      .withArgs(f.mcaOperator.address, MCA);
  });

  it("rejects a decision on an uncatalogued matter with the catalog's MatterCatalogUnknownMatter", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await propose("unknown matter", encodeBytes32String("NO_SUCH_MATTER"), PATH.instant, []);
    await expect(record(f, f.mcaOperator, p, []))
      .to.be.revertedWithCustomError(f.catalog, "MatterCatalogUnknownMatter")
      .withArgs(p.message.matter);
  });

  it("rejects a zero application hash with ApprovalRulesInvalidApplication", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await propose("zero", MATTER.elderly, PATH.instant, [f.evidence.idCertificate], { applicationHash: ZeroHash });
    await expect(record(f, f.mcaOperator, p, [])).to.be.revertedWithCustomError(
      f.approvalRules,
      "ApprovalRulesInvalidApplication",
    );
  });

  it("rejects a decision under an old rule version with ApprovalRulesStaleRuleVersion", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await propose("stale", MATTER.food, PATH.signOnce, []);
    const signatures = [signProposal(f, f.keys.samrStaff, p)];
    await f.catalog.connect(f.samrOperator).setMatter(MATTER.food, { ...foodRules(), postCheckPeriodSec: 90 * 86_400 });
    await expect(record(f, f.samrOperator, p, signatures))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesStaleRuleVersion")
      .withArgs(MATTER.food, 1, 2);
    const future = await propose("future", MATTER.food, PATH.signOnce, [], { ruleVersion: 3 });
    await expect(signAndRecord(f, f.samrOperator, future, [f.keys.samrStaff]))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesStaleRuleVersion")
      .withArgs(MATTER.food, 3, 2);
  });

  it("rejects a path the matter does not allow with ApprovalRulesPathNotAllowed", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await propose("not allowed", MATTER.elderly, PATH.signTwice, []);
    await expect(signAndRecord(f, f.mcaOperator, p, [f.keys.hallStaff, f.keys.hallChief]))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesPathNotAllowed")
      .withArgs(MATTER.elderly, 1, PATH.signTwice);
  });

  it("rejects a decision on a suspended path with ApprovalRulesPathSuspended and accepts it once resumed", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await instantElderly(f);
    await f.catalog.connect(f.bureau).suspendPath(MATTER.elderly, PATH.instant, 7);
    await expect(record(f, f.mcaOperator, p, []))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesPathSuspended")
      .withArgs(MATTER.elderly, PATH.instant, 7);
    // The other path of the same matter stays open.
    const once = await propose("suspended once", MATTER.elderly, PATH.signOnce, []);
    await expect(signAndRecord(f, f.mcaOperator, once, [f.keys.hallStaff])).to.emit(f.approvalRules, "DecisionRecorded");
    await f.catalog.connect(f.mcaOperator).resumePath(MATTER.elderly, PATH.instant);
    await expect(record(f, f.mcaOperator, p, [])).to.emit(f.approvalRules, "DecisionRecorded");
  });

  it("rejects a filing-path decision outside the notice procedure with ApprovalRulesFilingNeedsNotice", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await propose("filing direct", MATTER.drawings, PATH.filing, [f.evidence.filingDoc]);
    await expect(record(f, f.samrOperator, p, []))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesFilingNeedsNotice")
      .withArgs(MATTER.drawings);
  });

  it("rejects a replayed decision with ApprovalRulesAlreadyDecided", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await twiceFood();
    const signatures = [signProposal(f, f.keys.samrStaff, p), signProposal(f, f.keys.samrChief, p)];
    await record(f, f.samrOperator, p, signatures);
    await expect(record(f, f.samrOperator, p, signatures))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesAlreadyDecided")
      .withArgs(p.message.applicationHash);
  });

  it("rejects a second decision on a decided application, on another path, with ApprovalRulesAlreadyDecided", async function () {
    const f = await loadFixture(approvalsFixture);
    const once = await propose("decided once", MATTER.food, PATH.signOnce, [], { outcome: OUTCOME.refused });
    await signAndRecord(f, f.samrOperator, once, [f.keys.samrStaff]);
    const again = await propose("decided once", MATTER.food, PATH.commitment, [f.evidence.commitmentLetter]);
    await expect(record(f, f.samrOperator, again, []))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesAlreadyDecided")
      .withArgs(once.message.applicationHash);
  });

  it("rejects a decision after its deadline with ApprovalRulesDecisionExpired and accepts it at the deadline", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await twiceFood();
    const signatures = [signProposal(f, f.keys.samrStaff, p), signProposal(f, f.keys.samrChief, p)];
    const deadline = Number(p.message.deadline);
    await time.setNextBlockTimestamp(deadline + 1);
    await expect(record(f, f.samrOperator, p, signatures))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesDecisionExpired")
      .withArgs(deadline, deadline + 1);

    const onTime = await twiceFood("food on time");
    const onTimeSignatures = [signProposal(f, f.keys.samrStaff, onTime), signProposal(f, f.keys.samrChief, onTime)];
    await time.setNextBlockTimestamp(Number(onTime.message.deadline));
    await expect(record(f, f.samrOperator, onTime, onTimeSignatures)).to.emit(f.approvalRules, "DecisionRecorded");
  });
});

describe("ApprovalRules: refusing evidence", function () {
  it("rejects an approval missing the required evidence with ApprovalRulesEvidenceCount", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await propose("no evidence", MATTER.elderly, PATH.instant, []);
    await expect(record(f, f.mcaOperator, p, []))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesEvidenceCount")
      .withArgs(1, 0);
  });

  it("rejects an approval citing more evidence than required with ApprovalRulesEvidenceCount", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await propose("too much", MATTER.elderly, PATH.instant, [f.evidence.idCertificate, f.evidence.mcaCertificate]);
    await expect(record(f, f.mcaOperator, p, []))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesEvidenceCount")
      .withArgs(1, 2);
  });

  it("rejects a certificate from the wrong department with ApprovalRulesEvidenceMismatch", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await propose("wrong issuer", MATTER.elderly, PATH.instant, [f.evidence.mcaCertificate]);
    await expect(record(f, f.mcaOperator, p, []))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesEvidenceMismatch")
      .withArgs(0, DOCUMENT_KINDS.certificate, PSB, DOCUMENT_KINDS.certificate, MCA);
  });

  it("rejects a document of the wrong kind from the right department with ApprovalRulesEvidenceMismatch", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await propose("wrong kind", MATTER.elderly, PATH.instant, [f.evidence.idSealed]);
    await expect(record(f, f.mcaOperator, p, []))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesEvidenceMismatch")
      .withArgs(0, DOCUMENT_KINDS.certificate, PSB, DOCUMENT_KINDS["sealed-document"], PSB);
  });

  it("rejects evidence that is not anchored (bad proof, wrong kind claimed, unknown batch) with ApprovalRulesEvidenceNotAnchored", async function () {
    const f = await loadFixture(approvalsFixture);
    const real = f.evidence.idCertificate;
    const forged = [
      { ...real, docHash: f.evidence.mcaCertificate.docHash },
      { ...real, kind: DOCUMENT_KINDS.filing },
      { ...real, proof: [] },
      { ...real, batchId: 99 },
      { ...real, batchId: 0 },
    ];
    for (const [i, item] of forged.entries()) {
      const p = await propose(`unanchored ${i}`, MATTER.elderly, PATH.instant, [item]);
      await expect(record(f, f.mcaOperator, p, []))
        .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesEvidenceNotAnchored")
        .withArgs(0, item.docHash, item.batchId);
    }
  });

  it("rejects a refusal citing unanchored evidence too, with ApprovalRulesEvidenceNotAnchored", async function () {
    const f = await loadFixture(approvalsFixture);
    const item = { ...f.evidence.idCertificate, proof: [] };
    const p = await propose("refused unanchored", MATTER.elderly, PATH.instant, [item], { outcome: OUTCOME.refused });
    await expect(record(f, f.mcaOperator, p, []))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesEvidenceNotAnchored")
      .withArgs(0, item.docHash, item.batchId);
  });

  it("rejects the same document cited twice with ApprovalRulesDuplicateEvidence", async function () {
    const f = await loadFixture(approvalsFixture);
    const item = f.evidence.idCertificate;
    const p = await propose("twice cited", MATTER.elderly, PATH.instant, [item, item], { outcome: OUTCOME.refused });
    await expect(record(f, f.mcaOperator, p, []))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesDuplicateEvidence")
      .withArgs(1, item.docHash);
  });

  it("rejects an instant approval whose certificate was revoked before it, with ApprovalRulesEvidenceRevoked", async function () {
    const f = await loadFixture(approvalsFixture);
    const item = f.evidence.idCertificate;
    const p = await instantElderly(f);
    const revokedAt = (await time.latest()) + 10;
    await time.setNextBlockTimestamp(revokedAt);
    await f.ledger.connect(f.psbOperator).revoke(item.docHash, item.kind, item.batchId, item.proof, REASON.cancelled);
    await expect(record(f, f.mcaOperator, p, []))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesEvidenceRevoked")
      .withArgs(0, item.docHash, PSB, revokedAt);
  });

  it("refuses a decision racing a revocation of its evidence in the same block: the revocation mined first wins", async function () {
    const f = await loadFixture(approvalsFixture);
    const item = f.evidence.idCertificate;
    const p = await instantElderly(f);
    // Both wait in the mempool; the revocation pays the higher tip, so the block orders it first.
    const fees = (tipGwei: number) => ({ maxFeePerGas: parseUnits("50", "gwei"), maxPriorityFeePerGas: parseUnits(String(tipGwei), "gwei") });
    await network.provider.send("evm_setAutomine", [false]);
    try {
      const decideTx = await f.approvalRules
        .connect(f.mcaOperator)
        .recordDecision(decisionStruct(p.message), p.evidence, [], { gasLimit: 1_000_000, ...fees(1) });
      const revokeTx = await f.ledger
        .connect(f.psbOperator)
        .revoke(item.docHash, item.kind, item.batchId, item.proof, REASON.cancelled, { gasLimit: 200_000, ...fees(2) });
      await network.provider.send("evm_mine", []);
      const revoked = await ethers.provider.getTransactionReceipt(revokeTx.hash);
      const decided = await ethers.provider.getTransactionReceipt(decideTx.hash);
      expect([revoked?.status, decided?.status]).to.deep.equal([1, 0]);
      expect(decided?.blockNumber).to.equal(revoked?.blockNumber);
      expect(decided?.index).to.be.greaterThan(revoked?.index ?? Infinity);
    } finally {
      await network.provider.send("evm_setAutomine", [true]);
    }
    expect((await f.approvalRules.decision(p.message.applicationHash)).decidedAt).to.equal(0);
    const { revokedAt } = await f.ledger.revocation(item.docHash, PSB);
    await expect(record(f, f.mcaOperator, p, []))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesEvidenceRevoked")
      .withArgs(0, item.docHash, PSB, revokedAt);
  });

  it("lets a revocation mined after the decision stand on its own: the decision stays recorded", async function () {
    const f = await loadFixture(approvalsFixture);
    const item = f.evidence.idCertificate;
    const p = await instantElderly(f);
    await record(f, f.mcaOperator, p, []);
    await f.ledger.connect(f.psbOperator).revoke(item.docHash, item.kind, item.batchId, item.proof, REASON.cancelled);
    expect((await f.approvalRules.decision(p.message.applicationHash)).outcome).to.equal(OUTCOME.approved);
  });

  it("counts only the issuer's revocation: another department cannot revoke the evidence for it", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await instantElderly(f);
    // MCA cannot revoke PSB's certificate in the ledger at all (not the issuer).
    const item = f.evidence.idCertificate;
    await expect(f.ledger.connect(f.mcaOperator).revoke(item.docHash, item.kind, item.batchId, item.proof, REASON.cancelled))
      .to.be.revertedWithCustomError(f.ledger, "DocumentLedgerNotIssuer")
      .withArgs(item.batchId, MCA);
    await expect(record(f, f.mcaOperator, p, [])).to.emit(f.approvalRules, "DecisionRecorded");
  });

  it("checks the commitment path's own requirement: a commitment letter from SAMR", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await propose("commitment wrong", MATTER.food, PATH.commitment, [f.evidence.certificate]);
    await expect(record(f, f.samrOperator, p, []))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesEvidenceMismatch")
      .withArgs(0, DOCUMENT_KINDS["commitment-letter"], SAMR, DOCUMENT_KINDS.certificate, SAMR);
  });
});
