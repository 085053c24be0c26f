// The production jobs through the pool, on Hardhat's in-process chain: a verification in a worker
// gives the same Report as verifyPdf in process, its chain questions answered on the main thread
// (a refusing or unreachable node still unknown with its code); one past its limit is verdict
// error VERIFY_LIMIT_EXCEEDED and the next runs; seals and countersignatures made in a worker,
// signed by the main thread's signer, pass pdfsig.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { DEMO_DEPARTMENTS } from "../../../server/demo/departments";
import { ZeroSignError } from "../../../server/errors";
import { loadCertificateFonts } from "../../../server/pdf/fonts";
import { sealPdf } from "../../../server/pdf/seal-pdf";
import { ensureDevPki } from "../../../server/pki/dev-pki";
import { derToPem } from "../../../server/pki/pem";
import type { Signer } from "../../../server/pki/signer";
import { REASONS, verifyPdf } from "../../../server/verify";
import { countersignInPool, sealInPool, verifyInPool } from "../../../server/workers/pool-jobs";
import { isPrefix, makePdfLibPdf } from "../pdf/fixtures";
import { createTrustedNssDb, pdfsig, tempDir } from "../pdf/signature-tools";
import { anchorPdf, logsRefusingReader, makeSignedPdfs, unreachableReader, withSamrKeys, type SignedPdfs } from "../verify/checks/chain-scenario";
import { closeTestPools, productionPool, testPool } from "./pool-fixture";

const SIGNING_TIME = new Date("2025-03-01T08:00:00Z");

/** `signer`, counting the sign() calls made on this (the main) thread. */
function countingSigner(signer: Signer): { signer: Signer; calls: () => number } {
  let calls = 0;
  return {
    signer: { ...signer, sign: (data) => (calls++, signer.sign(data)) },
    calls: () => calls,
  };
}

describe("verify and sign jobs in the worker pool", function () {
  this.timeout(180_000);
  let pdfs: SignedPdfs;

  before(async function () {
    pdfs = await makeSignedPdfs();
  });
  afterEach(closeTestPools);

  it("verifies an anchored certificate in a worker as valid, the same report as in process, the chain asked through the main thread", async function () {
    const f = await withSamrKeys(pdfs);
    await anchorPdf(f.ledger, f.samrOperator, pdfs.sealed, f.t0 + 100);
    const pool = productionPool();
    const report = await verifyInPool(pool, pdfs.sealed, { chain: f.reader });
    expect(report.verdict, JSON.stringify(report.checks)).to.equal("valid");
    expect(report).to.deep.equal(await verifyPdf(pdfs.sealed, { chain: f.reader }));
    // A second verification on the same worker (its certificate cache warm) says the same.
    expect(await verifyInPool(pool, pdfs.sealed, { chain: f.reader })).to.deep.equal(report);
    expect(pool.stats()).to.include({ workers: 1 });
  });

  it("reports a node that refuses the log search as unknown CHAIN_QUERY_REFUSED and an unreachable one as unknown CHAIN_UNREACHABLE", async function () {
    const f = await withSamrKeys(pdfs);
    await anchorPdf(f.ledger, f.samrOperator, pdfs.sealed, f.t0 + 100);
    const pool = productionPool();
    const refused = await verifyInPool(pool, pdfs.sealed, { chain: logsRefusingReader(f.deployment) });
    expect(refused.checks.find((c) => c.id === "anchor")).to.deep.equal({ id: "anchor", status: "unknown", code: "CHAIN_QUERY_REFUSED", reason: REASONS.CHAIN_QUERY_REFUSED });
    expect(refused.verdict).to.equal("unknown");
    const unreachable = await verifyInPool(pool, pdfs.sealed, { chain: await unreachableReader(f.deployment) });
    expect(unreachable.checks.find((c) => c.id === "anchor")).to.deep.equal({ id: "anchor", status: "unknown", code: "CHAIN_UNREACHABLE", reason: REASONS.CHAIN_UNREACHABLE });
    expect(unreachable.verdict).to.equal("unknown");
  });

  it("verifies offline in a worker when given no chain: chain checks skipped OFFLINE", async function () {
    const report = await verifyInPool(productionPool(), pdfs.sealed);
    expect(report.checks.find((c) => c.id === "anchor")).to.deep.include({ status: "skipped", code: "OFFLINE" });
    expect(report).to.deep.equal(await verifyPdf(pdfs.sealed));
  });

  it("gives verdict error VERIFY_LIMIT_EXCEEDED for a verification past its time limit, and verifies the next upload", async function () {
    const pool = testPool({ jobTimeoutMs: 1000 });
    const spin = Buffer.concat([Buffer.from("%SPIN\n", "latin1"), pdfs.sealed]);
    const report = await verifyInPool(pool, spin);
    expect(report).to.deep.include({ verdict: "error", code: "VERIFY_LIMIT_EXCEEDED" });
    expect(report.checks).to.deep.equal([{ id: "structure", status: "error", code: "VERIFY_LIMIT_EXCEEDED", reason: report.reason }]);
    expect(report.reason).to.contain("took longer");
    expect((await verifyInPool(pool, pdfs.sealed)).checks.find((c) => c.id === "signature-integrity")).to.deep.include({ status: "valid" });
  });

  it("gives verdict error VERIFY_LIMIT_EXCEEDED for a verification that exhausts the worker's heap, and verifies the next upload", async function () {
    const pool = testPool({ maxOldGenerationSizeMb: 128 });
    const report = await verifyInPool(pool, Buffer.concat([Buffer.from("%ALLOC\n", "latin1"), pdfs.sealed]));
    expect(report).to.deep.include({ verdict: "error", code: "VERIFY_LIMIT_EXCEEDED" });
    expect(report.reason).to.contain("memory");
    expect((await verifyInPool(pool, pdfs.sealed)).checks.find((c) => c.id === "signature-integrity")).to.deep.include({ status: "valid" });
  });

  it("seals and countersigns in a worker with the main thread's signer; pdfsig validates both signatures", async function () {
    const dir = tempDir("pool-sign");
    const pki = await ensureDevPki(path.join(dir, "data"), DEMO_DEPARTMENTS.slice(0, 1), { algorithms: ["ecdsa-p256"], now: SIGNING_TIME });
    const nss = createTrustedNssDb([...pki.caCertificates.values()].map((der) => derToPem(der, "CERTIFICATE")));
    const plain = await makePdfLibPdf();
    const pool = productionPool();
    const seal = countingSigner(pki.signerFor("SAMR", "seal"));
    const sealed = await sealInPool(pool, plain, { signer: seal.signer, sealName: "市场监督管理局", page: 1, signingTime: SIGNING_TIME });
    const chief = countingSigner(pki.signerFor("SAMR", "chief"));
    const both = await countersignInPool(pool, sealed, { signer: chief.signer, role: "chief", departmentName: "市场监督管理局", signingTime: SIGNING_TIME });
    expect([seal.calls(), chief.calls()]).to.deep.equal([1, 1]);
    expect(isPrefix(plain, sealed) && isPrefix(sealed, both)).to.equal(true);
    const file = path.join(dir, "both.pdf");
    writeFileSync(file, both);
    const { signatures, output } = pdfsig(nss, file);
    expect(signatures.map((s) => [s.field, s.valid, s.trusted]), output).to.deep.equal([
      ["Seal1", true, true],
      ["Chief1", true, true],
    ]);
  });

  it("refuses a PDF the sign job cannot read with sealPdf's typed error, code and status (415 PDF_NOT_PDF)", async function () {
    const dir = tempDir("pool-sign-bad");
    const pki = await ensureDevPki(path.join(dir, "data"), DEMO_DEPARTMENTS.slice(0, 1), { algorithms: ["ecdsa-p256"], now: SIGNING_TIME });
    const err = await sealInPool(productionPool(), new TextEncoder().encode("not a pdf"), {
      signer: pki.signerFor("SAMR", "seal"),
      sealName: "市场监督管理局",
      page: 1,
      signingTime: SIGNING_TIME,
    }).then(
      () => expect.fail("sealed a non-PDF"),
      (e: unknown) => e,
    );
    const inProcess = await sealPdf(new TextEncoder().encode("not a pdf"), {
      signer: pki.signerFor("SAMR", "seal"),
      sealName: "市场监督管理局",
      sealFont: loadCertificateFonts().bold,
      page: 1,
      signingTime: SIGNING_TIME,
    }).then(
      () => expect.fail("sealed a non-PDF"),
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(ZeroSignError);
    expect(err).to.include({ code: "PDF_NOT_PDF", httpStatus: 415 });
    expect((err as Error).constructor).to.equal((inProcess as Error).constructor);
  });
});
