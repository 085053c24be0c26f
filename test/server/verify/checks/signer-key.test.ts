// The signer-key check on real certificates and a real registry: each signature's key judged at
// the anchoring block's time (set with hardhat-network-helpers), so a key revoked before the
// anchoring is a fault and one revoked after is not; windows at anchoring time; the registry's
// department over the certificate's; unknown keys; a countersignature with and without a trusted time.
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { signerKeyCheck } from "../../../../server/verify/checks/signer-key";
import { MCA, MCA_NAME, SAMR, SAMR_NAME } from "../../../contracts/fixtures";
import {
  anchorPdf,
  chainFixture,
  makeSignedPdfs,
  registerKey,
  runCheck,
  unreachableReader,
  verifyAndPick,
  type SignedPdfs,
} from "./chain-scenario";

const SEAL = { departmentCode: "SAMR", role: "seal" } as const;
const CHIEF = { departmentCode: "SAMR", role: "chief" } as const;

describe("signer-key check", function () {
  let pdfs: SignedPdfs;
  before(async function () {
    pdfs = await makeSignedPdfs();
  });

  it("accepts a seal key valid at anchoring time and reports its department and role", async function () {
    const f = await loadFixture(chainFixture);
    const keyIdHex = await registerKey(f.registry, f.samrOperator, pdfs.pki, SEAL, SAMR, { fromSec: f.t0, untilSec: f.t0 + 1_000 });
    await anchorPdf(f.ledger, f.samrOperator, pdfs.sealed, f.t0 + 500);
    const [res] = await runCheck(signerKeyCheck, pdfs.sealed, f.reader);
    expect(res).to.deep.include({ id: "signer-key", status: "valid", signature: 0 });
    expect(res.data).to.deep.include({ keyIdHex, departmentId: SAMR, departmentName: SAMR_NAME, role: "seal", judgedAtSec: f.t0 + 500 });
  });

  it("reports the registry's department, not the certificate's, for a SAMR-certified key registered under MCA", async function () {
    const f = await loadFixture(chainFixture);
    await registerKey(f.registry, f.mcaOperator, pdfs.pki, SEAL, MCA, { fromSec: f.t0, untilSec: f.t0 + 1_000 });
    await anchorPdf(f.ledger, f.mcaOperator, pdfs.sealed, f.t0 + 500);
    const [res] = await runCheck(signerKeyCheck, pdfs.sealed, f.reader);
    expect(res).to.deep.include({ status: "valid" });
    expect(res.data).to.deep.include({ departmentId: MCA, departmentName: MCA_NAME });
  });

  it("rejects a key revoked before the anchoring with KEY_REVOKED", async function () {
    const f = await loadFixture(chainFixture);
    const keyId = await registerKey(f.registry, f.samrOperator, pdfs.pki, SEAL, SAMR, { fromSec: f.t0, untilSec: f.t0 + 1_000 });
    await f.registry.connect(f.samrOperator).revokeKey(keyId, f.t0 + 400);
    await anchorPdf(f.ledger, f.samrOperator, pdfs.sealed, f.t0 + 500);
    const [res] = await runCheck(signerKeyCheck, pdfs.sealed, f.reader);
    expect(res).to.deep.include({ status: "invalid", code: "KEY_REVOKED", signature: 0 });
    expect(res.data).to.deep.include({ revokedAtSec: f.t0 + 400, judgedAtSec: f.t0 + 500 });
  });

  it("accepts a key revoked after the anchoring: the time is the anchoring block's, not now", async function () {
    const f = await loadFixture(chainFixture);
    const keyId = await registerKey(f.registry, f.samrOperator, pdfs.pki, SEAL, SAMR, { fromSec: f.t0, untilSec: f.t0 + 1_000 });
    await anchorPdf(f.ledger, f.samrOperator, pdfs.sealed, f.t0 + 500);
    await f.registry.connect(f.samrOperator).revokeKey(keyId, 0);
    const [res] = await runCheck(signerKeyCheck, pdfs.sealed, f.reader);
    expect(res).to.deep.include({ status: "valid" });
    expect((res.data as { revokedAtSec: number }).revokedAtSec).to.be.greaterThan(f.t0 + 500);
  });

  it("rejects a key whose window had ended at anchoring time with KEY_EXPIRED", async function () {
    const f = await loadFixture(chainFixture);
    await registerKey(f.registry, f.samrOperator, pdfs.pki, SEAL, SAMR, { fromSec: f.t0, untilSec: f.t0 + 499 });
    await anchorPdf(f.ledger, f.samrOperator, pdfs.sealed, f.t0 + 500);
    const [res] = await runCheck(signerKeyCheck, pdfs.sealed, f.reader);
    expect(res).to.deep.include({ status: "invalid", code: "KEY_EXPIRED" });
  });

  it("rejects a key whose window had not begun at anchoring time with KEY_NOT_YET_VALID", async function () {
    const f = await loadFixture(chainFixture);
    await registerKey(f.registry, f.samrOperator, pdfs.pki, SEAL, SAMR, { fromSec: f.t0 + 501, untilSec: f.t0 + 1_000 });
    await anchorPdf(f.ledger, f.samrOperator, pdfs.sealed, f.t0 + 500);
    const [res] = await runCheck(signerKeyCheck, pdfs.sealed, f.reader);
    expect(res).to.deep.include({ status: "invalid", code: "KEY_NOT_YET_VALID" });
  });

  it("rejects a key of a department deactivated before the anchoring with DEPARTMENT_INACTIVE", async function () {
    const f = await loadFixture(chainFixture);
    await registerKey(f.registry, f.samrOperator, pdfs.pki, SEAL, SAMR, { fromSec: f.t0, untilSec: f.t0 + 1_000 });
    await f.registry.connect(f.bureau).deactivateDepartment(SAMR);
    // A deactivated department can no longer anchor; another one anchors the file.
    await anchorPdf(f.ledger, f.mcaOperator, pdfs.sealed, f.t0 + 500);
    const [res] = await runCheck(signerKeyCheck, pdfs.sealed, f.reader);
    expect(res).to.deep.include({ status: "invalid", code: "DEPARTMENT_INACTIVE" });
  });

  it("reports a key the registry never heard of as unknown SIGNER_UNKNOWN_KEY", async function () {
    const f = await loadFixture(chainFixture);
    await anchorPdf(f.ledger, f.samrOperator, pdfs.rogueSealed, f.t0 + 500);
    const [res] = await runCheck(signerKeyCheck, pdfs.rogueSealed, f.reader);
    expect(res).to.deep.include({ status: "unknown", code: "SIGNER_UNKNOWN_KEY", signature: 0 });
  });

  it("gives a countersignature added after the only anchoring no trusted time (NO_TRUSTED_TIME), the seal still valid", async function () {
    const f = await loadFixture(chainFixture);
    const window = { fromSec: f.t0, untilSec: f.t0 + 1_000 };
    await registerKey(f.registry, f.samrOperator, pdfs.pki, SEAL, SAMR, window);
    await registerKey(f.registry, f.samrOperator, pdfs.pki, CHIEF, SAMR, window);
    await anchorPdf(f.ledger, f.samrOperator, pdfs.sealed, f.t0 + 500);
    const results = await runCheck(signerKeyCheck, pdfs.countersigned, f.reader);
    expect(results.map((r) => [r.signature, r.status, r.code])).to.deep.equal([
      [0, "valid", undefined],
      [1, "unknown", "NO_TRUSTED_TIME"],
    ]);
  });

  it("judges each signature of a countersigned file at the earliest anchoring that contains it", async function () {
    const f = await loadFixture(chainFixture);
    const window = { fromSec: f.t0, untilSec: f.t0 + 1_000 };
    const sealKey = await registerKey(f.registry, f.samrOperator, pdfs.pki, SEAL, SAMR, window);
    await registerKey(f.registry, f.samrOperator, pdfs.pki, CHIEF, SAMR, window);
    await anchorPdf(f.ledger, f.samrOperator, pdfs.sealed, f.t0 + 500);
    // The seal key is revoked between the two anchorings: the seal was on chain before that.
    await f.registry.connect(f.samrOperator).revokeKey(sealKey, f.t0 + 600);
    await anchorPdf(f.ledger, f.samrOperator, pdfs.countersigned, f.t0 + 700);
    const results = await runCheck(signerKeyCheck, pdfs.countersigned, f.reader);
    expect(results.map((r) => [r.signature, r.status, (r.data as { judgedAtSec?: number }).judgedAtSec])).to.deep.equal([
      [0, "valid", f.t0 + 500],
      [1, "valid", f.t0 + 700],
    ]);
    expect(results[1].data).to.deep.include({ role: "chief" });
  });

  it("rejects a countersignature by a chief key revoked before the second anchoring", async function () {
    const f = await loadFixture(chainFixture);
    const window = { fromSec: f.t0, untilSec: f.t0 + 1_000 };
    await registerKey(f.registry, f.samrOperator, pdfs.pki, SEAL, SAMR, window);
    const chiefKey = await registerKey(f.registry, f.samrOperator, pdfs.pki, CHIEF, SAMR, window);
    await anchorPdf(f.ledger, f.samrOperator, pdfs.sealed, f.t0 + 500);
    await f.registry.connect(f.samrOperator).revokeKey(chiefKey, f.t0 + 600);
    await anchorPdf(f.ledger, f.samrOperator, pdfs.countersigned, f.t0 + 700);
    const results = await runCheck(signerKeyCheck, pdfs.countersigned, f.reader);
    expect(results.map((r) => [r.signature, r.status, r.code])).to.deep.equal([
      [0, "valid", undefined],
      [1, "invalid", "KEY_REVOKED"],
    ]);
  });

  it("reports an unreachable chain as unknown CHAIN_UNREACHABLE, never invalid", async function () {
    const f = await loadFixture(chainFixture);
    const { report, results } = await verifyAndPick(pdfs.sealed, await unreachableReader(f.deployment), "signer-key");
    expect(results).to.have.length(1);
    expect(results[0]).to.deep.include({ id: "signer-key", status: "unknown", code: "CHAIN_UNREACHABLE" });
    expect(report.verdict).to.equal("unknown");
  });
});
