// Shared fixtures for the contract suite: a fresh TrustRegistry + DocumentLedger on the Hardhat
// network, two departments with one operator each, deterministic document batches and a seeded
// index picker. No test here reads the clock; times are set with setNextBlockTimestamp.
import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { encodeBytes32String, hexlify, keccak256, sha256, toUtf8Bytes, type TransactionReceipt } from "ethers";
import { deployZeroSign } from "../../server/chain/deploy";
import { DOCUMENT_KINDS, type BatchEntry } from "../../server/chain/merkle";
import type { DocumentLedger } from "../../typechain-types";

export const SAMR = encodeBytes32String("SAMR");
export const MCA = encodeBytes32String("MCA");
export const SAMR_NAME = "市场监督管理局";
export const MCA_NAME = "民政局";

/** ITrustRegistry.KeyStatus, in declaration order. */
export const KEY_STATUS = {
  valid: 0n,
  unknownKey: 1n,
  wrongDepartment: 2n,
  wrongRole: 3n,
  notYetValid: 4n,
  expired: 5n,
  revoked: 6n,
  departmentInactive: 7n,
} as const;

/** Revocation reasons used by the tests (0 is reserved for "not revoked"). */
export const REASON = { cancelled: 1, sanctioned: 2 } as const;

const ALL_KINDS = Object.values(DOCUMENT_KINDS);

/** Registry and ledger deployed by `deployer`, with `bureau` as admin and approval bureau. */
export async function deployedFixture() {
  const [deployer, bureau, samrOperator, mcaOperator, outsider, spare] = await ethers.getSigners();
  const { registry, ledger, deployment } = await deployZeroSign(deployer, bureau.address);
  return { registry, ledger, deployment, deployer, bureau, samrOperator, mcaOperator, outsider, spare };
}

/** SAMR and MCA registered by the bureau, each with one operator. */
export async function departmentsFixture() {
  const base = await deployedFixture();
  const registry = base.registry.connect(base.bureau);
  await registry.registerDepartment(SAMR, SAMR_NAME);
  await registry.registerDepartment(MCA, MCA_NAME);
  await registry.addOperator(SAMR, base.samrOperator.address);
  await registry.addOperator(MCA, base.mcaOperator.address);
  return base;
}

/** A stand-in SHA-256 document hash, distinct per label. */
export function docHashOf(label: string): string {
  return sha256(toUtf8Bytes(label));
}

/** A stand-in key id (keccak256, like keyIdFromSpki), distinct per label. */
export function keyIdOf(label: string): string {
  return keccak256(toUtf8Bytes(label));
}

/** `size` documents labelled `label`, cycling through every kind, starting at `firstKind`. */
export function makeBatch(label: string, size: number, firstKind = 0): BatchEntry[] {
  return Array.from({ length: size }, (_, i) => ({
    docHashHex: docHashOf(`${label}/${i}`),
    kind: ALL_KINDS[(firstKind + i) % ALL_KINDS.length],
  }));
}

/** The `kinds` bytes argument of anchorBatch. */
export function kindsOf(entries: readonly BatchEntry[]): string {
  return hexlify(Uint8Array.from(entries.map((entry) => entry.kind)));
}

export interface Anchored {
  batchId: number;
  receipt: TransactionReceipt;
}

/** Anchors `entries` as `operator` and returns the batch id (from BatchAnchored) and the receipt. */
export async function anchorEntries(
  ledger: DocumentLedger,
  operator: HardhatEthersSigner,
  entries: readonly BatchEntry[],
): Promise<Anchored> {
  const tx = await ledger.connect(operator).anchorBatch(
    entries.map((entry) => entry.docHashHex),
    kindsOf(entries),
  );
  const receipt = await tx.wait();
  if (!receipt) throw new Error(`no receipt for ${tx.hash}`);
  const event = receipt.logs
    .map((log) => ledger.interface.parseLog(log))
    .find((parsed) => parsed?.name === "BatchAnchored");
  if (!event) throw new Error(`no BatchAnchored log in ${tx.hash}`);
  return { batchId: Number(event.args.batchId), receipt };
}

/** A deterministic pseudo-random integer source (mulberry32), so a sample is the same every run. */
export function seededRandom(seed: number): (bound: number) => number {
  let state = seed >>> 0;
  return (bound: number) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % bound) >>> 0;
  };
}
