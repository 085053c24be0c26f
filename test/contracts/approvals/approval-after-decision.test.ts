// ApprovalRules after the decision: the commitment path's post-check (due at decision time + the
// period; a failure recorded only once the certificate is revoked in the ledger) and the filing
// path's public notice (objections as hashes by anyone, resolved by the owning department; closed
// after the notice into an approval with no signature, or a refusal). Time moves with time.increase.
import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { keccak256, toUtf8Bytes, ZeroHash } from "ethers";
import { MCA, REASON, SAMR } from "../fixtures";
import {
  applicationHashOf,
  approvalsFixture,
  drawingRules,
  MATTER,
  NOTICE_SEC,
  OUTCOME,
  PATH,
  POST_CHECK_SEC,
  propose,
  record,
  type ApprovalsFixture,
  type EvidenceItem,
} from "./approvals-fixture";

const FILING_STATE = { none: 0n, inNotice: 1n, closed: 2n } as const;
const OBJECTION_STATE = { none: 0n, filed: 1n, upheld: 2n, rejected: 3n } as const;

/** A commitment approval of a food licence, recorded; returns its application hash and due time. */
async function commitmentFixture() {
  const f = await approvalsFixture();
  const p = await propose("food commitment", MATTER.food, PATH.commitment, [f.evidence.commitmentLetter]);
  await record(f, f.samrOperator, p, []);
  const { postCheckDue } = await f.approvalRules.decision(p.message.applicationHash);
  return { ...f, applicationHash: p.message.applicationHash, due: Number(postCheckDue) };
}

function revokeCertificate(f: ApprovalsFixture, item: EvidenceItem) {
  return f.ledger.connect(f.samrOperator).revoke(item.docHash, item.kind, item.batchId, item.proof, REASON.sanctioned);
}

describe("ApprovalRules: commitment post-check", function () {
  it("records a passed post-check before its deadline, not late", async function () {
    const f = await loadFixture(commitmentFixture);
    await time.increase(POST_CHECK_SEC / 2);
    const certificate = f.evidence.certificate.docHash;
    await expect(f.approvalRules.connect(f.samrOperator).recordPostCheck(f.applicationHash, true, certificate))
      .to.emit(f.approvalRules, "PostCheckRecorded")
      .withArgs(f.applicationHash, MATTER.food, true, certificate, false);
    const check = await f.approvalRules.postCheck(f.applicationHash);
    expect([check.checkedAt, check.passed, check.certificateDocHash]).to.deep.equal([
      BigInt(await time.latest()),
      true,
      certificate,
    ]);
  });

  it("records a post-check at the deadline as on time and one second later as late", async function () {
    const f = await loadFixture(commitmentFixture);
    const certificate = f.evidence.certificate.docHash;
    await time.setNextBlockTimestamp(f.due);
    await expect(f.approvalRules.connect(f.samrOperator).recordPostCheck(f.applicationHash, true, certificate))
      .to.emit(f.approvalRules, "PostCheckRecorded")
      .withArgs(f.applicationHash, MATTER.food, true, certificate, false);

    const other = await propose("food commitment 2", MATTER.food, PATH.commitment, [f.evidence.commitmentLetter]);
    await record(f, f.samrOperator, other, []);
    await time.increase(POST_CHECK_SEC + 1);
    await expect(f.approvalRules.connect(f.samrOperator).recordPostCheck(other.message.applicationHash, true, certificate))
      .to.emit(f.approvalRules, "PostCheckRecorded")
      .withArgs(other.message.applicationHash, MATTER.food, true, certificate, true);
  });

  it("rejects a failed post-check while the certificate is not revoked with ApprovalRulesCertificateNotRevoked", async function () {
    const f = await loadFixture(commitmentFixture);
    const certificate = f.evidence.certificate.docHash;
    await expect(f.approvalRules.connect(f.samrOperator).recordPostCheck(f.applicationHash, false, certificate))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesCertificateNotRevoked")
      .withArgs(certificate, SAMR);
  });

  it("records a failed post-check after the service revoked the certificate through the ledger", async function () {
    const f = await loadFixture(commitmentFixture);
    const certificate = f.evidence.certificate;
    await time.increase(30 * 86_400);
    await revokeCertificate(f, certificate);
    await expect(f.approvalRules.connect(f.samrOperator).recordPostCheck(f.applicationHash, false, certificate.docHash))
      .to.emit(f.approvalRules, "PostCheckRecorded")
      .withArgs(f.applicationHash, MATTER.food, false, certificate.docHash, false);
    expect((await f.ledger.revocation(certificate.docHash, SAMR)).reasonCode).to.equal(REASON.sanctioned);
    expect((await f.approvalRules.postCheck(f.applicationHash)).passed).to.equal(false);
  });

  it("rejects a second post-check with ApprovalRulesPostCheckRecorded", async function () {
    const f = await loadFixture(commitmentFixture);
    const certificate = f.evidence.certificate;
    await f.approvalRules.connect(f.samrOperator).recordPostCheck(f.applicationHash, true, certificate.docHash);
    const checkedAt = await time.latest();
    await revokeCertificate(f, certificate);
    await expect(f.approvalRules.connect(f.samrOperator).recordPostCheck(f.applicationHash, false, certificate.docHash))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesPostCheckRecorded")
      .withArgs(f.applicationHash, checkedAt);
  });

  it("rejects a post-check by anyone but the owning department's operator with ApprovalRulesNotOperator", async function () {
    const f = await loadFixture(commitmentFixture);
    for (const account of [f.mcaOperator, f.bureau, f.outsider]) {
      await expect(f.approvalRules.connect(account).recordPostCheck(f.applicationHash, true, f.evidence.certificate.docHash))
        .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesNotOperator")
        .withArgs(account.address, SAMR);
    }
  });

  it("rejects a zero certificate hash with ApprovalRulesInvalidCertificate", async function () {
    const f = await loadFixture(commitmentFixture);
    await expect(
      f.approvalRules.connect(f.samrOperator).recordPostCheck(f.applicationHash, true, ZeroHash),
    ).to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesInvalidCertificate");
  });

  it("rejects a post-check of a decision without one (instant, refused, unknown) with ApprovalRulesNoPostCheck", async function () {
    const f = await loadFixture(commitmentFixture);
    const instant = await propose("instant", MATTER.elderly, PATH.instant, [f.evidence.idCertificate]);
    await record(f, f.mcaOperator, instant, []);
    const refused = await propose("refused", MATTER.food, PATH.commitment, [], { outcome: OUTCOME.refused });
    await record(f, f.samrOperator, refused, []);
    const cases: [string, typeof f.samrOperator][] = [
      [instant.message.applicationHash, f.mcaOperator],
      [refused.message.applicationHash, f.samrOperator],
      [applicationHashOf("never decided"), f.samrOperator],
    ];
    for (const [applicationHash, operator] of cases) {
      await expect(f.approvalRules.connect(operator).recordPostCheck(applicationHash, true, f.evidence.certificate.docHash))
        .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesNoPostCheck")
        .withArgs(applicationHash);
    }
  });
});

/** A drawing review filed for notice by SAMR, citing its anchored self-review filing. */
async function filingFixture() {
  const f = await approvalsFixture();
  const applicationHash = applicationHashOf("drawings filing");
  const filedAt = (await time.latest()) + 5;
  await time.setNextBlockTimestamp(filedAt);
  await f.approvalRules.connect(f.samrOperator).fileForNotice(applicationHash, MATTER.drawings, 1, [f.evidence.filingDoc]);
  const refs = [{ docHash: f.evidence.filingDoc.docHash, departmentId: SAMR }];
  return { ...f, applicationHash, filedAt, noticeEnds: filedAt + NOTICE_SEC, refs };
}

const objectionOf = (label: string) => keccak256(toUtf8Bytes(`objection/${label}`));

describe("ApprovalRules: filing for notice", function () {
  it("publishes a filing with its notice end and cited evidence, emitting FilingPublished", async function () {
    const f = await loadFixture(approvalsFixture);
    const applicationHash = applicationHashOf("published");
    const at = (await time.latest()) + 5;
    await time.setNextBlockTimestamp(at);
    await expect(f.approvalRules.connect(f.samrOperator).fileForNotice(applicationHash, MATTER.drawings, 1, [f.evidence.filingDoc]))
      .to.emit(f.approvalRules, "FilingPublished")
      .withArgs(applicationHash, MATTER.drawings, 1, at + NOTICE_SEC, [[f.evidence.filingDoc.docHash, SAMR]]);
    const filing = await f.approvalRules.filing(applicationHash);
    expect([filing.state, filing.filedAt, filing.noticeEnds, filing.baselineSignatures]).to.deep.equal([
      FILING_STATE.inNotice,
      BigInt(at),
      BigInt(at + NOTICE_SEC),
      2n,
    ]);
  });

  it("rejects a filing with missing, wrong or revoked evidence with the decision's evidence errors", async function () {
    const f = await loadFixture(approvalsFixture);
    const file = (label: string, evidence: EvidenceItem[]) =>
      f.approvalRules.connect(f.samrOperator).fileForNotice(applicationHashOf(label), MATTER.drawings, 1, evidence);
    await expect(file("none", []))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesEvidenceCount")
      .withArgs(1, 0);
    await expect(file("wrong kind", [f.evidence.certificate]))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesEvidenceMismatch")
      .withArgs(0, 4, SAMR, 0, SAMR);
    const doc = f.evidence.filingDoc;
    await f.ledger.connect(f.samrOperator).revoke(doc.docHash, doc.kind, doc.batchId, doc.proof, REASON.cancelled);
    await expect(file("revoked", [doc]))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesEvidenceRevoked")
      .withArgs(0, doc.docHash, SAMR, (await f.ledger.revocation(doc.docHash, SAMR)).revokedAt);
  });

  it("rejects a filing by another department, on a matter without the filing path, suspended or stale", async function () {
    const f = await loadFixture(approvalsFixture);
    const h = applicationHashOf("refused filing");
    const rules = f.approvalRules;
    await expect(rules.connect(f.mcaOperator).fileForNotice(h, MATTER.drawings, 1, [f.evidence.filingDoc]))
      .to.be.revertedWithCustomError(rules, "ApprovalRulesNotOperator")
      .withArgs(f.mcaOperator.address, SAMR);
    await expect(rules.connect(f.samrOperator).fileForNotice(h, MATTER.food, 1, []))
      .to.be.revertedWithCustomError(rules, "ApprovalRulesPathNotAllowed")
      .withArgs(MATTER.food, 1, PATH.filing);
    await f.catalog.connect(f.samrOperator).suspendPath(MATTER.drawings, PATH.filing, 3);
    await expect(rules.connect(f.samrOperator).fileForNotice(h, MATTER.drawings, 1, [f.evidence.filingDoc]))
      .to.be.revertedWithCustomError(rules, "ApprovalRulesPathSuspended")
      .withArgs(MATTER.drawings, PATH.filing, 3);
    await f.catalog.connect(f.samrOperator).resumePath(MATTER.drawings, PATH.filing);
    await f.catalog.connect(f.samrOperator).setMatter(MATTER.drawings, drawingRules());
    await expect(rules.connect(f.samrOperator).fileForNotice(h, MATTER.drawings, 1, [f.evidence.filingDoc]))
      .to.be.revertedWithCustomError(rules, "ApprovalRulesStaleRuleVersion")
      .withArgs(MATTER.drawings, 1, 2);
  });

  it("rejects filing twice, and deciding a filed application by another path, with ApprovalRulesAlreadyFiled", async function () {
    const f = await loadFixture(filingFixture);
    await expect(f.approvalRules.connect(f.samrOperator).fileForNotice(f.applicationHash, MATTER.drawings, 1, [f.evidence.filingDoc]))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesAlreadyFiled")
      .withArgs(f.applicationHash);
    const p = await propose("drawings filing", MATTER.drawings, PATH.signTwice, []);
    await expect(record(f, f.samrOperator, p, []))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesAlreadyFiled")
      .withArgs(f.applicationHash);
  });

  it("rejects filing an application already decided with ApprovalRulesAlreadyDecided", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await propose("decided first", MATTER.elderly, PATH.instant, [f.evidence.idCertificate]);
    await record(f, f.mcaOperator, p, []);
    await expect(f.approvalRules.connect(f.samrOperator).fileForNotice(p.message.applicationHash, MATTER.drawings, 1, [f.evidence.filingDoc]))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesAlreadyDecided")
      .withArgs(p.message.applicationHash);
  });
});

describe("ApprovalRules: objections and closing a filing", function () {
  it("closes a clean filing after the notice into an approval with no signature, by anyone", async function () {
    const f = await loadFixture(filingFixture);
    await time.increaseTo(f.noticeEnds);
    await expect(f.approvalRules.connect(f.outsider).closeFiling(f.applicationHash, f.refs))
      .to.emit(f.approvalRules, "FilingClosed")
      .withArgs(f.applicationHash, OUTCOME.approved, 0, false)
      .and.to.emit(f.approvalRules, "DecisionRecorded")
      .withArgs(f.applicationHash, MATTER.drawings, PATH.filing, 1, OUTCOME.approved, 0, 2, []);
    expect((await f.approvalRules.filing(f.applicationHash)).state).to.equal(FILING_STATE.closed);
    expect((await f.approvalRules.decision(f.applicationHash)).outcome).to.equal(OUTCOME.approved);
  });

  it("rejects closing during the notice with ApprovalRulesNoticeRunning", async function () {
    const f = await loadFixture(filingFixture);
    await time.setNextBlockTimestamp(f.noticeEnds - 1);
    await expect(f.approvalRules.closeFiling(f.applicationHash, f.refs))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesNoticeRunning")
      .withArgs(f.applicationHash, f.noticeEnds);
  });

  it("takes objections from anyone until the notice ends, then rejects them with ApprovalRulesNoticeOver", async function () {
    const f = await loadFixture(filingFixture);
    const first = objectionOf("neighbour");
    await time.setNextBlockTimestamp(f.noticeEnds - 1);
    await expect(f.approvalRules.connect(f.outsider).fileObjection(f.applicationHash, first))
      .to.emit(f.approvalRules, "ObjectionFiled")
      .withArgs(f.applicationHash, first, f.outsider.address);
    expect(await f.approvalRules.objection(f.applicationHash, first)).to.equal(OBJECTION_STATE.filed);
    await expect(f.approvalRules.connect(f.samrOperator).fileObjection(f.applicationHash, objectionOf("late")))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesNoticeOver")
      .withArgs(f.applicationHash, f.noticeEnds);
  });

  it("rejects a duplicate, zero or misdirected objection", async function () {
    const f = await loadFixture(filingFixture);
    const o = objectionOf("twice");
    await f.approvalRules.connect(f.outsider).fileObjection(f.applicationHash, o);
    await expect(f.approvalRules.connect(f.spare).fileObjection(f.applicationHash, o))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesObjectionExists")
      .withArgs(f.applicationHash, o);
    await expect(f.approvalRules.fileObjection(f.applicationHash, ZeroHash)).to.be.revertedWithCustomError(
      f.approvalRules,
      "ApprovalRulesInvalidObjection",
    );
    const unknown = applicationHashOf("not filed");
    await expect(f.approvalRules.fileObjection(unknown, o))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesUnknownFiling")
      .withArgs(unknown);
  });

  it("rejects closing with an unresolved objection with ApprovalRulesObjectionsUnresolved", async function () {
    const f = await loadFixture(filingFixture);
    await f.approvalRules.connect(f.outsider).fileObjection(f.applicationHash, objectionOf("a"));
    await f.approvalRules.connect(f.outsider).fileObjection(f.applicationHash, objectionOf("b"));
    await f.approvalRules.connect(f.samrOperator).resolveObjection(f.applicationHash, objectionOf("a"), false);
    await time.increaseTo(f.noticeEnds);
    await expect(f.approvalRules.closeFiling(f.applicationHash, f.refs))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesObjectionsUnresolved")
      .withArgs(f.applicationHash, 1);
  });

  it("approves a filing whose objections were all rejected", async function () {
    const f = await loadFixture(filingFixture);
    const o = objectionOf("unfounded");
    await f.approvalRules.connect(f.outsider).fileObjection(f.applicationHash, o);
    await time.increaseTo(f.noticeEnds + 100);
    await expect(f.approvalRules.connect(f.samrOperator).resolveObjection(f.applicationHash, o, false))
      .to.emit(f.approvalRules, "ObjectionResolved")
      .withArgs(f.applicationHash, o, false);
    expect(await f.approvalRules.objection(f.applicationHash, o)).to.equal(OBJECTION_STATE.rejected);
    await expect(f.approvalRules.closeFiling(f.applicationHash, f.refs))
      .to.emit(f.approvalRules, "FilingClosed")
      .withArgs(f.applicationHash, OUTCOME.approved, 0, false);
  });

  it("refuses a filing with an upheld objection when it is closed", async function () {
    const f = await loadFixture(filingFixture);
    const o = objectionOf("founded");
    await f.approvalRules.connect(f.outsider).fileObjection(f.applicationHash, o);
    await expect(f.approvalRules.connect(f.samrOperator).resolveObjection(f.applicationHash, o, true))
      .to.emit(f.approvalRules, "ObjectionResolved")
      .withArgs(f.applicationHash, o, true);
    const filing = await f.approvalRules.filing(f.applicationHash);
    expect([filing.objections, filing.unresolved, filing.upheld]).to.deep.equal([1n, 0n, 1n]);
    await time.increaseTo(f.noticeEnds);
    await expect(f.approvalRules.closeFiling(f.applicationHash, f.refs))
      .to.emit(f.approvalRules, "FilingClosed")
      .withArgs(f.applicationHash, OUTCOME.refused, 1, false)
      .and.to.emit(f.approvalRules, "DecisionRecorded")
      .withArgs(f.applicationHash, MATTER.drawings, PATH.filing, 1, OUTCOME.refused, 0, 2, []);
  });

  it("refuses a filing whose cited evidence was revoked during the notice", async function () {
    const f = await loadFixture(filingFixture);
    const doc = f.evidence.filingDoc;
    await time.increase(NOTICE_SEC / 2);
    await f.ledger.connect(f.samrOperator).revoke(doc.docHash, doc.kind, doc.batchId, doc.proof, REASON.cancelled);
    await time.increaseTo(f.noticeEnds);
    await expect(f.approvalRules.closeFiling(f.applicationHash, f.refs))
      .to.emit(f.approvalRules, "FilingClosed")
      .withArgs(f.applicationHash, OUTCOME.refused, 0, true);
  });

  it("rejects resolving by anyone but the owning department, or an objection not open", async function () {
    const f = await loadFixture(filingFixture);
    const o = objectionOf("x");
    await f.approvalRules.connect(f.outsider).fileObjection(f.applicationHash, o);
    for (const account of [f.outsider, f.mcaOperator, f.bureau]) {
      await expect(f.approvalRules.connect(account).resolveObjection(f.applicationHash, o, true))
        .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesNotOperator")
        .withArgs(account.address, SAMR);
    }
    await f.approvalRules.connect(f.samrOperator).resolveObjection(f.applicationHash, o, false);
    await expect(f.approvalRules.connect(f.samrOperator).resolveObjection(f.applicationHash, o, true))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesObjectionNotOpen")
      .withArgs(f.applicationHash, o, OBJECTION_STATE.rejected);
    const never = objectionOf("never filed");
    await expect(f.approvalRules.connect(f.samrOperator).resolveObjection(f.applicationHash, never, true))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesObjectionNotOpen")
      .withArgs(f.applicationHash, never, OBJECTION_STATE.none);
    const unknown = applicationHashOf("not filed");
    await expect(f.approvalRules.connect(f.samrOperator).resolveObjection(unknown, o, true))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesUnknownFiling")
      .withArgs(unknown);
  });

  it("rejects closing twice with ApprovalRulesAlreadyDecided, and an unknown filing with ApprovalRulesUnknownFiling", async function () {
    const f = await loadFixture(filingFixture);
    await time.increaseTo(f.noticeEnds);
    await f.approvalRules.closeFiling(f.applicationHash, f.refs);
    await expect(f.approvalRules.closeFiling(f.applicationHash, f.refs))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesAlreadyDecided")
      .withArgs(f.applicationHash);
    const unknown = applicationHashOf("not filed");
    await expect(f.approvalRules.closeFiling(unknown, f.refs))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesUnknownFiling")
      .withArgs(unknown);
  });

  it("rejects closing with other evidence than the filing cited with ApprovalRulesFilingEvidenceMismatch", async function () {
    const f = await loadFixture(filingFixture);
    await time.increaseTo(f.noticeEnds);
    for (const refs of [[], [{ ...f.refs[0], departmentId: MCA }], [f.refs[0], f.refs[0]]]) {
      await expect(f.approvalRules.closeFiling(f.applicationHash, refs))
        .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesFilingEvidenceMismatch")
        .withArgs(f.applicationHash);
    }
  });

  it("rejects closing while the filing path is suspended with ApprovalRulesPathSuspended", async function () {
    const f = await loadFixture(filingFixture);
    await f.catalog.connect(f.bureau).suspendPath(MATTER.drawings, PATH.filing, 9);
    await time.increaseTo(f.noticeEnds);
    await expect(f.approvalRules.closeFiling(f.applicationHash, f.refs))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesPathSuspended")
      .withArgs(MATTER.drawings, PATH.filing, 9);
  });

  it("closes under the version it was filed with, even after the rules changed", async function () {
    const f = await loadFixture(filingFixture);
    await f.catalog.connect(f.samrOperator).setMatter(MATTER.drawings, { ...drawingRules(), baselineSignatures: 1 });
    await time.increaseTo(f.noticeEnds);
    await expect(f.approvalRules.closeFiling(f.applicationHash, f.refs))
      .to.emit(f.approvalRules, "DecisionRecorded")
      .withArgs(f.applicationHash, MATTER.drawings, PATH.filing, 1, OUTCOME.approved, 0, 2, []);
  });
});
