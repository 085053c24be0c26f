// TrustRegistry: signing keys. Who may register and revoke a department's keys (its own active
// operators only) and the one question a verifier asks, keyStatusAt, at the exact edges of every
// window: validFrom and validUntil inclusive, revokedAt and deactivatedAt exclusive. The rules for
// a second revocation (only earlier, never past validUntil) are in trust-registry-revocation.test.ts.
import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroHash } from "ethers";
import { KEY_ROLES } from "../../../server/chain/roles";
import { departmentsFixture, KEY_STATUS, keyIdOf, MCA, SAMR } from "../fixtures";
import { samrKeyFixture, STAFF_KEY } from "./key-fixture";

const ROLE_NONE = 0;

describe("TrustRegistry: registering keys", function () {
  it("registers a key by an operator of its department, emitting KeyRegistered with its window", async function () {
    const { registry, samrOperator } = await loadFixture(departmentsFixture);
    const keyId = keyIdOf("SAMR seal key");
    await expect(registry.connect(samrOperator).registerKey(keyId, SAMR, KEY_ROLES.seal, 1_000, 2_000))
      .to.emit(registry, "KeyRegistered")
      .withArgs(keyId, SAMR, KEY_ROLES.seal, 1_000, 2_000);

    const [key, status] = await registry.keyAt(keyId, 1_500);
    expect([...key]).to.deep.equal([SAMR, BigInt(KEY_ROLES.seal), 1_000n, 2_000n, 0n]);
    expect(status).to.equal(KEY_STATUS.valid);
  });

  it("rejects a key registered by another department's operator with TrustRegistryNotOperator", async function () {
    const { registry, mcaOperator } = await loadFixture(departmentsFixture);
    await expect(registry.connect(mcaOperator).registerKey(STAFF_KEY, SAMR, KEY_ROLES.staff, 1_000, 2_000))
      .to.be.revertedWithCustomError(registry, "TrustRegistryNotOperator")
      .withArgs(mcaOperator.address, SAMR);
    expect((await registry.keyAt(STAFF_KEY, 1_500))[1]).to.equal(KEY_STATUS.unknownKey);
  });

  it("rejects a key registered by the bureau or a non-operator with TrustRegistryNotOperator", async function () {
    const { registry, bureau, outsider } = await loadFixture(departmentsFixture);
    for (const account of [bureau, outsider]) {
      await expect(registry.connect(account).registerKey(STAFF_KEY, SAMR, KEY_ROLES.staff, 1_000, 2_000))
        .to.be.revertedWithCustomError(registry, "TrustRegistryNotOperator")
        .withArgs(account.address, SAMR);
    }
  });

  it("rejects a key registered by a removed operator with TrustRegistryNotOperator", async function () {
    const { registry, bureau, samrOperator } = await loadFixture(departmentsFixture);
    await registry.connect(bureau).removeOperator(SAMR, samrOperator.address);
    await expect(registry.connect(samrOperator).registerKey(STAFF_KEY, SAMR, KEY_ROLES.staff, 1_000, 2_000))
      .to.be.revertedWithCustomError(registry, "TrustRegistryNotOperator")
      .withArgs(samrOperator.address, SAMR);
  });

  it("rejects a key for a deactivated department with TrustRegistryDepartmentInactive", async function () {
    const { registry, bureau, samrOperator } = await loadFixture(departmentsFixture);
    await registry.connect(bureau).deactivateDepartment(SAMR);
    await expect(registry.connect(samrOperator).registerKey(STAFF_KEY, SAMR, KEY_ROLES.staff, 1_000, 2_000))
      .to.be.revertedWithCustomError(registry, "TrustRegistryDepartmentInactive")
      .withArgs(SAMR);
  });

  it("rejects a zero key id or the role None with TrustRegistryInvalidKey", async function () {
    const { registry, samrOperator } = await loadFixture(departmentsFixture);
    await expect(registry.connect(samrOperator).registerKey(ZeroHash, SAMR, KEY_ROLES.staff, 1_000, 2_000))
      .to.be.revertedWithCustomError(registry, "TrustRegistryInvalidKey")
      .withArgs(ZeroHash, KEY_ROLES.staff);
    await expect(registry.connect(samrOperator).registerKey(STAFF_KEY, SAMR, ROLE_NONE, 1_000, 2_000))
      .to.be.revertedWithCustomError(registry, "TrustRegistryInvalidKey")
      .withArgs(STAFF_KEY, ROLE_NONE);
  });

  it("rejects a key id already registered, even by another department, with TrustRegistryKeyExists", async function () {
    const { registry, samrOperator, mcaOperator } = await loadFixture(samrKeyFixture);
    await expect(registry.connect(samrOperator).registerKey(STAFF_KEY, SAMR, KEY_ROLES.chief, 1_000, 2_000))
      .to.be.revertedWithCustomError(registry, "TrustRegistryKeyExists")
      .withArgs(STAFF_KEY);
    await expect(registry.connect(mcaOperator).registerKey(STAFF_KEY, MCA, KEY_ROLES.staff, 1_000, 2_000))
      .to.be.revertedWithCustomError(registry, "TrustRegistryKeyExists")
      .withArgs(STAFF_KEY);
    expect((await registry.keyAt(STAFF_KEY, 0))[0].departmentId).to.equal(SAMR);
  });

  it("rejects validFrom after validUntil with TrustRegistryInvalidKeyWindow", async function () {
    const { registry, samrOperator } = await loadFixture(departmentsFixture);
    await expect(registry.connect(samrOperator).registerKey(STAFF_KEY, SAMR, KEY_ROLES.staff, 2_001, 2_000))
      .to.be.revertedWithCustomError(registry, "TrustRegistryInvalidKeyWindow")
      .withArgs(2_001, 2_000);
  });

  it("accepts a one-second window (validFrom equal to validUntil), valid at that second only", async function () {
    const { registry, samrOperator } = await loadFixture(departmentsFixture);
    await registry.connect(samrOperator).registerKey(STAFF_KEY, SAMR, KEY_ROLES.staff, 2_000, 2_000);
    const status = (t: number) => registry.keyStatusAt(STAFF_KEY, SAMR, KEY_ROLES.staff, t);
    expect([await status(1_999), await status(2_000), await status(2_001)]).to.deep.equal([
      KEY_STATUS.notYetValid,
      KEY_STATUS.valid,
      KEY_STATUS.expired,
    ]);
  });
});

describe("TrustRegistry: key status at a time", function () {
  it("is NotYetValid one second before validFrom, Valid at validFrom and validUntil, Expired one second after", async function () {
    const { registry, validFrom, validUntil } = await loadFixture(samrKeyFixture);
    const status = (t: number) => registry.keyStatusAt(STAFF_KEY, SAMR, KEY_ROLES.staff, t);
    expect(await status(validFrom - 1)).to.equal(KEY_STATUS.notYetValid);
    expect(await status(validFrom)).to.equal(KEY_STATUS.valid);
    expect(await status(validUntil)).to.equal(KEY_STATUS.valid);
    expect(await status(validUntil + 1)).to.equal(KEY_STATUS.expired);
  });

  it("reports UnknownKey, WrongDepartment and WrongRole for the wrong key, department or role", async function () {
    const { registry, validFrom } = await loadFixture(samrKeyFixture);
    expect(await registry.keyStatusAt(keyIdOf("never registered"), SAMR, KEY_ROLES.staff, validFrom)).to.equal(
      KEY_STATUS.unknownKey,
    );
    expect(await registry.keyStatusAt(STAFF_KEY, MCA, KEY_ROLES.staff, validFrom)).to.equal(KEY_STATUS.wrongDepartment);
    expect(await registry.keyStatusAt(STAFF_KEY, SAMR, KEY_ROLES.chief, validFrom)).to.equal(KEY_STATUS.wrongRole);
    expect(await registry.keyStatusAt(STAFF_KEY, SAMR, KEY_ROLES.seal, validFrom)).to.equal(KEY_STATUS.wrongRole);
    // The department is judged before the role: a key of another department is never "wrong role".
    expect(await registry.keyStatusAt(STAFF_KEY, MCA, KEY_ROLES.chief, validFrom)).to.equal(KEY_STATUS.wrongDepartment);
  });

  it("revokes a key now: Valid one second before the revocation block, Revoked from that second", async function () {
    const { registry, samrOperator } = await loadFixture(samrKeyFixture);
    const revokedAt = (await time.latest()) + 50;
    await time.setNextBlockTimestamp(revokedAt);

    await expect(registry.connect(samrOperator).revokeKey(STAFF_KEY, 0))
      .to.emit(registry, "KeyRevoked")
      .withArgs(STAFF_KEY, SAMR, revokedAt, 0);

    expect(await registry.keyStatusAt(STAFF_KEY, SAMR, KEY_ROLES.staff, revokedAt - 1)).to.equal(KEY_STATUS.valid);
    expect(await registry.keyStatusAt(STAFF_KEY, SAMR, KEY_ROLES.staff, revokedAt)).to.equal(KEY_STATUS.revoked);
    expect((await registry.keyAt(STAFF_KEY, revokedAt))[0].revokedAt).to.equal(BigInt(revokedAt));
  });

  it("records a backdated revocation: documents signed after the compromise become Revoked retroactively", async function () {
    const { registry, samrOperator, validFrom } = await loadFixture(samrKeyFixture);
    const compromisedAt = validFrom + 10;
    const now = await time.latest();
    expect(await registry.keyStatusAt(STAFF_KEY, SAMR, KEY_ROLES.staff, now)).to.equal(KEY_STATUS.valid);

    await expect(registry.connect(samrOperator).revokeKey(STAFF_KEY, compromisedAt))
      .to.emit(registry, "KeyRevoked")
      .withArgs(STAFF_KEY, SAMR, compromisedAt, 0);

    expect(await registry.keyStatusAt(STAFF_KEY, SAMR, KEY_ROLES.staff, compromisedAt - 1)).to.equal(KEY_STATUS.valid);
    expect(await registry.keyStatusAt(STAFF_KEY, SAMR, KEY_ROLES.staff, compromisedAt)).to.equal(KEY_STATUS.revoked);
    expect(await registry.keyStatusAt(STAFF_KEY, SAMR, KEY_ROLES.staff, now)).to.equal(KEY_STATUS.revoked);
  });

  it("reports Expired rather than Revoked after validUntil, and NotYetValid before validFrom", async function () {
    const { registry, samrOperator, validFrom, validUntil } = await loadFixture(samrKeyFixture);
    await registry.connect(samrOperator).revokeKey(STAFF_KEY, validFrom);
    expect(await registry.keyStatusAt(STAFF_KEY, SAMR, KEY_ROLES.staff, validUntil + 1)).to.equal(KEY_STATUS.expired);
    expect(await registry.keyStatusAt(STAFF_KEY, SAMR, KEY_ROLES.staff, validFrom - 1)).to.equal(KEY_STATUS.notYetValid);
  });

  it("rejects revoking an unknown key with TrustRegistryUnknownKey", async function () {
    const { registry, samrOperator } = await loadFixture(samrKeyFixture);
    const unknown = keyIdOf("never registered");
    await expect(registry.connect(samrOperator).revokeKey(unknown, 0))
      .to.be.revertedWithCustomError(registry, "TrustRegistryUnknownKey")
      .withArgs(unknown);
  });

  it("rejects revocation by another department's operator or an outsider with TrustRegistryNotOperator", async function () {
    const { registry, mcaOperator, outsider, validFrom } = await loadFixture(samrKeyFixture);
    for (const account of [mcaOperator, outsider]) {
      await expect(registry.connect(account).revokeKey(STAFF_KEY, 0))
        .to.be.revertedWithCustomError(registry, "TrustRegistryNotOperator")
        .withArgs(account.address, SAMR);
    }
    expect(await registry.keyStatusAt(STAFF_KEY, SAMR, KEY_ROLES.staff, validFrom)).to.equal(KEY_STATUS.valid);
  });

  it("lets the bureau revoke a key of a deactivated department, backdated to a late-found compromise", async function () {
    const { registry, bureau, validFrom } = await loadFixture(samrKeyFixture);
    await registry.connect(bureau).deactivateDepartment(SAMR);
    const compromisedAt = validFrom + 10;
    await expect(registry.connect(bureau).revokeKey(STAFF_KEY, compromisedAt))
      .to.emit(registry, "KeyRevoked")
      .withArgs(STAFF_KEY, SAMR, compromisedAt, 0);
    expect(await registry.keyStatusAt(STAFF_KEY, SAMR, KEY_ROLES.staff, compromisedAt - 1)).to.equal(KEY_STATUS.valid);
    expect(await registry.keyStatusAt(STAFF_KEY, SAMR, KEY_ROLES.staff, compromisedAt)).to.equal(KEY_STATUS.revoked);
  });

  it("rejects revocation by a deactivated department's operator with TrustRegistryDepartmentInactive", async function () {
    const { registry, bureau, samrOperator } = await loadFixture(samrKeyFixture);
    await registry.connect(bureau).deactivateDepartment(SAMR);
    await expect(registry.connect(samrOperator).revokeKey(STAFF_KEY, 0))
      .to.be.revertedWithCustomError(registry, "TrustRegistryDepartmentInactive")
      .withArgs(SAMR);
  });

  it("makes keys DepartmentInactive from the deactivation second on, and leaves them Valid before", async function () {
    const { registry, bureau } = await loadFixture(samrKeyFixture);
    const deactivatedAt = (await time.latest()) + 100;
    await time.setNextBlockTimestamp(deactivatedAt);
    await expect(registry.connect(bureau).deactivateDepartment(SAMR))
      .to.emit(registry, "DepartmentDeactivated")
      .withArgs(SAMR, deactivatedAt);

    expect(await registry.keyStatusAt(STAFF_KEY, SAMR, KEY_ROLES.staff, deactivatedAt - 1)).to.equal(KEY_STATUS.valid);
    expect(await registry.keyStatusAt(STAFF_KEY, SAMR, KEY_ROLES.staff, deactivatedAt)).to.equal(
      KEY_STATUS.departmentInactive,
    );
    expect((await registry.keyAt(STAFF_KEY, deactivatedAt - 1))[1]).to.equal(KEY_STATUS.valid);
    expect((await registry.keyAt(STAFF_KEY, deactivatedAt))[1]).to.equal(KEY_STATUS.departmentInactive);
  });

  it("reports Revoked rather than DepartmentInactive for a key revoked before the department closed", async function () {
    const { registry, bureau, samrOperator, validFrom } = await loadFixture(samrKeyFixture);
    await registry.connect(samrOperator).revokeKey(STAFF_KEY, validFrom + 1);
    await registry.connect(bureau).deactivateDepartment(SAMR);
    const after = await time.latest();
    expect(await registry.keyStatusAt(STAFF_KEY, SAMR, KEY_ROLES.staff, after)).to.equal(KEY_STATUS.revoked);
    expect(await registry.keyStatusAt(STAFF_KEY, SAMR, KEY_ROLES.staff, validFrom)).to.equal(KEY_STATUS.valid);
  });

  it("keyAt returns the registration record with its status for the key's own department and role", async function () {
    const { registry, validFrom, validUntil } = await loadFixture(samrKeyFixture);
    const [key, status] = await registry.keyAt(STAFF_KEY, validUntil + 1);
    expect([...key]).to.deep.equal([SAMR, BigInt(KEY_ROLES.staff), BigInt(validFrom), BigInt(validUntil), 0n]);
    expect(status).to.equal(KEY_STATUS.expired);
    expect((await registry.keyAt(STAFF_KEY, validFrom))[1]).to.equal(KEY_STATUS.valid);
  });

  it("keyAt returns an empty record and UnknownKey for an unregistered key", async function () {
    const { registry, validFrom } = await loadFixture(samrKeyFixture);
    const [key, status] = await registry.keyAt(keyIdOf("never registered"), validFrom);
    expect([...key]).to.deep.equal([ZeroHash, 0n, 0n, 0n, 0n]);
    expect(status).to.equal(KEY_STATUS.unknownKey);
  });
});
