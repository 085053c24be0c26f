// TrustRegistry: the rules for revoking a key more than once. A revocation only moves earlier, so a
// stolen operator account cannot park one at the end of time and lock the bureau out; no time past
// validUntil is accepted; a time before validFrom is recorded as validFrom. Each rule is checked on
// the reads a verifier makes (keyAt, keyStatusAt), not only on the stored record.
import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { KEY_ROLES } from "../../../server/chain/roles";
import { departmentsFixture, KEY_STATUS, keyIdOf, SAMR } from "../fixtures";
import { samrKeyFixture, STAFF_KEY } from "./key-fixture";

const MAX_UINT64 = 2n ** 64n - 1n;

type Fixture = Awaited<ReturnType<typeof samrKeyFixture>>;

/** The key's status at `t` as a verifier asks it, for its own department and role. */
function statusAt(f: Fixture, t: number) {
  return f.registry.keyStatusAt(STAFF_KEY, SAMR, KEY_ROLES.staff, t);
}

/** The stored revocation time and keyAt's status at `t`. */
async function keyAtRead(f: Fixture, t: number): Promise<[bigint, bigint]> {
  const [key, status] = await f.registry.keyAt(STAFF_KEY, t);
  return [key.revokedAt, status];
}

describe("TrustRegistry: revocation times", function () {
  it("rejects a revocation parked at the end of time with TrustRegistryRevocationAfterExpiry", async function () {
    const f = await loadFixture(samrKeyFixture);
    await expect(f.registry.connect(f.samrOperator).revokeKey(STAFF_KEY, MAX_UINT64))
      .to.be.revertedWithCustomError(f.registry, "TrustRegistryRevocationAfterExpiry")
      .withArgs(STAFF_KEY, MAX_UINT64, f.validUntil);
    expect(await keyAtRead(f, f.validUntil)).to.deep.equal([0n, KEY_STATUS.valid]);
  });

  it("rejects validUntil + 1 with TrustRegistryRevocationAfterExpiry, even from the bureau", async function () {
    const f = await loadFixture(samrKeyFixture);
    for (const account of [f.samrOperator, f.bureau]) {
      await expect(f.registry.connect(account).revokeKey(STAFF_KEY, f.validUntil + 1))
        .to.be.revertedWithCustomError(f.registry, "TrustRegistryRevocationAfterExpiry")
        .withArgs(STAFF_KEY, f.validUntil + 1, f.validUntil);
    }
  });

  it("accepts a revocation at validUntil: the key loses its last second only", async function () {
    const f = await loadFixture(samrKeyFixture);
    await expect(f.registry.connect(f.samrOperator).revokeKey(STAFF_KEY, f.validUntil))
      .to.emit(f.registry, "KeyRevoked")
      .withArgs(STAFF_KEY, SAMR, f.validUntil, 0);
    expect(await statusAt(f, f.validUntil - 1)).to.equal(KEY_STATUS.valid);
    expect(await statusAt(f, f.validUntil)).to.equal(KEY_STATUS.revoked);
    expect(await statusAt(f, f.validUntil + 1)).to.equal(KEY_STATUS.expired);
  });

  it("rejects revoking an expired key now with TrustRegistryRevocationAfterExpiry carrying the block time", async function () {
    const f = await loadFixture(samrKeyFixture);
    const now = f.validUntil + 10;
    await time.setNextBlockTimestamp(now);
    await expect(f.registry.connect(f.bureau).revokeKey(STAFF_KEY, 0))
      .to.be.revertedWithCustomError(f.registry, "TrustRegistryRevocationAfterExpiry")
      .withArgs(STAFF_KEY, now, f.validUntil);
  });

  it("accepts a backdated revocation of an expired key, for a compromise found after expiry", async function () {
    const f = await loadFixture(samrKeyFixture);
    await time.increaseTo(f.validUntil + 10);
    const compromisedAt = f.validUntil - 100;
    await expect(f.registry.connect(f.bureau).revokeKey(STAFF_KEY, compromisedAt))
      .to.emit(f.registry, "KeyRevoked")
      .withArgs(STAFF_KEY, SAMR, compromisedAt, 0);
    expect(await keyAtRead(f, compromisedAt)).to.deep.equal([BigInt(compromisedAt), KEY_STATUS.revoked]);
    expect(await statusAt(f, compromisedAt - 1)).to.equal(KEY_STATUS.valid);
  });

  it("records a time before validFrom as validFrom: the key was never valid", async function () {
    const f = await loadFixture(samrKeyFixture);
    await expect(f.registry.connect(f.samrOperator).revokeKey(STAFF_KEY, f.validFrom - 500))
      .to.emit(f.registry, "KeyRevoked")
      .withArgs(STAFF_KEY, SAMR, f.validFrom, 0);
    expect(await keyAtRead(f, f.validFrom)).to.deep.equal([BigInt(f.validFrom), KEY_STATUS.revoked]);
    expect(await statusAt(f, f.validFrom - 1)).to.equal(KEY_STATUS.notYetValid);
    expect(await statusAt(f, f.validUntil)).to.equal(KEY_STATUS.revoked);
  });

  it("revokes a not-yet-valid key now from its validFrom, so it never becomes Valid", async function () {
    const base = await loadFixture(departmentsFixture);
    const futureKey = keyIdOf("SAMR staff key for next year");
    // Block times follow the wall clock from the fixture's snapshot: leave a wide margin before validFrom.
    const registeredAt = await time.latest();
    const [validFrom, validUntil] = [registeredAt + 100_000, registeredAt + 200_000];
    await base.registry.connect(base.samrOperator).registerKey(futureKey, SAMR, KEY_ROLES.staff, validFrom, validUntil);
    await time.setNextBlockTimestamp((await time.latest()) + 10);

    await expect(base.registry.connect(base.bureau).revokeKey(futureKey, 0))
      .to.emit(base.registry, "KeyRevoked")
      .withArgs(futureKey, SAMR, validFrom, 0);
    const status = (t: number) => base.registry.keyStatusAt(futureKey, SAMR, KEY_ROLES.staff, t);
    expect([await status(validFrom - 1), await status(validFrom), await status(validUntil)]).to.deep.equal([
      KEY_STATUS.notYetValid,
      KEY_STATUS.revoked,
      KEY_STATUS.revoked,
    ]);
  });
});

describe("TrustRegistry: moving a revocation", function () {
  it("lets the bureau revoke now a key an operator scheduled to be revoked at validUntil", async function () {
    const f = await loadFixture(samrKeyFixture);
    await f.registry.connect(f.samrOperator).revokeKey(STAFF_KEY, f.validUntil);
    const now = (await time.latest()) + 10;
    await time.setNextBlockTimestamp(now);

    await expect(f.registry.connect(f.bureau).revokeKey(STAFF_KEY, 0))
      .to.emit(f.registry, "KeyRevoked")
      .withArgs(STAFF_KEY, SAMR, now, f.validUntil);
    expect(await keyAtRead(f, now)).to.deep.equal([BigInt(now), KEY_STATUS.revoked]);
    expect(await keyAtRead(f, now - 1)).to.deep.equal([BigInt(now), KEY_STATUS.valid]);
    expect(await statusAt(f, now)).to.equal(KEY_STATUS.revoked);
    expect(await statusAt(f, now - 1)).to.equal(KEY_STATUS.valid);
  });

  it("lets the bureau revoke now a scheduled key of a deactivated department", async function () {
    const f = await loadFixture(samrKeyFixture);
    await f.registry.connect(f.samrOperator).revokeKey(STAFF_KEY, f.validUntil);
    await f.registry.connect(f.bureau).deactivateDepartment(SAMR);
    const compromisedAt = f.validFrom + 10;
    await expect(f.registry.connect(f.bureau).revokeKey(STAFF_KEY, compromisedAt))
      .to.emit(f.registry, "KeyRevoked")
      .withArgs(STAFF_KEY, SAMR, compromisedAt, f.validUntil);
    expect(await statusAt(f, compromisedAt)).to.equal(KEY_STATUS.revoked);
  });

  it("lets an operator move its own scheduled revocation earlier, replacing the recorded time", async function () {
    const f = await loadFixture(samrKeyFixture);
    const scheduled = f.validUntil - 1_000;
    const earlier = f.validFrom + 50;
    await f.registry.connect(f.samrOperator).revokeKey(STAFF_KEY, scheduled);
    await expect(f.registry.connect(f.samrOperator).revokeKey(STAFF_KEY, earlier))
      .to.emit(f.registry, "KeyRevoked")
      .withArgs(STAFF_KEY, SAMR, earlier, scheduled);
    expect(await keyAtRead(f, earlier - 1)).to.deep.equal([BigInt(earlier), KEY_STATUS.valid]);
    expect(await keyAtRead(f, earlier)).to.deep.equal([BigInt(earlier), KEY_STATUS.revoked]);
    expect(await statusAt(f, scheduled - 1)).to.equal(KEY_STATUS.revoked);
  });

  it("rejects a later revocation time with TrustRegistryRevocationNotEarlier, from operator or bureau", async function () {
    const f = await loadFixture(samrKeyFixture);
    const revokedAt = f.validFrom + 20;
    await f.registry.connect(f.bureau).revokeKey(STAFF_KEY, revokedAt);
    for (const account of [f.samrOperator, f.bureau]) {
      await expect(f.registry.connect(account).revokeKey(STAFF_KEY, revokedAt + 1))
        .to.be.revertedWithCustomError(f.registry, "TrustRegistryRevocationNotEarlier")
        .withArgs(STAFF_KEY, revokedAt + 1, revokedAt);
    }
    expect(await keyAtRead(f, revokedAt)).to.deep.equal([BigInt(revokedAt), KEY_STATUS.revoked]);
    expect(await statusAt(f, revokedAt - 1)).to.equal(KEY_STATUS.valid);
  });

  it("rejects the same revocation time with TrustRegistryRevocationNotEarlier", async function () {
    const f = await loadFixture(samrKeyFixture);
    const revokedAt = f.validFrom + 20;
    await f.registry.connect(f.samrOperator).revokeKey(STAFF_KEY, revokedAt);
    await expect(f.registry.connect(f.samrOperator).revokeKey(STAFF_KEY, revokedAt))
      .to.be.revertedWithCustomError(f.registry, "TrustRegistryRevocationNotEarlier")
      .withArgs(STAFF_KEY, revokedAt, revokedAt);
  });

  it("rejects revoking now a key revoked in the past with TrustRegistryRevocationNotEarlier carrying the block time", async function () {
    const f = await loadFixture(samrKeyFixture);
    const revokedAt = f.validFrom + 20;
    await f.registry.connect(f.samrOperator).revokeKey(STAFF_KEY, revokedAt);
    const now = (await time.latest()) + 10;
    await time.setNextBlockTimestamp(now);
    await expect(f.registry.connect(f.bureau).revokeKey(STAFF_KEY, 0))
      .to.be.revertedWithCustomError(f.registry, "TrustRegistryRevocationNotEarlier")
      .withArgs(STAFF_KEY, now, revokedAt);
  });

  it("rejects a time before validFrom on a key already revoked from validFrom, judged as validFrom", async function () {
    const f = await loadFixture(samrKeyFixture);
    await f.registry.connect(f.samrOperator).revokeKey(STAFF_KEY, f.validFrom);
    await expect(f.registry.connect(f.bureau).revokeKey(STAFF_KEY, f.validFrom - 1))
      .to.be.revertedWithCustomError(f.registry, "TrustRegistryRevocationNotEarlier")
      .withArgs(STAFF_KEY, f.validFrom, f.validFrom);
  });

  it("rejects an operator postponing the bureau's revocation: a stolen account cannot revive a key", async function () {
    const f = await loadFixture(samrKeyFixture);
    const now = (await time.latest()) + 10;
    await time.setNextBlockTimestamp(now);
    await f.registry.connect(f.bureau).revokeKey(STAFF_KEY, 0);
    await expect(f.registry.connect(f.samrOperator).revokeKey(STAFF_KEY, f.validUntil))
      .to.be.revertedWithCustomError(f.registry, "TrustRegistryRevocationNotEarlier")
      .withArgs(STAFF_KEY, f.validUntil, now);
    expect(await statusAt(f, f.validUntil)).to.equal(KEY_STATUS.revoked);
  });

  it("rejects moving a revocation earlier by another department's operator with TrustRegistryNotOperator", async function () {
    const f = await loadFixture(samrKeyFixture);
    await f.registry.connect(f.samrOperator).revokeKey(STAFF_KEY, f.validUntil);
    await expect(f.registry.connect(f.mcaOperator).revokeKey(STAFF_KEY, f.validFrom + 1))
      .to.be.revertedWithCustomError(f.registry, "TrustRegistryNotOperator")
      .withArgs(f.mcaOperator.address, SAMR);
    expect(await keyAtRead(f, f.validFrom + 1)).to.deep.equal([BigInt(f.validUntil), KEY_STATUS.valid]);
  });
});
