// The anchor check on real certificates and a real ledger: found or not, which revision is "the
// anchored revision" of a countersigned file, the earliest anchoring as the time, the department
// that anchored against the department that signed, a lying node's forged proof, and an outage.
import { expect } from "chai";
import { anchorCheck } from "../../../../server/verify/checks/anchor";
import type { ChainReader } from "../../../../server/verify/chain-reader";
import { REASONS } from "../../../../server/verify/reasons";
import { MCA, SAMR, SAMR_NAME } from "../../../contracts/fixtures";
import {
  anchorPdf,
  countingReader,
  logsRefusingReader,
  makeSignedPdfs,
  runCheck,
  sha256Hex,
  unreachableReader,
  verifyAndPick,
  withSamrKeys,
  type SignedPdfs,
} from "./chain-scenario";

describe("anchor check", function () {
  let pdfs: SignedPdfs;
  before(async function () {
    pdfs = await makeSignedPdfs();
  });


  it("finds a certificate anchored by the department that sealed it, with batch, time and department", async function () {
    const f = await withSamrKeys(pdfs);
    const { batchId, docHashHex } = await anchorPdf(f.ledger, f.samrOperator, pdfs.sealed, f.t0 + 100);
    const [res] = await runCheck(anchorCheck, pdfs.sealed, f.reader);
    expect(res).to.deep.include({ id: "anchor", status: "valid" });
    expect(res.code).to.equal(undefined);
    expect(res.data).to.deep.include({
      docHashHex,
      coversWholeFile: true,
      departmentId: SAMR,
      departmentName: SAMR_NAME,
      batchId,
      kind: 0,
      anchoredAtSec: f.t0 + 100,
    });
  });

  it("reports a certificate that was never anchored as unknown NOT_ANCHORED", async function () {
    const f = await withSamrKeys(pdfs);
    const [res] = await runCheck(anchorCheck, pdfs.sealed, f.reader);
    expect(res).to.deep.include({ id: "anchor", status: "unknown", code: "NOT_ANCHORED" });
    expect(res.data).to.deep.equal({ docHashHex: sha256Hex(pdfs.sealed) });
  });

  it("does not take a file that differs by one byte from an anchored one as anchored", async function () {
    const f = await withSamrKeys(pdfs);
    await anchorPdf(f.ledger, f.samrOperator, pdfs.sealed, f.t0 + 100);
    const changed = Uint8Array.from(pdfs.sealed);
    changed[changed.length - 1] ^= 0x01;
    const [res] = await runCheck(anchorCheck, changed, f.reader);
    expect(res).to.deep.include({ status: "unknown", code: "NOT_ANCHORED" });
  });

  it("rejects a SAMR certificate anchored only by MCA with ANCHOR_DEPARTMENT_MISMATCH", async function () {
    const f = await withSamrKeys(pdfs);
    await anchorPdf(f.ledger, f.mcaOperator, pdfs.sealed, f.t0 + 100);
    const [res] = await runCheck(anchorCheck, pdfs.sealed, f.reader);
    expect(res).to.deep.include({ id: "anchor", status: "invalid", code: "ANCHOR_DEPARTMENT_MISMATCH" });
    expect(res.data).to.deep.include({ anchoringDepartmentIds: [MCA], signingDepartmentId: SAMR });
  });

  it("keeps the issuer's earliest anchoring when another department re-anchors the file later", async function () {
    const f = await withSamrKeys(pdfs);
    const first = await anchorPdf(f.ledger, f.samrOperator, pdfs.sealed, f.t0 + 100);
    await anchorPdf(f.ledger, f.mcaOperator, pdfs.sealed, f.t0 + 200);
    await anchorPdf(f.ledger, f.samrOperator, pdfs.sealed, f.t0 + 300);
    const [res] = await runCheck(anchorCheck, pdfs.sealed, f.reader);
    expect(res).to.deep.include({ status: "valid" });
    expect(res.data).to.deep.include({ batchId: first.batchId, anchoredAtSec: f.t0 + 100, departmentId: SAMR });
  });

  it("takes the sealed revision as the anchored revision of a countersigned file when only it is anchored", async function () {
    const f = await withSamrKeys(pdfs);
    const { docHashHex } = await anchorPdf(f.ledger, f.samrOperator, pdfs.sealed, f.t0 + 100);
    const [res] = await runCheck(anchorCheck, pdfs.countersigned, f.reader);
    expect(res).to.deep.include({ status: "valid" });
    expect(res.data).to.deep.include({ docHashHex, endOffset: pdfs.sealed.length, coversWholeFile: false, anchoredAtSec: f.t0 + 100 });
  });

  it("takes the whole countersigned file as the anchored revision once it is anchored too", async function () {
    const f = await withSamrKeys(pdfs);
    await anchorPdf(f.ledger, f.samrOperator, pdfs.sealed, f.t0 + 100);
    const { docHashHex } = await anchorPdf(f.ledger, f.samrOperator, pdfs.countersigned, f.t0 + 200);
    const [res] = await runCheck(anchorCheck, pdfs.countersigned, f.reader);
    expect(res).to.deep.include({ status: "valid" });
    expect(res.data).to.deep.include({ docHashHex, coversWholeFile: true, anchoredAtSec: f.t0 + 200 });
  });

  it("cannot compare departments when the signer's key is not registered: unknown SIGNER_UNKNOWN_KEY", async function () {
    const f = await withSamrKeys(pdfs);
    await anchorPdf(f.ledger, f.samrOperator, pdfs.rogueSealed, f.t0 + 100);
    const [res] = await runCheck(anchorCheck, pdfs.rogueSealed, f.reader);
    expect(res).to.deep.include({ status: "unknown", code: "SIGNER_UNKNOWN_KEY" });
  });

  it("rejects a Merkle proof that does not hold against the stored root (a lying node) with ANCHOR_PROOF_INVALID", async function () {
    const f = await withSamrKeys(pdfs);
    await anchorPdf(f.ledger, f.samrOperator, pdfs.sealed, f.t0 + 100);
    const lying: ChainReader = {
      ...f.reader,
      findAnchors: async (docHashHex) =>
        (await f.reader.findAnchors(docHashHex)).map((a) => ({ ...a, proof: [sha256Hex(new Uint8Array([1]))] })),
    };
    const [res] = await runCheck(anchorCheck, pdfs.sealed, lying);
    expect(res).to.deep.include({ status: "invalid", code: "ANCHOR_PROOF_INVALID" });
  });

  it("asks each chain question once per verification", async function () {
    const f = await withSamrKeys(pdfs);
    await anchorPdf(f.ledger, f.samrOperator, pdfs.sealed, f.t0 + 100);
    const { reader, calls } = countingReader(f.reader);
    await runCheck(anchorCheck, pdfs.countersigned, reader);
    expect([...calls.values()].every((n) => n === 1), JSON.stringify([...calls])).to.equal(true);
    expect([...calls.keys()].filter((k) => k.startsWith("findAnchors"))).to.have.length(2);
  });

  it("reports an unreachable chain as unknown CHAIN_UNREACHABLE, never invalid", async function () {
    const f = await withSamrKeys(pdfs);
    await anchorPdf(f.ledger, f.samrOperator, pdfs.sealed, f.t0 + 100);
    const { report, results } = await verifyAndPick(pdfs.sealed, await unreachableReader(f.deployment), "anchor");
    expect(results).to.deep.equal([{ id: "anchor", status: "unknown", code: "CHAIN_UNREACHABLE", reason: REASONS.CHAIN_UNREACHABLE }]);
    expect(report.verdict).to.equal("unknown");
  });

  it("reports a node that refuses the log search as unknown CHAIN_QUERY_REFUSED, never invalid or error", async function () {
    const f = await withSamrKeys(pdfs);
    await anchorPdf(f.ledger, f.samrOperator, pdfs.sealed, f.t0 + 100);
    const { report, results } = await verifyAndPick(pdfs.sealed, logsRefusingReader(f.deployment), "anchor");
    expect(results).to.deep.equal([{ id: "anchor", status: "unknown", code: "CHAIN_QUERY_REFUSED", reason: REASONS.CHAIN_QUERY_REFUSED }]);
    expect(report.verdict).to.equal("unknown");
  });

  it("is skipped offline with OFFLINE", async function () {
    const { report, results } = await verifyAndPick(pdfs.sealed, undefined, "anchor");
    expect(results).to.have.length(1);
    expect(results[0]).to.deep.include({ status: "skipped", code: "OFFLINE" });
    expect(report.verdict).to.equal("unknown");
  });

  it("verifies an anchored, registered certificate end to end as valid, and a countersigned one with both revisions anchored", async function () {
    const f = await withSamrKeys(pdfs);
    await anchorPdf(f.ledger, f.samrOperator, pdfs.sealed, f.t0 + 100);
    const sealed = await verifyAndPick(pdfs.sealed, f.reader, "anchor");
    expect(sealed.report.verdict, JSON.stringify(sealed.report.checks)).to.equal("valid");
    const before = await verifyAndPick(pdfs.countersigned, f.reader, "signer-key");
    expect(before.report).to.deep.include({ verdict: "unknown", code: "NO_TRUSTED_TIME" });
    await anchorPdf(f.ledger, f.samrOperator, pdfs.countersigned, f.t0 + 200);
    const after = await verifyAndPick(pdfs.countersigned, f.reader, "signer-key");
    expect(after.report.verdict, JSON.stringify(after.report.checks)).to.equal("valid");
  });
});
