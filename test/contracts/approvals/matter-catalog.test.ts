// MatterCatalog: who may set a matter's rules (the owning department's operator or the approval
// bureau, as the registry says), what rules are accepted, that every version stays readable, and
// the circuit breaker that suspends one path of one matter with a public reason.
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { encodeBytes32String, ZeroHash } from "ethers";
import { DOCUMENT_KINDS } from "../../../server/chain/merkle";
import { MCA, SAMR } from "../fixtures";
import {
  approvalsFixture,
  elderlyRules,
  foodRules,
  MATTER,
  PATH,
  pathBits,
  POST_CHECK_SEC,
  PSB,
} from "./approvals-fixture";

const NEW_MATTER = encodeBytes32String("SOLE_TRADER");

function soleTraderRules() {
  return { ...foodRules(), name: "个体工商户登记", allowedPaths: pathBits(PATH.instant, PATH.signOnce), evidence: [] };
}

describe("MatterCatalog: setting matters", function () {
  it("adds a matter by its department's operator as version 1, emitting MatterVersionSet", async function () {
    const f = await loadFixture(approvalsFixture);
    const rules = soleTraderRules();
    await expect(f.catalog.connect(f.samrOperator).setMatter(NEW_MATTER, rules))
      .to.emit(f.catalog, "MatterVersionSet")
      .withArgs(NEW_MATTER, SAMR, 1, 2, rules.allowedPaths, f.samrOperator.address);
    const stored = await f.catalog.matter(NEW_MATTER);
    expect([stored.version, stored.setBy, stored.rules.name, stored.rules.departmentId]).to.deep.equal([
      1n,
      f.samrOperator.address,
      "个体工商户登记",
      SAMR,
    ]);
    expect(await f.catalog.matterOwner(NEW_MATTER)).to.deep.equal([SAMR, 1n]);
    expect(await f.catalog.matterCodes()).to.deep.equal([MATTER.elderly, MATTER.food, MATTER.drawings, NEW_MATTER]);
  });

  it("lets the approval bureau (the registry's BUREAU_ROLE) set any department's matter", async function () {
    const f = await loadFixture(approvalsFixture);
    expect(await f.catalog.BUREAU_ROLE()).to.equal(await f.registry.BUREAU_ROLE());
    await expect(f.catalog.connect(f.bureau).setMatter(MATTER.food, { ...foodRules(), allowedPaths: pathBits(PATH.commitment) }))
      .to.emit(f.catalog, "MatterVersionSet")
      .withArgs(MATTER.food, SAMR, 2, 2, pathBits(PATH.commitment), f.bureau.address);
  });

  it("follows the registry: a bureau role revoked there can no longer set matters", async function () {
    const f = await loadFixture(approvalsFixture);
    await f.registry.connect(f.bureau).revokeRole(await f.registry.BUREAU_ROLE(), f.bureau.address);
    await expect(f.catalog.connect(f.bureau).setMatter(MATTER.food, foodRules()))
      .to.be.revertedWithCustomError(f.catalog, "MatterCatalogNotAuthorized")
      .withArgs(f.bureau.address, SAMR);
  });

  it("keeps every version readable with matterAt, and the current one with matter", async function () {
    const f = await loadFixture(approvalsFixture);
    await f.catalog.connect(f.samrOperator).setMatter(MATTER.food, { ...foodRules(), postCheckPeriodSec: 90 * 86_400 });
    await f.catalog.connect(f.samrOperator).setMatter(MATTER.food, { ...foodRules(), name: "餐饮店食品经营许可", evidence: [] });
    const v1 = await f.catalog.matterAt(MATTER.food, 1);
    const v2 = await f.catalog.matterAt(MATTER.food, 2);
    const v3 = await f.catalog.matter(MATTER.food);
    expect([v1.version, v1.rules.postCheckPeriodSec, v1.rules.evidence.length]).to.deep.equal([1n, BigInt(POST_CHECK_SEC), 1]);
    expect([v2.version, v2.rules.postCheckPeriodSec]).to.deep.equal([2n, 90n * 86_400n]);
    expect([v3.version, v3.rules.name, v3.rules.evidence.length]).to.deep.equal([3n, "餐饮店食品经营许可", 0]);
    expect([...v1.rules.evidence[0]]).to.deep.equal([BigInt(DOCUMENT_KINDS["commitment-letter"]), SAMR, BigInt(pathBits(PATH.commitment))]);
  });

  it("rejects unknown matters and versions with MatterCatalogUnknownMatter and MatterCatalogUnknownVersion", async function () {
    const f = await loadFixture(approvalsFixture);
    await expect(f.catalog.matter(NEW_MATTER)).to.be.revertedWithCustomError(f.catalog, "MatterCatalogUnknownMatter").withArgs(NEW_MATTER);
    await expect(f.catalog.matterAt(NEW_MATTER, 1)).to.be.revertedWithCustomError(f.catalog, "MatterCatalogUnknownMatter").withArgs(NEW_MATTER);
    await expect(f.catalog.pathRules(NEW_MATTER, PATH.instant)).to.be.revertedWithCustomError(f.catalog, "MatterCatalogUnknownMatter").withArgs(NEW_MATTER);
    for (const version of [0, 2]) {
      await expect(f.catalog.matterAt(MATTER.food, version))
        .to.be.revertedWithCustomError(f.catalog, "MatterCatalogUnknownVersion")
        .withArgs(MATTER.food, version);
    }
    expect(await f.catalog.matterOwner(NEW_MATTER)).to.deep.equal([ZeroHash, 0n]);
  });

  it("rejects another department's operator, an outsider and a removed operator with MatterCatalogNotAuthorized", async function () {
    const f = await loadFixture(approvalsFixture);
    for (const account of [f.mcaOperator, f.outsider]) {
      await expect(f.catalog.connect(account).setMatter(MATTER.food, foodRules()))
        .to.be.revertedWithCustomError(f.catalog, "MatterCatalogNotAuthorized")
        .withArgs(account.address, SAMR);
    }
    await f.registry.connect(f.bureau).removeOperator(SAMR, f.samrOperator.address);
    await expect(f.catalog.connect(f.samrOperator).setMatter(MATTER.food, foodRules()))
      .to.be.revertedWithCustomError(f.catalog, "MatterCatalogNotAuthorized")
      .withArgs(f.samrOperator.address, SAMR);
  });

  it("rejects moving a matter to another department with MatterCatalogDepartmentChanged, even for the bureau", async function () {
    const f = await loadFixture(approvalsFixture);
    await expect(f.catalog.connect(f.bureau).setMatter(MATTER.food, { ...foodRules(), departmentId: MCA }))
      .to.be.revertedWithCustomError(f.catalog, "MatterCatalogDepartmentChanged")
      .withArgs(MATTER.food, SAMR, MCA);
  });

  it("rejects a matter of a deactivated or unregistered department", async function () {
    const f = await loadFixture(approvalsFixture);
    const nowhere = encodeBytes32String("NOWHERE");
    await expect(f.catalog.connect(f.bureau).setMatter(NEW_MATTER, { ...soleTraderRules(), departmentId: nowhere }))
      .to.be.revertedWithCustomError(f.catalog, "MatterCatalogUnknownDepartment")
      .withArgs(nowhere);
    await f.registry.connect(f.bureau).deactivateDepartment(SAMR);
    await expect(f.catalog.connect(f.bureau).setMatter(NEW_MATTER, soleTraderRules()))
      .to.be.revertedWithCustomError(f.catalog, "MatterCatalogDepartmentInactive")
      .withArgs(SAMR);
    await expect(f.catalog.connect(f.samrOperator).setMatter(NEW_MATTER, soleTraderRules()))
      .to.be.revertedWithCustomError(f.catalog, "MatterCatalogNotAuthorized")
      .withArgs(f.samrOperator.address, SAMR);
  });

  it("rejects a zero code or an empty name with MatterCatalogInvalidMatter", async function () {
    const f = await loadFixture(approvalsFixture);
    await expect(f.catalog.connect(f.samrOperator).setMatter(ZeroHash, soleTraderRules()))
      .to.be.revertedWithCustomError(f.catalog, "MatterCatalogInvalidMatter")
      .withArgs(ZeroHash);
    await expect(f.catalog.connect(f.samrOperator).setMatter(NEW_MATTER, { ...soleTraderRules(), name: "" }))
      .to.be.revertedWithCustomError(f.catalog, "MatterCatalogInvalidMatter")
      .withArgs(NEW_MATTER);
  });

  it("rejects a baseline other than 1 or 2 with MatterCatalogInvalidBaseline", async function () {
    const f = await loadFixture(approvalsFixture);
    for (const baseline of [0, 3]) {
      await expect(f.catalog.connect(f.samrOperator).setMatter(NEW_MATTER, { ...soleTraderRules(), baselineSignatures: baseline }))
        .to.be.revertedWithCustomError(f.catalog, "MatterCatalogInvalidBaseline")
        .withArgs(baseline);
    }
  });

  it("rejects no path or an unknown path bit with MatterCatalogInvalidPaths", async function () {
    const f = await loadFixture(approvalsFixture);
    for (const allowedPaths of [0, 1 << 5, pathBits(PATH.instant) | (1 << 7)]) {
      await expect(f.catalog.connect(f.samrOperator).setMatter(NEW_MATTER, { ...soleTraderRules(), allowedPaths }))
        .to.be.revertedWithCustomError(f.catalog, "MatterCatalogInvalidPaths")
        .withArgs(allowedPaths);
    }
  });

  it("rejects a commitment path without a post-check period, or a filing path without a notice period", async function () {
    const f = await loadFixture(approvalsFixture);
    await expect(f.catalog.connect(f.samrOperator).setMatter(MATTER.food, { ...foodRules(), postCheckPeriodSec: 0 }))
      .to.be.revertedWithCustomError(f.catalog, "MatterCatalogMissingPeriod")
      .withArgs(PATH.commitment);
    await expect(
      f.catalog.connect(f.samrOperator).setMatter(NEW_MATTER, { ...soleTraderRules(), allowedPaths: pathBits(PATH.filing) }),
    )
      .to.be.revertedWithCustomError(f.catalog, "MatterCatalogMissingPeriod")
      .withArgs(PATH.filing);
  });

  it("rejects a requirement for no path, a path not allowed or a zero or unknown department", async function () {
    const f = await loadFixture(approvalsFixture);
    const good = { kind: DOCUMENT_KINDS.certificate, departmentId: PSB, paths: pathBits(PATH.instant) };
    const bad = [
      { ...good, paths: 0 },
      { ...good, paths: pathBits(PATH.signTwice) },
      { ...good, departmentId: ZeroHash },
    ];
    for (const requirement of bad) {
      await expect(f.catalog.connect(f.mcaOperator).setMatter(MATTER.elderly, { ...elderlyRules(), evidence: [good, requirement] }))
        .to.be.revertedWithCustomError(f.catalog, "MatterCatalogInvalidRequirement")
        .withArgs(1);
    }
    const nowhere = encodeBytes32String("NOWHERE");
    await expect(f.catalog.connect(f.mcaOperator).setMatter(MATTER.elderly, { ...elderlyRules(), evidence: [{ ...good, departmentId: nowhere }] }))
      .to.be.revertedWithCustomError(f.catalog, "MatterCatalogUnknownDepartment")
      .withArgs(nowhere);
  });

  it("answers pathRules with the path's own requirements only, in order", async function () {
    const f = await loadFixture(approvalsFixture);
    const both = pathBits(PATH.instant, PATH.signOnce);
    const evidence = [
      { kind: DOCUMENT_KINDS.certificate, departmentId: PSB, paths: pathBits(PATH.instant) },
      { kind: DOCUMENT_KINDS["sealed-document"], departmentId: MCA, paths: both },
      { kind: DOCUMENT_KINDS.certificate, departmentId: SAMR, paths: pathBits(PATH.signOnce) },
    ];
    await f.catalog.connect(f.mcaOperator).setMatter(MATTER.elderly, { ...elderlyRules(), evidence });
    const instant = await f.catalog.pathRules(MATTER.elderly, PATH.instant);
    const once = await f.catalog.pathRules(MATTER.elderly, PATH.signOnce);
    const twice = await f.catalog.pathRules(MATTER.elderly, PATH.signTwice);
    expect(instant.evidence.map((r) => r.departmentId)).to.deep.equal([PSB, MCA]);
    expect(once.evidence.map((r) => r.departmentId)).to.deep.equal([MCA, SAMR]);
    expect([instant.allowed, twice.allowed, twice.evidence.length]).to.deep.equal([true, false, 0]);
    expect([instant.departmentId, instant.version, instant.baselineSignatures, instant.suspendedReason]).to.deep.equal([MCA, 2n, 1n, 0n]);
  });
});

describe("MatterCatalog: circuit breaker", function () {
  it("suspends one path of one matter with a reason, emitting PathSuspended, and resumes it, emitting PathResumed", async function () {
    const f = await loadFixture(approvalsFixture);
    await expect(f.catalog.connect(f.mcaOperator).suspendPath(MATTER.elderly, PATH.instant, 12))
      .to.emit(f.catalog, "PathSuspended")
      .withArgs(MATTER.elderly, PATH.instant, 12, f.mcaOperator.address);
    expect(await f.catalog.suspension(MATTER.elderly, PATH.instant)).to.equal(12);
    expect(await f.catalog.suspension(MATTER.elderly, PATH.signOnce)).to.equal(0);
    expect((await f.catalog.pathRules(MATTER.elderly, PATH.instant)).suspendedReason).to.equal(12);
    await expect(f.catalog.connect(f.bureau).resumePath(MATTER.elderly, PATH.instant))
      .to.emit(f.catalog, "PathResumed")
      .withArgs(MATTER.elderly, PATH.instant, f.bureau.address);
    expect(await f.catalog.suspension(MATTER.elderly, PATH.instant)).to.equal(0);
  });

  it("keeps a suspension across a rule change: a new version does not switch the breaker back on", async function () {
    const f = await loadFixture(approvalsFixture);
    await f.catalog.connect(f.bureau).suspendPath(MATTER.elderly, PATH.instant, 4);
    await f.catalog.connect(f.mcaOperator).setMatter(MATTER.elderly, elderlyRules());
    expect((await f.catalog.pathRules(MATTER.elderly, PATH.instant)).suspendedReason).to.equal(4);
  });

  it("rejects suspending twice, resuming an open path, reason 0 or a path not allowed", async function () {
    const f = await loadFixture(approvalsFixture);
    const catalog = f.catalog.connect(f.mcaOperator);
    await catalog.suspendPath(MATTER.elderly, PATH.instant, 1);
    await expect(catalog.suspendPath(MATTER.elderly, PATH.instant, 2))
      .to.be.revertedWithCustomError(f.catalog, "MatterCatalogPathSuspended")
      .withArgs(MATTER.elderly, PATH.instant, 1);
    await expect(catalog.resumePath(MATTER.elderly, PATH.signOnce))
      .to.be.revertedWithCustomError(f.catalog, "MatterCatalogPathNotSuspended")
      .withArgs(MATTER.elderly, PATH.signOnce);
    await expect(catalog.suspendPath(MATTER.elderly, PATH.signOnce, 0)).to.be.revertedWithCustomError(
      f.catalog,
      "MatterCatalogInvalidReason",
    );
    await expect(catalog.suspendPath(MATTER.elderly, PATH.filing, 1))
      .to.be.revertedWithCustomError(f.catalog, "MatterCatalogPathNotAllowed")
      .withArgs(MATTER.elderly, PATH.filing);
  });

  it("rejects a breaker thrown by another department or an outsider with MatterCatalogNotAuthorized", async function () {
    const f = await loadFixture(approvalsFixture);
    for (const account of [f.samrOperator, f.outsider, f.psbOperator]) {
      await expect(f.catalog.connect(account).suspendPath(MATTER.elderly, PATH.instant, 1))
        .to.be.revertedWithCustomError(f.catalog, "MatterCatalogNotAuthorized")
        .withArgs(account.address, MCA);
    }
    await f.catalog.connect(f.bureau).suspendPath(MATTER.elderly, PATH.instant, 1);
    await expect(f.catalog.connect(f.samrOperator).resumePath(MATTER.elderly, PATH.instant))
      .to.be.revertedWithCustomError(f.catalog, "MatterCatalogNotAuthorized")
      .withArgs(f.samrOperator.address, MCA);
  });

  it("rejects a breaker on an unknown matter with MatterCatalogUnknownMatter", async function () {
    const f = await loadFixture(approvalsFixture);
    await expect(f.catalog.connect(f.bureau).suspendPath(NEW_MATTER, PATH.instant, 1))
      .to.be.revertedWithCustomError(f.catalog, "MatterCatalogUnknownMatter")
      .withArgs(NEW_MATTER);
    await expect(f.catalog.connect(f.bureau).resumePath(NEW_MATTER, PATH.instant))
      .to.be.revertedWithCustomError(f.catalog, "MatterCatalogUnknownMatter")
      .withArgs(NEW_MATTER);
  });
});
