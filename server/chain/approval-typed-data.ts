// The one TypeScript definition of ApprovalRules' EIP-712 decision (domain, types, numbering of
// paths and outcomes), and the conversions a P-256 signature and public key need before the
// contract can check them. It signs nothing: callers sign the digest with their own Signer.
import * as asn1js from "asn1js";
import { getBytes, hexlify, toBeHex, TypedDataEncoder, type TypedDataDomain, type TypedDataField } from "ethers";

/** IMatterCatalog.Path, with its on-chain numbers; never renumber. */
export const APPROVAL_PATHS = { instant: 0, commitment: 1, filing: 2, signOnce: 3, signTwice: 4 } as const;
export type ApprovalPathName = keyof typeof APPROVAL_PATHS;

/** IApprovalRules.Outcome, with its on-chain numbers. */
export const DECISION_OUTCOMES = { approved: 0, refused: 1 } as const;
export type DecisionOutcomeName = keyof typeof DECISION_OUTCOMES;

/** The EIP-712 domain's name and version, as ApprovalRules' constructor sets them. */
export const APPROVAL_DOMAIN_NAME = "ZeroSign ApprovalRules";
export const APPROVAL_DOMAIN_VERSION = "1";

/** The EIP-712 types of a decision, for ethers' TypedDataEncoder and signTypedData. */
export const DECISION_TYPES: Record<string, TypedDataField[]> = {
  Decision: [
    { name: "applicationHash", type: "bytes32" },
    { name: "matter", type: "bytes32" },
    { name: "path", type: "uint8" },
    { name: "ruleVersion", type: "uint32" },
    { name: "outcome", type: "uint8" },
    { name: "evidence", type: "bytes32[]" },
    { name: "deadline", type: "uint64" },
  ],
};

/** A decision as it is signed: `evidence` holds the cited documents' hashes, in citation order. */
export interface DecisionMessage {
  applicationHash: string;
  matter: string;
  path: number;
  ruleVersion: number;
  outcome: number;
  evidence: readonly string[];
  deadline: number | bigint;
}

/** The domain of the ApprovalRules contract at `verifyingContract` on chain `chainId`. */
export function approvalDomain(chainId: number | bigint, verifyingContract: string): TypedDataDomain {
  return { name: APPROVAL_DOMAIN_NAME, version: APPROVAL_DOMAIN_VERSION, chainId, verifyingContract };
}

/**
 * The 32-byte EIP-712 digest of a decision (0x-hex). A person signs these 32 bytes with
 * ECDSA-P256-SHA256, the way every PDF signature is made (the contract verifies against
 * sha256(digest)).
 */
export function decisionDigest(domain: TypedDataDomain, message: DecisionMessage): string {
  return TypedDataEncoder.hash(domain, DECISION_TYPES, { ...message, evidence: [...message.evidence] });
}

/** The order of the P-256 group; a signature's s must be at most N/2 for OpenZeppelin's P256. */
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** An ECDSA P-256 signature as the contract takes it: 0x-hex bytes32 r and s, s low. */
export interface P256Signature {
  r: string;
  s: string;
}

/**
 * Converts a P-256 signature into the contract's (r, s), replacing a high s by n - s: OpenZeppelin's
 * P256.verify refuses s > n/2 so that a signature cannot be turned into a second valid one.
 * `der` is an Ecdsa-Sig-Value (node:crypto's default, the service's Signer); `ieee-p1363` is r ‖ s
 * (node:crypto with dsaEncoding 'ieee-p1363', WebCrypto).
 */
export function p256Signature(signature: Uint8Array, encoding: "der" | "ieee-p1363"): P256Signature {
  const [r, s] = encoding === "der" ? readDerSignature(signature) : readP1363Signature(signature);
  if (r <= 0n || r >= P256_N || s <= 0n || s >= P256_N) throw new RangeError("P-256 signature r or s out of range");
  const low = s > P256_N / 2n ? P256_N - s : s;
  return { r: toBeHex(r, 32), s: toBeHex(low, 32) };
}

/** DER of SubjectPublicKeyInfo{id-ecPublicKey, prime256v1} up to the point, as the contract has it. */
const P256_SPKI_PREFIX = getBytes("0x3059301306072a8648ce3d020106082a8648ce3d030107034200");

/** An uncompressed P-256 public key point as 0x-hex bytes32 coordinates. */
export interface P256Point {
  x: string;
  y: string;
}

/**
 * The point of a P-256 key from its DER SubjectPublicKeyInfo (node:crypto's
 * export({ type: 'spki', format: 'der' })). Only the uncompressed 91-byte form is accepted: it is
 * the form whose keccak256 is the registry key id the contract recomputes from (x, y).
 */
export function p256PublicKeyPoint(spkiDer: Uint8Array): P256Point {
  const prefixLength = P256_SPKI_PREFIX.length;
  const matches =
    spkiDer.length === prefixLength + 65 &&
    P256_SPKI_PREFIX.every((byte, i) => spkiDer[i] === byte) &&
    spkiDer[prefixLength] === 0x04;
  if (!matches) throw new RangeError("not an uncompressed P-256 SubjectPublicKeyInfo");
  const point = spkiDer.subarray(prefixLength + 1);
  return { x: hexlify(point.subarray(0, 32)), y: hexlify(point.subarray(32, 64)) };
}

/** IApprovalRules.Signature: the signer's point and the low-s signature. */
export type DecisionSignature = P256Point & P256Signature;

/** The contract's Signature struct from the signer's SPKI and its signature of the digest. */
export function decisionSignature(
  spkiDer: Uint8Array,
  signature: Uint8Array,
  encoding: "der" | "ieee-p1363",
): DecisionSignature {
  return { ...p256PublicKeyPoint(spkiDer), ...p256Signature(signature, encoding) };
}

function readP1363Signature(bytes: Uint8Array): [bigint, bigint] {
  if (bytes.length !== 64) throw new RangeError(`an IEEE P1363 P-256 signature is 64 bytes, got ${bytes.length}`);
  return [BigInt(hexlify(bytes.subarray(0, 32))), BigInt(hexlify(bytes.subarray(32)))];
}

function readDerSignature(bytes: Uint8Array): [bigint, bigint] {
  const parsed = asn1js.fromBER(bytes);
  const seq = parsed.result;
  const strict = parsed.offset === bytes.length && seq instanceof asn1js.Sequence && seq.valueBlock.value.length === 2;
  if (!strict) throw new RangeError("not a DER Ecdsa-Sig-Value (SEQUENCE of two INTEGERs)");
  const [r, s] = seq.valueBlock.value;
  if (!(r instanceof asn1js.Integer) || !(s instanceof asn1js.Integer)) {
    throw new RangeError("not a DER Ecdsa-Sig-Value (SEQUENCE of two INTEGERs)");
  }
  return [r.toBigInt(), s.toBigInt()];
}
