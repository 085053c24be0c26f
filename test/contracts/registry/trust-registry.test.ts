// TrustRegistry: departments and operators. Who may register and deactivate departments (the
// bureau only), who may act for a department (one department per account), and the events and
// records each change leaves. Keys and their windows are in trust-registry-keys.test.ts.
import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { encodeBytes32String, ZeroAddress, ZeroHash } from "ethers";
import { deployedFixture, departmentsFixture, MCA, MCA_NAME, SAMR, SAMR_NAME } from "../fixtures";

const UNREGISTERED = encodeBytes32String("NOT-REGISTERED");

describe("TrustRegistry: departments", function () {
  it("registers a department for the bureau, emitting DepartmentRegistered with its id and name", async function () {
    const { registry, bureau } = await loadFixture(deployedFixture);
    const registeredAt = (await time.latest()) + 10;
    await time.setNextBlockTimestamp(registeredAt);

    await expect(registry.connect(bureau).registerDepartment(SAMR, SAMR_NAME))
      .to.emit(registry, "DepartmentRegistered")
      .withArgs(SAMR, SAMR_NAME);

    expect([...(await registry.department(SAMR))]).to.deep.equal([SAMR, SAMR_NAME, true, BigInt(registeredAt), 0n]);
    expect(await registry.departmentIds()).to.deep.equal([SAMR]);
  });

  it("lists department ids in registration order", async function () {
    const { registry } = await loadFixture(departmentsFixture);
    expect(await registry.departmentIds()).to.deep.equal([SAMR, MCA]);
  });

  it("rejects department registration by a non-bureau account with AccessControlUnauthorizedAccount", async function () {
    const { registry, deployer, samrOperator } = await loadFixture(departmentsFixture);
    const bureauRole = await registry.BUREAU_ROLE();
    for (const account of [deployer, samrOperator]) {
      await expect(registry.connect(account).registerDepartment(UNREGISTERED, "其他"))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(account.address, bureauRole);
    }
  });

  it("accepts registration by an account the admin granted the bureau role", async function () {
    const { registry, bureau, spare } = await loadFixture(deployedFixture);
    await registry.connect(bureau).grantRole(await registry.BUREAU_ROLE(), spare.address);
    await expect(registry.connect(spare).registerDepartment(MCA, MCA_NAME))
      .to.emit(registry, "DepartmentRegistered")
      .withArgs(MCA, MCA_NAME);
  });

  it("rejects a duplicate department id with TrustRegistryDepartmentExists", async function () {
    const { registry, bureau } = await loadFixture(departmentsFixture);
    await expect(registry.connect(bureau).registerDepartment(SAMR, "另一个名字"))
      .to.be.revertedWithCustomError(registry, "TrustRegistryDepartmentExists")
      .withArgs(SAMR);
    expect((await registry.department(SAMR)).name).to.equal(SAMR_NAME);
  });

  it("rejects a zero department id with TrustRegistryInvalidDepartment", async function () {
    const { registry, bureau } = await loadFixture(deployedFixture);
    await expect(registry.connect(bureau).registerDepartment(ZeroHash, SAMR_NAME))
      .to.be.revertedWithCustomError(registry, "TrustRegistryInvalidDepartment")
      .withArgs(ZeroHash);
  });

  it("rejects an empty department name with TrustRegistryInvalidDepartment", async function () {
    const { registry, bureau } = await loadFixture(deployedFixture);
    await expect(registry.connect(bureau).registerDepartment(SAMR, ""))
      .to.be.revertedWithCustomError(registry, "TrustRegistryInvalidDepartment")
      .withArgs(SAMR);
    expect(await registry.departmentIds()).to.deep.equal([]);
  });

  it("rejects reading an unknown department with TrustRegistryUnknownDepartment", async function () {
    const { registry } = await loadFixture(deployedFixture);
    await expect(registry.department(SAMR))
      .to.be.revertedWithCustomError(registry, "TrustRegistryUnknownDepartment")
      .withArgs(SAMR);
  });

  it("deactivates a department for the bureau, emitting DepartmentDeactivated with the block time", async function () {
    const { registry, bureau, samrOperator } = await loadFixture(departmentsFixture);
    const registeredAt = (await registry.department(SAMR)).registeredAt;
    const deactivatedAt = (await time.latest()) + 100;
    await time.setNextBlockTimestamp(deactivatedAt);

    await expect(registry.connect(bureau).deactivateDepartment(SAMR))
      .to.emit(registry, "DepartmentDeactivated")
      .withArgs(SAMR, deactivatedAt);

    expect([...(await registry.department(SAMR))]).to.deep.equal([
      SAMR,
      SAMR_NAME,
      false,
      registeredAt,
      BigInt(deactivatedAt),
    ]);
    expect([...(await registry.operatorDepartment(samrOperator.address))]).to.deep.equal([SAMR, false]);
    expect((await registry.department(MCA)).active).to.equal(true);
  });

  it("rejects deactivation by a non-bureau account with AccessControlUnauthorizedAccount", async function () {
    const { registry, samrOperator } = await loadFixture(departmentsFixture);
    await expect(registry.connect(samrOperator).deactivateDepartment(SAMR))
      .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
      .withArgs(samrOperator.address, await registry.BUREAU_ROLE());
    expect((await registry.department(SAMR)).active).to.equal(true);
  });

  it("rejects deactivating an unknown department with TrustRegistryUnknownDepartment", async function () {
    const { registry, bureau } = await loadFixture(departmentsFixture);
    await expect(registry.connect(bureau).deactivateDepartment(UNREGISTERED))
      .to.be.revertedWithCustomError(registry, "TrustRegistryUnknownDepartment")
      .withArgs(UNREGISTERED);
  });

  it("rejects deactivating a department twice with TrustRegistryDepartmentInactive", async function () {
    const { registry, bureau } = await loadFixture(departmentsFixture);
    await registry.connect(bureau).deactivateDepartment(SAMR);
    const firstDeactivation = (await registry.department(SAMR)).deactivatedAt;
    await expect(registry.connect(bureau).deactivateDepartment(SAMR))
      .to.be.revertedWithCustomError(registry, "TrustRegistryDepartmentInactive")
      .withArgs(SAMR);
    expect((await registry.department(SAMR)).deactivatedAt).to.equal(firstDeactivation);
  });
});

describe("TrustRegistry: operators", function () {
  it("adds an operator for the bureau, emitting OperatorAdded, and reports the operator's department", async function () {
    const { registry, bureau, spare } = await loadFixture(departmentsFixture);
    expect([...(await registry.operatorDepartment(spare.address))]).to.deep.equal([ZeroHash, false]);

    await expect(registry.connect(bureau).addOperator(MCA, spare.address))
      .to.emit(registry, "OperatorAdded")
      .withArgs(MCA, spare.address);

    expect([...(await registry.operatorDepartment(spare.address))]).to.deep.equal([MCA, true]);
  });

  it("rejects adding an operator by a non-bureau account with AccessControlUnauthorizedAccount", async function () {
    const { registry, samrOperator, spare } = await loadFixture(departmentsFixture);
    await expect(registry.connect(samrOperator).addOperator(SAMR, spare.address))
      .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
      .withArgs(samrOperator.address, await registry.BUREAU_ROLE());
    expect([...(await registry.operatorDepartment(spare.address))]).to.deep.equal([ZeroHash, false]);
  });

  it("rejects an account that already serves a department with TrustRegistryOperatorAssigned", async function () {
    const { registry, bureau, samrOperator } = await loadFixture(departmentsFixture);
    for (const departmentId of [MCA, SAMR]) {
      await expect(registry.connect(bureau).addOperator(departmentId, samrOperator.address))
        .to.be.revertedWithCustomError(registry, "TrustRegistryOperatorAssigned")
        .withArgs(samrOperator.address, SAMR);
    }
    expect([...(await registry.operatorDepartment(samrOperator.address))]).to.deep.equal([SAMR, true]);
  });

  it("rejects the zero address as operator with TrustRegistryInvalidOperator", async function () {
    const { registry, bureau } = await loadFixture(departmentsFixture);
    await expect(registry.connect(bureau).addOperator(SAMR, ZeroAddress))
      .to.be.revertedWithCustomError(registry, "TrustRegistryInvalidOperator")
      .withArgs(ZeroAddress);
  });

  it("rejects an operator for an unknown department with TrustRegistryUnknownDepartment", async function () {
    const { registry, bureau, spare } = await loadFixture(deployedFixture);
    await expect(registry.connect(bureau).addOperator(SAMR, spare.address))
      .to.be.revertedWithCustomError(registry, "TrustRegistryUnknownDepartment")
      .withArgs(SAMR);
  });

  it("rejects an operator for a deactivated department with TrustRegistryDepartmentInactive", async function () {
    const { registry, bureau, spare } = await loadFixture(departmentsFixture);
    await registry.connect(bureau).deactivateDepartment(SAMR);
    await expect(registry.connect(bureau).addOperator(SAMR, spare.address))
      .to.be.revertedWithCustomError(registry, "TrustRegistryDepartmentInactive")
      .withArgs(SAMR);
  });

  it("removes an operator for the bureau, emitting OperatorRemoved, and frees the account for another department", async function () {
    const { registry, bureau, samrOperator } = await loadFixture(departmentsFixture);
    await expect(registry.connect(bureau).removeOperator(SAMR, samrOperator.address))
      .to.emit(registry, "OperatorRemoved")
      .withArgs(SAMR, samrOperator.address);
    expect([...(await registry.operatorDepartment(samrOperator.address))]).to.deep.equal([ZeroHash, false]);

    await expect(registry.connect(bureau).addOperator(MCA, samrOperator.address))
      .to.emit(registry, "OperatorAdded")
      .withArgs(MCA, samrOperator.address);
  });

  it("rejects removing an account from a department it does not serve with TrustRegistryNotOperator", async function () {
    const { registry, bureau, samrOperator, outsider } = await loadFixture(departmentsFixture);
    await expect(registry.connect(bureau).removeOperator(MCA, samrOperator.address))
      .to.be.revertedWithCustomError(registry, "TrustRegistryNotOperator")
      .withArgs(samrOperator.address, MCA);
    await expect(registry.connect(bureau).removeOperator(ZeroHash, outsider.address))
      .to.be.revertedWithCustomError(registry, "TrustRegistryNotOperator")
      .withArgs(outsider.address, ZeroHash);
    expect([...(await registry.operatorDepartment(samrOperator.address))]).to.deep.equal([SAMR, true]);
  });

  it("rejects removing an operator by a non-bureau account with AccessControlUnauthorizedAccount", async function () {
    const { registry, samrOperator, mcaOperator } = await loadFixture(departmentsFixture);
    await expect(registry.connect(mcaOperator).removeOperator(SAMR, samrOperator.address))
      .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
      .withArgs(mcaOperator.address, await registry.BUREAU_ROLE());
  });
});
