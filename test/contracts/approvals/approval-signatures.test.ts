// ApprovalRules: the P-256 signatures themselves, made by node:crypto. The key id the contract
// recomputes from (x, y) is the registry's keyIdFromSpki; the digest it signs is the TypeScript
// module's; tampered, high-s, re-targeted and forged signatures are refused with
// ApprovalRulesInvalidSignature; DER signatures (the service's PDF Signer) work once converted.
import { expect } from "chai";
import { sign } from "node:crypto";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { getBytes, hexlify, toBeHex } from "ethers";
import {
  approvalDomain,
  decisionDigest,
  decisionSignature,
  p256PublicKeyPoint,
  p256Signature,
} from "../../../server/chain/approval-typed-data";
import {
  approvalsFixture,
  decisionStruct,
  MATTER,
  newP256Key,
  OUTCOME,
  PATH,
  propose,
  record,
  signProposal,
  type ApprovalsFixture,
  type Proposal,
} from "./approvals-fixture";

const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** A sign-once food licence decision. */
function onceFood(label = "food once") {
  return propose(label, MATTER.food, PATH.signOnce, []);
}

/** Flips the lowest bit of a bytes32 hex. */
function flipLowBit(hex: string): string {
  return toBeHex(BigInt(hex) ^ 1n, 32);
}

function expectInvalid(f: ApprovalsFixture, p: Proposal, signature: ReturnType<typeof signProposal>, keyId: string) {
  return expect(record(f, f.samrOperator, p, [signature]))
    .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesInvalidSignature")
    .withArgs(0, keyId);
}

describe("ApprovalRules: P-256 signatures", function () {
  it("recomputes the registry key id from (x, y) exactly as keyIdFromSpki does", async function () {
    const f = await loadFixture(approvalsFixture);
    for (const key of Object.values(f.keys)) {
      const { x, y } = p256PublicKeyPoint(key.spkiDer);
      expect(await f.approvalRules.keyIdOf(x, y)).to.equal(key.keyId);
    }
  });

  it("signs the digest the contract computes: EIP-712 domain ZeroSign ApprovalRules, version 1", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await propose("digest", MATTER.elderly, PATH.instant, [f.evidence.idCertificate]);
    const onChain = await f.approvalRules.decisionDigest(decisionStruct(p.message), [...p.message.evidence]);
    expect(onChain).to.equal(decisionDigest(f.domain, p.message));
    const [, name, version, chainId, verifyingContract] = await f.approvalRules.eip712Domain();
    expect([name, version, chainId, verifyingContract]).to.deep.equal([
      "ZeroSign ApprovalRules",
      "1",
      f.chainId,
      await f.approvalRules.getAddress(),
    ]);
  });

  it("accepts a DER signature from node:crypto's default encoding once converted to low-s (r, s)", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await onceFood();
    const digest = getBytes(decisionDigest(f.domain, p.message));
    const der = sign("sha256", digest, f.keys.samrStaff.privateKey);
    await expect(record(f, f.samrOperator, p, [decisionSignature(f.keys.samrStaff.spkiDer, der, "der")]))
      .to.emit(f.approvalRules, "DecisionRecorded")
      .withArgs(p.message.applicationHash, MATTER.food, PATH.signOnce, 1, OUTCOME.approved, 1, 2, [f.keys.samrStaff.keyId]);
  });

  it("rejects the high-s twin of a valid signature (malleability) with ApprovalRulesInvalidSignature", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await onceFood();
    const good = signProposal(f, f.keys.samrStaff, p);
    const twin = { ...good, s: toBeHex(P256_N - BigInt(good.s), 32) };
    await expectInvalid(f, p, twin, f.keys.samrStaff.keyId);
    await expect(record(f, f.samrOperator, p, [good])).to.emit(f.approvalRules, "DecisionRecorded");
  });

  it("rejects a tampered r or s with ApprovalRulesInvalidSignature", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await onceFood();
    const good = signProposal(f, f.keys.samrStaff, p);
    await expectInvalid(f, p, { ...good, r: flipLowBit(good.r) }, f.keys.samrStaff.keyId);
    await expectInvalid(f, p, { ...good, s: flipLowBit(good.s) }, f.keys.samrStaff.keyId);
  });

  it("rejects a signature presented with another authorised key's point, naming that key", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await onceFood();
    const byChief = signProposal(f, f.keys.samrChief, p);
    const staffPoint = p256PublicKeyPoint(f.keys.samrStaff.spkiDer);
    await expectInvalid(f, p, { ...byChief, ...staffPoint }, f.keys.samrStaff.keyId);
  });

  it("rejects a signature made for a tampered decision: outcome, path, deadline, evidence or application changed", async function () {
    const f = await loadFixture(approvalsFixture);
    const signed = await onceFood("signed as approved");
    const signature = signProposal(f, f.keys.samrStaff, signed);
    const tampered: Proposal[] = [
      { ...signed, message: { ...signed.message, outcome: OUTCOME.refused } },
      { ...signed, message: { ...signed.message, deadline: BigInt(signed.message.deadline) + 1n } },
      { ...signed, message: { ...signed.message, applicationHash: flipLowBit(signed.message.applicationHash) } },
    ];
    for (const p of tampered) await expectInvalid(f, p, signature, f.keys.samrStaff.keyId);

    // A refusal citing a document the staff member never saw.
    const refused = await propose("refused with evidence", MATTER.food, PATH.signOnce, [], { outcome: OUTCOME.refused });
    const refusal = signProposal(f, f.keys.samrStaff, refused);
    const withEvidence: Proposal = { ...refused, evidence: [f.evidence.certificate] };
    await expectInvalid(f, withEvidence, refusal, f.keys.samrStaff.keyId);
  });

  it("rejects a signature made for another ApprovalRules contract or chain (EIP-712 domain) with ApprovalRulesInvalidSignature", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await onceFood();
    for (const domain of [
      approvalDomain(f.chainId, await f.catalog.getAddress()),
      approvalDomain(1n, await f.approvalRules.getAddress()),
    ]) {
      const digest = getBytes(decisionDigest(domain, p.message));
      const raw = sign("sha256", digest, { key: f.keys.samrStaff.privateKey, dsaEncoding: "ieee-p1363" });
      await expectInvalid(f, p, decisionSignature(f.keys.samrStaff.spkiDer, raw, "ieee-p1363"), f.keys.samrStaff.keyId);
    }
  });

  it("rejects a signature of the digest made with SHA-512 instead of SHA-256 with ApprovalRulesInvalidSignature", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await onceFood();
    const digest = getBytes(decisionDigest(f.domain, p.message));
    const raw = sign("sha512", digest, { key: f.keys.samrStaff.privateKey, dsaEncoding: "ieee-p1363" });
    await expectInvalid(f, p, decisionSignature(f.keys.samrStaff.spkiDer, raw, "ieee-p1363"), f.keys.samrStaff.keyId);
  });

  it("rejects a valid signature by an unregistered key with ApprovalRulesNoAuthority, not as valid", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await onceFood();
    const stranger = newP256Key();
    await expect(record(f, f.samrOperator, p, [signProposal(f, stranger, p)]))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesNoAuthority")
      .withArgs(0, stranger.keyId, MATTER.food);
  });

  it("rejects a point off the curve with ApprovalRulesInvalidSignature", async function () {
    const f = await loadFixture(approvalsFixture);
    const p = await onceFood();
    const good = signProposal(f, f.keys.samrStaff, p);
    const offCurve = { ...good, y: flipLowBit(good.y) };
    await expect(record(f, f.samrOperator, p, [offCurve]))
      .to.be.revertedWithCustomError(f.approvalRules, "ApprovalRulesInvalidSignature")
      .withArgs(0, await f.approvalRules.keyIdOf(offCurve.x, offCurve.y));
  });
});

describe("approval-typed-data: signature and key conversions", function () {
  it("normalises a high s to n - s and leaves a low s as it is", function () {
    const r = new Uint8Array(32).fill(1);
    const high = getBytes(toBeHex(P256_N - 5n, 32));
    const raw = new Uint8Array([...r, ...high]);
    expect(p256Signature(raw, "ieee-p1363")).to.deep.equal({ r: hexlify(r), s: toBeHex(5n, 32) });
    const low = new Uint8Array([...r, ...getBytes(toBeHex(5n, 32))]);
    expect(p256Signature(low, "ieee-p1363").s).to.equal(toBeHex(5n, 32));
  });

  it("reads the same (r, s) from the DER and the IEEE P1363 form of one signature", function () {
    const key = newP256Key();
    const data = new Uint8Array(32).fill(7);
    const der = sign("sha256", data, key.privateKey);
    const { r, s } = p256Signature(der, "der");
    // Rebuild r ‖ s from the parsed values and read it back as P1363.
    const raw = new Uint8Array([...getBytes(r), ...getBytes(s)]);
    expect(p256Signature(raw, "ieee-p1363")).to.deep.equal({ r, s });
  });

  it("refuses malformed signatures and keys with RangeError", function () {
    expect(() => p256Signature(new Uint8Array(63), "ieee-p1363")).to.throw(RangeError);
    expect(() => p256Signature(new Uint8Array(64), "ieee-p1363")).to.throw(RangeError, "out of range");
    expect(() => p256Signature(Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x01]), "der")).to.throw(RangeError);
    expect(() => p256Signature(Uint8Array.from([0x04, 0x00]), "der")).to.throw(RangeError);
    const spki = newP256Key().spkiDer;
    expect(() => p256PublicKeyPoint(spki.subarray(1))).to.throw(RangeError);
    const compressedMarker = Uint8Array.from(spki);
    compressedMarker[26] = 0x02;
    expect(() => p256PublicKeyPoint(compressedMarker)).to.throw(RangeError);
  });
});
