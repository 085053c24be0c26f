// The approvals fixture: the registry, ledger and approval contracts as deployZeroSign deploys
// them; SAMR, MCA, a public security bureau (PSB, issuer of identity certificates) and the approval
// bureau's hall (HALL, whose staff decide for other departments by delegation); real P-256 keys
// from node:crypto registered under keyIdFromSpki; three catalogued matters; anchored evidence.
import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { encodeBytes32String, getBytes, keccak256, toUtf8Bytes, type ContractTransactionResponse } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { attachZeroSign } from "../../../server/chain/deploy";
import { keyIdFromSpki } from "../../../server/chain/key-id";
import { buildBatchTree, DOCUMENT_KINDS, type BatchEntry } from "../../../server/chain/merkle";
import { KEY_ROLES } from "../../../server/chain/roles";
import {
  APPROVAL_PATHS,
  approvalDomain,
  decisionSignature,
  decisionDigest,
  DECISION_OUTCOMES,
  type DecisionMessage,
  type DecisionSignature,
} from "../../../server/chain/approval-typed-data";
import type { IApprovalRules, IMatterCatalog } from "../../../typechain-types";
import { anchorEntries, departmentsFixture, docHashOf, MCA, SAMR } from "../fixtures";

export const PSB = encodeBytes32String("PSB");
export const HALL = encodeBytes32String("HALL");
export const PATH = APPROVAL_PATHS;
export const OUTCOME = DECISION_OUTCOMES;

/** The catalogued matters (codes as bytes32). */
export const MATTER = {
  /** 老年人优待证申领, MCA's: 秒批 from a PSB identity certificate, or signed once by hall staff. */
  elderly: encodeBytes32String("ELDERLY_CARD"),
  /** 50㎡以下餐饮店食品经营许可, SAMR's, 签两次 list: 告知承诺, or signed once or twice. */
  food: encodeBytes32String("FOOD_LICENCE"),
  /** 施工图审查, SAMR's here, 签两次 list: 自审备案, or signed twice. */
  drawings: encodeBytes32String("DRAWING_REVIEW"),
} as const;

export const DAY = 86_400;
export const POST_CHECK_SEC = 180 * DAY;
export const NOTICE_SEC = 10 * DAY;

/** The bitmask of `paths`. */
export function pathBits(...paths: number[]): number {
  return paths.reduce((mask, path) => mask | (1 << path), 0);
}

export function elderlyRules(): IMatterCatalog.MatterRulesStruct {
  return {
    departmentId: MCA,
    name: "老年人优待证申领",
    baselineSignatures: 1,
    allowedPaths: pathBits(PATH.instant, PATH.signOnce),
    postCheckPeriodSec: 0,
    noticePeriodSec: 0,
    evidence: [{ kind: DOCUMENT_KINDS.certificate, departmentId: PSB, paths: pathBits(PATH.instant) }],
  };
}

export function foodRules(): IMatterCatalog.MatterRulesStruct {
  return {
    departmentId: SAMR,
    name: "50㎡以下餐饮店食品经营许可",
    baselineSignatures: 2,
    allowedPaths: pathBits(PATH.commitment, PATH.signOnce, PATH.signTwice),
    postCheckPeriodSec: POST_CHECK_SEC,
    noticePeriodSec: 0,
    evidence: [{ kind: DOCUMENT_KINDS["commitment-letter"], departmentId: SAMR, paths: pathBits(PATH.commitment) }],
  };
}

export function drawingRules(): IMatterCatalog.MatterRulesStruct {
  return {
    departmentId: SAMR,
    name: "施工图审查",
    baselineSignatures: 2,
    allowedPaths: pathBits(PATH.filing, PATH.signTwice),
    postCheckPeriodSec: 0,
    noticePeriodSec: NOTICE_SEC,
    evidence: [{ kind: DOCUMENT_KINDS.filing, departmentId: SAMR, paths: pathBits(PATH.filing) }],
  };
}

/** A P-256 key made by node:crypto, with its registry key id. */
export interface TestKey {
  keyId: string;
  spkiDer: Uint8Array;
  privateKey: KeyObject;
}

export function newP256Key(): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const spkiDer = new Uint8Array(publicKey.export({ type: "spki", format: "der" }));
  return { keyId: keyIdFromSpki(spkiDer), spkiDer, privateKey };
}

/** An anchored document as recordDecision cites it. */
export type EvidenceItem = IApprovalRules.EvidenceStruct & { docHash: string };

/** Anchors `entries` as `operator` and returns each one as evidence with its proof. */
export async function anchorEvidence(
  ledger: Parameters<typeof anchorEntries>[0],
  operator: HardhatEthersSigner,
  entries: readonly BatchEntry[],
): Promise<EvidenceItem[]> {
  const { batchId } = await anchorEntries(ledger, operator, entries);
  const tree = buildBatchTree(entries);
  return entries.map((entry, i) => ({ docHash: entry.docHashHex, kind: entry.kind, batchId, proof: tree.getProof(i) }));
}

/** A salted application hash stand-in, distinct per label. */
export function applicationHashOf(label: string): string {
  return keccak256(toUtf8Bytes(`application/${label}`));
}

export const KEY_LIFETIME_SEC = 365 * DAY;

export async function approvalsFixture() {
  const base = await departmentsFixture();
  const signers = await ethers.getSigners();
  const [psbOperator, hallOperator] = [signers[6], signers[7]];
  const registry = base.registry.connect(base.bureau);
  await registry.registerDepartment(PSB, "公安局");
  await registry.registerDepartment(HALL, "政务服务中心");
  await registry.addOperator(PSB, psbOperator.address);
  await registry.addOperator(HALL, hallOperator.address);

  const approvals = attachZeroSign(base.deployment, base.deployer).approvals;
  if (!approvals) throw new Error("deployZeroSign deployed no approval contracts");
  const { catalog, authority, approvalRules } = approvals;
  await catalog.connect(base.mcaOperator).setMatter(MATTER.elderly, elderlyRules());
  await catalog.connect(base.samrOperator).setMatter(MATTER.food, foodRules());
  await catalog.connect(base.samrOperator).setMatter(MATTER.drawings, drawingRules());

  const now = await time.latest();
  const keyFrom = now - 1_000;
  const keyUntil = now + KEY_LIFETIME_SEC;
  const keys = { samrStaff: newP256Key(), samrChief: newP256Key(), hallStaff: newP256Key(), hallChief: newP256Key() };
  await base.registry.connect(base.samrOperator).registerKey(keys.samrStaff.keyId, SAMR, KEY_ROLES.staff, keyFrom, keyUntil);
  await base.registry.connect(base.samrOperator).registerKey(keys.samrChief.keyId, SAMR, KEY_ROLES.chief, keyFrom, keyUntil);
  await registry.connect(hallOperator).registerKey(keys.hallStaff.keyId, HALL, KEY_ROLES.staff, keyFrom, keyUntil);
  await registry.connect(hallOperator).registerKey(keys.hallChief.keyId, HALL, KEY_ROLES.chief, keyFrom, keyUntil);

  // 授权书: MCA lets the hall's staff decide its elderly cards (委托受理 / 授权审批); SAMR lets its
  // own staff and chief decide food licences, and the hall's staff and chief review drawings.
  const grantFrom = now - 500;
  const grantUntil = now + 200 * DAY;
  const samrAuthority = authority.connect(base.samrOperator);
  await authority.connect(base.mcaOperator).grantAuthority(keys.hallStaff.keyId, [MATTER.elderly], KEY_ROLES.staff, grantFrom, grantUntil);
  await samrAuthority.grantAuthority(keys.samrStaff.keyId, [MATTER.food], KEY_ROLES.staff, grantFrom, grantUntil);
  await samrAuthority.grantAuthority(keys.samrChief.keyId, [MATTER.food], KEY_ROLES.chief, grantFrom, grantUntil);
  await samrAuthority.grantAuthority(keys.hallStaff.keyId, [MATTER.drawings], KEY_ROLES.staff, grantFrom, grantUntil);
  await samrAuthority.grantAuthority(keys.hallChief.keyId, [MATTER.drawings], KEY_ROLES.chief, grantFrom, grantUntil);

  const [idCertificate, idSealed] = await anchorEvidence(base.ledger, psbOperator, [
    { docHashHex: docHashOf("PSB identity certificate, born 1950"), kind: DOCUMENT_KINDS.certificate },
    { docHashHex: docHashOf("PSB sealed letter"), kind: DOCUMENT_KINDS["sealed-document"] },
  ]);
  const [commitmentLetter, filingDoc, certificate] = await anchorEvidence(base.ledger, base.samrOperator, [
    { docHashHex: docHashOf("SAMR commitment letter"), kind: DOCUMENT_KINDS["commitment-letter"] },
    { docHashHex: docHashOf("SAMR self-review filing of drawings"), kind: DOCUMENT_KINDS.filing },
    { docHashHex: docHashOf("SAMR food licence issued on commitment"), kind: DOCUMENT_KINDS.certificate },
  ]);
  const [mcaCertificate] = await anchorEvidence(base.ledger, base.mcaOperator, [
    { docHashHex: docHashOf("MCA certificate"), kind: DOCUMENT_KINDS.certificate },
  ]);

  const chainId = (await ethers.provider.getNetwork()).chainId;
  const domain = approvalDomain(chainId, await approvalRules.getAddress());
  return {
    ...base,
    psbOperator,
    hallOperator,
    catalog,
    authority,
    approvalRules,
    keys,
    keyFrom,
    keyUntil,
    grantFrom,
    grantUntil,
    evidence: { idCertificate, idSealed, commitmentLetter, filingDoc, certificate, mcaCertificate },
    chainId,
    domain,
  };
}

export type ApprovalsFixture = Awaited<ReturnType<typeof approvalsFixture>>;

/** A decision to sign, with the evidence documents it cites. */
export interface Proposal {
  message: DecisionMessage;
  evidence: EvidenceItem[];
}

/** A decision on `matter` by `path` under version 1, approved, valid for an hour, citing `evidence`. */
export async function propose(
  label: string,
  matter: string,
  path: number,
  evidence: EvidenceItem[],
  overrides: Partial<DecisionMessage> = {},
): Promise<Proposal> {
  const message: DecisionMessage = {
    applicationHash: applicationHashOf(label),
    matter,
    path,
    ruleVersion: 1,
    outcome: OUTCOME.approved,
    evidence: evidence.map((item) => item.docHash),
    deadline: (await time.latest()) + 3_600,
    ...overrides,
  };
  return { message, evidence };
}

/** `key`'s ECDSA-P256-SHA256 signature of the proposal's EIP-712 digest, as node:crypto makes it. */
export function signProposal(f: ApprovalsFixture, key: TestKey, proposal: Proposal): DecisionSignature {
  const digest = getBytes(decisionDigest(f.domain, proposal.message));
  const signature = sign("sha256", digest, { key: key.privateKey, dsaEncoding: "ieee-p1363" });
  return decisionSignature(key.spkiDer, signature, "ieee-p1363");
}

/** The Decision struct recordDecision takes (the evidence list travels as the Evidence items). */
export function decisionStruct(message: DecisionMessage): IApprovalRules.DecisionStruct {
  return {
    applicationHash: message.applicationHash,
    matter: message.matter,
    path: message.path,
    ruleVersion: message.ruleVersion,
    outcome: message.outcome,
    deadline: message.deadline,
  };
}

/** Records `proposal` as `operator`, with the given signatures. */
export function record(
  f: ApprovalsFixture,
  operator: HardhatEthersSigner,
  proposal: Proposal,
  signatures: DecisionSignature[],
): Promise<ContractTransactionResponse> {
  return f.approvalRules.connect(operator).recordDecision(decisionStruct(proposal.message), proposal.evidence, signatures);
}

/** Signs `proposal` with each of `signers` in order and records it as `operator`. */
export function signAndRecord(
  f: ApprovalsFixture,
  operator: HardhatEthersSigner,
  proposal: Proposal,
  signers: TestKey[],
): Promise<ContractTransactionResponse> {
  return record(f, operator, proposal, signers.map((key) => signProposal(f, key, proposal)));
}
