// DelegatedAuthority: authorisation letters. Only the matter's owning department grants; the key's
// registered role must carry the authority; windows are inclusive; grants of one key for one matter
// never overlap; revocation follows the registry's rules (only earlier, never past validUntil, a
// time before validFrom recorded as validFrom) and may also come from the approval bureau.
import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { encodeBytes32String } from "ethers";
import { KEY_ROLES } from "../../../server/chain/roles";
import { keyIdOf, MCA, SAMR } from "../fixtures";
import { approvalsFixture, foodRules, HALL, MATTER, newP256Key } from "./approvals-fixture";

const ROLE_NONE = 0;

/** The fixture plus a fresh hall staff key with no grant yet. */
async function freshKeyFixture() {
  const f = await approvalsFixture();
  const key = newP256Key();
  await f.registry.connect(f.hallOperator).registerKey(key.keyId, HALL, KEY_ROLES.staff, f.keyFrom, f.keyUntil);
  const now = await time.latest();
  return { ...f, key, from: now + 100, until: now + 10_000 };
}

describe("DelegatedAuthority: granting", function () {
  it("grants a key authority for several matters of the department, one AuthorityGranted each", async function () {
    const f = await loadFixture(freshKeyFixture);
    await f.catalog.connect(f.samrOperator).setMatter(encodeBytes32String("OTHER"), { ...foodRules(), name: "其他事项" });
    const matters = [MATTER.food, encodeBytes32String("OTHER")];
    const tx = f.authority.connect(f.samrOperator).grantAuthority(f.key.keyId, matters, KEY_ROLES.staff, f.from, f.until);
    await expect(tx)
      .to.emit(f.authority, "AuthorityGranted")
      .withArgs(6, MATTER.food, f.key.keyId, SAMR, KEY_ROLES.staff, f.from, f.until)
      .and.to.emit(f.authority, "AuthorityGranted")
      .withArgs(7, matters[1], f.key.keyId, SAMR, KEY_ROLES.staff, f.from, f.until);
    expect([...(await f.authority.grant(6))]).to.deep.equal([
      MATTER.food,
      f.key.keyId,
      SAMR,
      BigInt(KEY_ROLES.staff),
      BigInt(f.from),
      BigInt(f.until),
      0n,
    ]);
    expect(await f.authority.grantsOf(MATTER.food, f.key.keyId)).to.deep.equal([6n]);
  });

  it("holds from validFrom to validUntil inclusive, and not a second outside", async function () {
    const f = await loadFixture(freshKeyFixture);
    await f.authority.connect(f.samrOperator).grantAuthority(f.key.keyId, [MATTER.food], KEY_ROLES.staff, f.from, f.until);
    const at = async (t: number) => (await f.authority.authorityAt(MATTER.food, f.key.keyId, t))[0];
    expect([await at(f.from - 1), await at(f.from), await at(f.until), await at(f.until + 1)]).to.deep.equal([
      BigInt(ROLE_NONE),
      BigInt(KEY_ROLES.staff),
      BigInt(KEY_ROLES.staff),
      BigInt(ROLE_NONE),
    ]);
    expect(await f.authority.authorityAt(MATTER.elderly, f.key.keyId, f.from)).to.deep.equal([BigInt(ROLE_NONE), 0n]);
  });

  it("rejects a grant by another department's operator, the bureau or an outsider with DelegatedAuthorityNotOperator", async function () {
    const f = await loadFixture(freshKeyFixture);
    for (const account of [f.mcaOperator, f.bureau, f.outsider, f.hallOperator]) {
      await expect(f.authority.connect(account).grantAuthority(f.key.keyId, [MATTER.food], KEY_ROLES.staff, f.from, f.until))
        .to.be.revertedWithCustomError(f.authority, "DelegatedAuthorityNotOperator")
        .withArgs(account.address, SAMR);
    }
  });

  it("rejects a grant by an operator of a deactivated department with DelegatedAuthorityNotOperator", async function () {
    const f = await loadFixture(freshKeyFixture);
    await f.registry.connect(f.bureau).deactivateDepartment(SAMR);
    await expect(f.authority.connect(f.samrOperator).grantAuthority(f.key.keyId, [MATTER.food], KEY_ROLES.staff, f.from, f.until))
      .to.be.revertedWithCustomError(f.authority, "DelegatedAuthorityNotOperator")
      .withArgs(f.samrOperator.address, SAMR);
  });

  it("rejects a list mixing in another department's matter, granting none of it", async function () {
    const f = await loadFixture(freshKeyFixture);
    await expect(
      f.authority.connect(f.samrOperator).grantAuthority(f.key.keyId, [MATTER.food, MATTER.elderly], KEY_ROLES.staff, f.from, f.until),
    )
      .to.be.revertedWithCustomError(f.authority, "DelegatedAuthorityNotOperator")
      .withArgs(f.samrOperator.address, MCA);
    expect(await f.authority.grantsOf(MATTER.food, f.key.keyId)).to.deep.equal([]);
  });

  it("rejects an unknown matter, an empty list, a bad role or window", async function () {
    const f = await loadFixture(freshKeyFixture);
    const grant = f.authority.connect(f.samrOperator);
    const unknown = encodeBytes32String("NO_SUCH_MATTER");
    await expect(grant.grantAuthority(f.key.keyId, [unknown], KEY_ROLES.staff, f.from, f.until))
      .to.be.revertedWithCustomError(f.authority, "DelegatedAuthorityUnknownMatter")
      .withArgs(unknown);
    await expect(grant.grantAuthority(f.key.keyId, [], KEY_ROLES.staff, f.from, f.until)).to.be.revertedWithCustomError(
      f.authority,
      "DelegatedAuthorityNoMatters",
    );
    for (const role of [ROLE_NONE, KEY_ROLES.seal]) {
      await expect(grant.grantAuthority(f.key.keyId, [MATTER.food], role, f.from, f.until))
        .to.be.revertedWithCustomError(f.authority, "DelegatedAuthorityInvalidRole")
        .withArgs(role);
    }
    await expect(grant.grantAuthority(f.key.keyId, [MATTER.food], KEY_ROLES.staff, f.until, f.from))
      .to.be.revertedWithCustomError(f.authority, "DelegatedAuthorityInvalidWindow")
      .withArgs(f.until, f.from);
  });

  it("rejects chief authority for a staff key, and any authority for a seal or unknown key, with DelegatedAuthorityKeyRole", async function () {
    const f = await loadFixture(freshKeyFixture);
    const grant = f.authority.connect(f.samrOperator);
    await expect(grant.grantAuthority(f.key.keyId, [MATTER.food], KEY_ROLES.chief, f.from, f.until))
      .to.be.revertedWithCustomError(f.authority, "DelegatedAuthorityKeyRole")
      .withArgs(f.key.keyId, KEY_ROLES.staff, KEY_ROLES.chief);
    const seal = keyIdOf("SAMR seal");
    await f.registry.connect(f.samrOperator).registerKey(seal, SAMR, KEY_ROLES.seal, f.keyFrom, f.keyUntil);
    await expect(grant.grantAuthority(seal, [MATTER.food], KEY_ROLES.staff, f.from, f.until))
      .to.be.revertedWithCustomError(f.authority, "DelegatedAuthorityKeyRole")
      .withArgs(seal, KEY_ROLES.seal, KEY_ROLES.staff);
    const unknown = keyIdOf("never registered");
    await expect(grant.grantAuthority(unknown, [MATTER.food], KEY_ROLES.staff, f.from, f.until))
      .to.be.revertedWithCustomError(f.authority, "DelegatedAuthorityKeyRole")
      .withArgs(unknown, ROLE_NONE, KEY_ROLES.staff);
  });

  it("lets a chief key hold staff authority (a chief representative may also sign once)", async function () {
    const f = await loadFixture(freshKeyFixture);
    await expect(f.authority.connect(f.samrOperator).grantAuthority(f.keys.hallChief.keyId, [MATTER.food], KEY_ROLES.staff, f.from, f.until))
      .to.emit(f.authority, "AuthorityGranted")
      .withArgs(6, MATTER.food, f.keys.hallChief.keyId, SAMR, KEY_ROLES.staff, f.from, f.until);
  });

  it("rejects a grant overlapping the key's current grant with DelegatedAuthorityOverlap", async function () {
    const f = await loadFixture(freshKeyFixture);
    const grant = f.authority.connect(f.samrOperator);
    await grant.grantAuthority(f.key.keyId, [MATTER.food], KEY_ROLES.staff, f.from, f.until);
    await expect(grant.grantAuthority(f.key.keyId, [MATTER.food], KEY_ROLES.staff, f.until, f.until + 100))
      .to.be.revertedWithCustomError(f.authority, "DelegatedAuthorityOverlap")
      .withArgs(MATTER.food, f.key.keyId, 6, f.until);
    await expect(grant.grantAuthority(f.key.keyId, [MATTER.food], KEY_ROLES.staff, f.until + 1, f.until + 100))
      .to.emit(f.authority, "AuthorityGranted")
      .withArgs(7, MATTER.food, f.key.keyId, SAMR, KEY_ROLES.staff, f.until + 1, f.until + 100);
    expect((await f.authority.authorityAt(MATTER.food, f.key.keyId, f.until))[1]).to.equal(6n);
    expect((await f.authority.authorityAt(MATTER.food, f.key.keyId, f.until + 1))[1]).to.equal(7n);
  });

  it("renews a letter after revoking it: the new grant may start at the revocation time", async function () {
    const f = await loadFixture(freshKeyFixture);
    const grant = f.authority.connect(f.samrOperator);
    await grant.grantAuthority(f.key.keyId, [MATTER.food], KEY_ROLES.staff, f.from, f.until);
    const cut = f.from + 500;
    await grant.revokeAuthority(MATTER.food, f.key.keyId, cut);
    await expect(grant.grantAuthority(f.key.keyId, [MATTER.food], KEY_ROLES.staff, cut - 1, f.until))
      .to.be.revertedWithCustomError(f.authority, "DelegatedAuthorityOverlap")
      .withArgs(MATTER.food, f.key.keyId, 6, cut - 1);
    await grant.grantAuthority(f.key.keyId, [MATTER.food], KEY_ROLES.staff, cut, f.until + 1_000);
    const at = async (t: number) => [...(await f.authority.authorityAt(MATTER.food, f.key.keyId, t))];
    expect(await at(cut - 1)).to.deep.equal([BigInt(KEY_ROLES.staff), 6n]);
    expect(await at(cut)).to.deep.equal([BigInt(KEY_ROLES.staff), 7n]);
    expect(await at(f.from - 1)).to.deep.equal([BigInt(ROLE_NONE), 0n]);
  });
});

describe("DelegatedAuthority: revoking", function () {
  it("revokes now, emitting AuthorityRevoked; the authority stops at that second", async function () {
    const f = await loadFixture(approvalsFixture);
    const [, grantId] = await f.authority.authorityAt(MATTER.food, f.keys.samrStaff.keyId, await time.latest());
    const now = (await time.latest()) + 10;
    await time.setNextBlockTimestamp(now);
    await expect(f.authority.connect(f.samrOperator).revokeAuthority(MATTER.food, f.keys.samrStaff.keyId, 0))
      .to.emit(f.authority, "AuthorityRevoked")
      .withArgs(grantId, MATTER.food, f.keys.samrStaff.keyId, now, 0);
    const at = async (t: number) => (await f.authority.authorityAt(MATTER.food, f.keys.samrStaff.keyId, t))[0];
    expect([await at(now - 1), await at(now)]).to.deep.equal([BigInt(KEY_ROLES.staff), BigInt(ROLE_NONE)]);
  });

  it("lets the approval bureau revoke a hall key's authority at once", async function () {
    const f = await loadFixture(approvalsFixture);
    const now = (await time.latest()) + 10;
    await time.setNextBlockTimestamp(now);
    await expect(f.authority.connect(f.bureau).revokeAuthority(MATTER.elderly, f.keys.hallStaff.keyId, 0))
      .to.emit(f.authority, "AuthorityRevoked")
      .withArgs(1, MATTER.elderly, f.keys.hallStaff.keyId, now, 0);
  });

  it("rejects a revocation by another department or an outsider with DelegatedAuthorityNotOperator", async function () {
    const f = await loadFixture(approvalsFixture);
    for (const account of [f.mcaOperator, f.hallOperator, f.outsider]) {
      await expect(f.authority.connect(account).revokeAuthority(MATTER.food, f.keys.samrStaff.keyId, 0))
        .to.be.revertedWithCustomError(f.authority, "DelegatedAuthorityNotOperator")
        .withArgs(account.address, SAMR);
    }
  });

  it("moves a revocation only earlier, with DelegatedAuthorityRevocationNotEarlier otherwise", async function () {
    const f = await loadFixture(approvalsFixture);
    const revoke = f.authority.connect(f.samrOperator);
    const key = f.keys.samrStaff.keyId;
    const [, grantId] = await f.authority.authorityAt(MATTER.food, key, await time.latest());
    const scheduled = f.grantUntil - 100;
    await revoke.revokeAuthority(MATTER.food, key, scheduled);
    await expect(revoke.revokeAuthority(MATTER.food, key, scheduled))
      .to.be.revertedWithCustomError(f.authority, "DelegatedAuthorityRevocationNotEarlier")
      .withArgs(grantId, scheduled, scheduled);
    await expect(revoke.revokeAuthority(MATTER.food, key, scheduled + 1))
      .to.be.revertedWithCustomError(f.authority, "DelegatedAuthorityRevocationNotEarlier")
      .withArgs(grantId, scheduled + 1, scheduled);
    const now = (await time.latest()) + 10;
    await time.setNextBlockTimestamp(now);
    await expect(f.authority.connect(f.bureau).revokeAuthority(MATTER.food, key, 0))
      .to.emit(f.authority, "AuthorityRevoked")
      .withArgs(grantId, MATTER.food, key, now, scheduled);
  });

  it("rejects a revocation after validUntil with DelegatedAuthorityRevocationAfterExpiry, and records one before validFrom as validFrom", async function () {
    const f = await loadFixture(approvalsFixture);
    const key = f.keys.samrStaff.keyId;
    const [, grantId] = await f.authority.authorityAt(MATTER.food, key, await time.latest());
    await expect(f.authority.connect(f.samrOperator).revokeAuthority(MATTER.food, key, f.grantUntil + 1))
      .to.be.revertedWithCustomError(f.authority, "DelegatedAuthorityRevocationAfterExpiry")
      .withArgs(grantId, f.grantUntil + 1, f.grantUntil);
    await expect(f.authority.connect(f.samrOperator).revokeAuthority(MATTER.food, key, 1))
      .to.emit(f.authority, "AuthorityRevoked")
      .withArgs(grantId, MATTER.food, key, f.grantFrom, 0);
    expect((await f.authority.authorityAt(MATTER.food, key, f.grantFrom))[0]).to.equal(ROLE_NONE);
  });

  it("rejects revoking an expired grant now with DelegatedAuthorityRevocationAfterExpiry", async function () {
    const f = await loadFixture(approvalsFixture);
    const key = f.keys.samrStaff.keyId;
    const [, grantId] = await f.authority.authorityAt(MATTER.food, key, await time.latest());
    const now = f.grantUntil + 5;
    await time.setNextBlockTimestamp(now);
    await expect(f.authority.connect(f.samrOperator).revokeAuthority(MATTER.food, key, 0))
      .to.be.revertedWithCustomError(f.authority, "DelegatedAuthorityRevocationAfterExpiry")
      .withArgs(grantId, now, f.grantUntil);
  });

  it("rejects revoking what was never granted, or an unknown matter or grant id", async function () {
    const f = await loadFixture(approvalsFixture);
    await expect(f.authority.connect(f.samrOperator).revokeAuthority(MATTER.food, f.keys.hallStaff.keyId, 0))
      .to.be.revertedWithCustomError(f.authority, "DelegatedAuthorityNoGrant")
      .withArgs(MATTER.food, f.keys.hallStaff.keyId);
    const unknown = encodeBytes32String("NO_SUCH_MATTER");
    await expect(f.authority.connect(f.bureau).revokeAuthority(unknown, f.keys.hallStaff.keyId, 0))
      .to.be.revertedWithCustomError(f.authority, "DelegatedAuthorityUnknownMatter")
      .withArgs(unknown);
    for (const id of [0, 99]) {
      await expect(f.authority.grant(id)).to.be.revertedWithCustomError(f.authority, "DelegatedAuthorityUnknownGrant").withArgs(id);
    }
  });
});
