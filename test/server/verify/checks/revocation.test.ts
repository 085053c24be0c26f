// The revocation check on real certificates and a real ledger: the issuer's revocation with its
// reason and time, a re-anchoring department's revocation that does not count, a revoked sealed
// revision that a later countersignature cannot launder, and an outage.
import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { revocationCheck } from "../../../../server/verify/checks/revocation";
import { REASON, SAMR } from "../../../contracts/fixtures";
import {
  anchorPdf,
  makeSignedPdfs,
  runCheck,
  sha256Hex,
  unreachableReader,
  verifyAndPick,
  withSamrKeys,
  type ChainFixture,
  type SignedPdfs,
} from "./chain-scenario";

describe("revocation check", function () {
  let pdfs: SignedPdfs;
  before(async function () {
    pdfs = await makeSignedPdfs();
  });


  /** Revokes `bytes` as `operator`, using the proof the chain itself gives back. */
  async function revoke(f: ChainFixture, operator: ChainFixture["samrOperator"], bytes: Uint8Array, atSec: number, batchId: number) {
    const docHashHex = sha256Hex(bytes);
    const anchors = await f.reader.findAnchors(docHashHex);
    const anchor = anchors.find((a) => a.batchId === batchId);
    if (!anchor) throw new Error("not anchored in that batch");
    await time.setNextBlockTimestamp(atSec);
    await f.ledger.connect(operator).revoke(docHashHex, anchor.kind, batchId, anchor.proof, REASON.sanctioned);
  }

  it("accepts an anchored certificate nobody revoked", async function () {
    const f = await withSamrKeys(pdfs);
    await anchorPdf(f.ledger, f.samrOperator, pdfs.sealed, f.t0 + 100);
    const [res] = await runCheck(revocationCheck, pdfs.sealed, f.reader);
    expect(res).to.deep.include({ id: "revocation", status: "valid" });
  });

  it("rejects a certificate its issuer revoked with DOCUMENT_REVOKED, the reason code and the time", async function () {
    const f = await withSamrKeys(pdfs);
    const { batchId, docHashHex } = await anchorPdf(f.ledger, f.samrOperator, pdfs.sealed, f.t0 + 100);
    await revoke(f, f.samrOperator, pdfs.sealed, f.t0 + 200, batchId);
    const [res] = await runCheck(revocationCheck, pdfs.sealed, f.reader);
    expect(res).to.deep.include({ id: "revocation", status: "invalid", code: "DOCUMENT_REVOKED" });
    expect(res.data).to.deep.equal({
      docHashHex,
      revision: 1,
      departmentId: SAMR,
      reasonCode: REASON.sanctioned,
      revokedAtSec: f.t0 + 200,
      batchId,
    });
  });

  it("ignores a revocation by a department that only re-anchored the certificate", async function () {
    const f = await withSamrKeys(pdfs);
    await anchorPdf(f.ledger, f.samrOperator, pdfs.sealed, f.t0 + 100);
    const again = await anchorPdf(f.ledger, f.mcaOperator, pdfs.sealed, f.t0 + 150);
    await revoke(f, f.mcaOperator, pdfs.sealed, f.t0 + 200, again.batchId);
    const [res] = await runCheck(revocationCheck, pdfs.sealed, f.reader);
    expect(res).to.deep.include({ status: "valid" });
  });

  it("rejects a countersigned file whose sealed revision the issuer revoked, even though the whole file is anchored", async function () {
    const f = await withSamrKeys(pdfs);
    const sealed = await anchorPdf(f.ledger, f.samrOperator, pdfs.sealed, f.t0 + 100);
    await revoke(f, f.samrOperator, pdfs.sealed, f.t0 + 200, sealed.batchId);
    await anchorPdf(f.ledger, f.samrOperator, pdfs.countersigned, f.t0 + 300);
    const [res] = await runCheck(revocationCheck, pdfs.countersigned, f.reader);
    expect(res).to.deep.include({ status: "invalid", code: "DOCUMENT_REVOKED" });
    expect(res.data).to.deep.include({ docHashHex: sealed.docHashHex });
  });

  it("is skipped with NOT_ANCHORED when no revision is anchored", async function () {
    const f = await withSamrKeys(pdfs);
    const [res] = await runCheck(revocationCheck, pdfs.sealed, f.reader);
    expect(res).to.deep.include({ status: "skipped", code: "NOT_ANCHORED" });
  });

  it("reports an unreachable chain as unknown CHAIN_UNREACHABLE, never invalid", async function () {
    const f = await withSamrKeys(pdfs);
    await anchorPdf(f.ledger, f.samrOperator, pdfs.sealed, f.t0 + 100);
    const { report, results } = await verifyAndPick(pdfs.sealed, await unreachableReader(f.deployment), "revocation");
    expect(results).to.have.length(1);
    expect(results[0]).to.deep.include({ id: "revocation", status: "unknown", code: "CHAIN_UNREACHABLE" });
    expect(report.verdict).to.equal("unknown");
  });

  it("makes the whole report invalid with DOCUMENT_REVOKED when the issuer revoked the certificate", async function () {
    const f = await withSamrKeys(pdfs);
    const { batchId } = await anchorPdf(f.ledger, f.samrOperator, pdfs.sealed, f.t0 + 100);
    await revoke(f, f.samrOperator, pdfs.sealed, f.t0 + 200, batchId);
    const { report } = await verifyAndPick(pdfs.sealed, f.reader, "revocation");
    expect(report).to.deep.include({ verdict: "invalid", code: "DOCUMENT_REVOKED" });
  });
});
