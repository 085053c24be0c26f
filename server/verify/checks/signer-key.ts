// The signer-key check, one result per signature: was the signing key a registered key of its
// department, with its role, inside its validity window and not revoked, at the signature's
// trusted time: the anchoring block's time, never "now" (DESIGN.md: roles and key windows as of
// the anchoring block). It stops signatures by revoked, expired or foreign keys.
import type { PdfSignature } from "../../pdf/read/types";
import { anchoringFacts, departmentName, keyAtTime, keyIdOf, trustedTimeSec } from "../anchoring";
import type { KeyAtTime, KeyStatusName } from "../chain-reader";
import { perSignature, type SignatureJudgement } from "../check-result";
import type { Check, VerifyContext } from "../context";
import type { ReasonCode } from "../reasons";
import type { CheckResult } from "../types";

/** What a signer-key result reports about the key, when the registry knows it. */
export type SignerKeyData = {
  keyIdHex: string;
  /** The time the key was judged at (the trusted time of the signature). */
  judgedAtSec?: number;
  departmentId?: string;
  departmentName?: string;
  role?: string;
  validFromSec?: number;
  validUntilSec?: number;
  revokedAtSec?: number;
};

/** Registry statuses that are evidence of a fault, with their codes. */
const INVALID_STATUS: Partial<Record<KeyStatusName, ReasonCode>> = {
  "not-yet-valid": "KEY_NOT_YET_VALID",
  expired: "KEY_EXPIRED",
  revoked: "KEY_REVOKED",
  "department-inactive": "DEPARTMENT_INACTIVE",
};

/** The signer-key check (needs the chain). */
export const signerKeyCheck: Check = {
  id: "signer-key",
  needsChain: true,
  run: runSignerKey,
};

async function runSignerKey(ctx: VerifyContext): Promise<CheckResult[]> {
  return perSignature(ctx, "signer-key", (signature) => judgeSignature(ctx, signature));
}

async function judgeSignature(ctx: VerifyContext, signature: PdfSignature): Promise<SignatureJudgement> {
  const facts = await anchoringFacts(ctx);
  const keyIdHex = await keyIdOf(ctx, signature);
  if (keyIdHex === undefined) return { status: "error", code: "SIGNER_CERT_MISSING" };
  const judgedAtSec = trustedTimeSec(facts, signature);
  // A signature added after the last anchoring has no time on chain to judge its key at; judging
  // it "now" would let a key revoked yesterday sign documents dated last year.
  if (judgedAtSec === undefined) return { status: "unknown", code: "NO_TRUSTED_TIME", data: { keyIdHex } };

  const key = await keyAtTime(ctx, keyIdHex, judgedAtSec);
  if (key.status === "unknown-key") return { status: "unknown", code: "SIGNER_UNKNOWN_KEY", data: { keyIdHex, judgedAtSec } };
  const data: SignerKeyData = { keyIdHex, judgedAtSec, ...keyFacts(key), departmentName: await departmentName(ctx, key.departmentId) };
  if (key.status === "valid") return { status: "valid", data };
  const code = INVALID_STATUS[key.status];
  // keyAt judges a key against its own department and role, so wrong-department/-role cannot occur.
  if (code === undefined) throw new RangeError(`TrustRegistry.keyAt returned ${key.status}`);
  return { status: "invalid", code, data };
}

function keyFacts(key: KeyAtTime): Omit<SignerKeyData, "keyIdHex" | "judgedAtSec" | "departmentName"> {
  return {
    departmentId: key.departmentId,
    role: key.role,
    validFromSec: key.validFromSec,
    validUntilSec: key.validUntilSec,
    revokedAtSec: key.revokedAtSec,
  };
}
