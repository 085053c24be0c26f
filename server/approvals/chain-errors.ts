// The approval contracts' custom errors as the API's stable codes: the contract's error name in
// UPPER_SNAKE (ApprovalRulesNoAuthority → APPROVAL_RULES_NO_AUTHORITY), so a refusal names the
// rule the chain applied, and a status by kind. Contract errors are never renamed, so neither are
// these codes. Anything that is not such a revert (an outage, a bug) is passed on unchanged.
import { ApprovalRules__factory, DelegatedAuthority__factory, MatterCatalog__factory } from "../../typechain-types";
import { isChainOutage } from "../chain/chain-reader";
import { decodeRevert, type DecodedRevert } from "../chain/decode-revert";
import { ChainUnavailableError, ZeroSignError } from "../errors";

const INTERFACES = [
  ApprovalRules__factory.createInterface(),
  MatterCatalog__factory.createInterface(),
  DelegatedAuthority__factory.createInterface(),
];

/** 403: who signs or sends lacks the right; every other refusal is a 409 (the state does not allow it). */
const FORBIDDEN = new Set([
  "ApprovalRulesNotOperator",
  "ApprovalRulesInvalidSignature",
  "ApprovalRulesNoAuthority",
  "ApprovalRulesWrongRole",
  "ApprovalRulesKeyNotValid",
  "ApprovalRulesSameSigner",
  "ApprovalRulesSignatureCount",
  "MatterCatalogNotAuthorized",
  "DelegatedAuthorityNotOperator",
  "DelegatedAuthorityKeyRole",
]);

/** The contract error's name as a code: CamelCase to UPPER_SNAKE. */
export function approvalErrorCode(errorName: string): string {
  return errorName.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

/** The approval contracts' custom error `err` carries, if any. */
export function decodeApprovalRevert(err: unknown): DecodedRevert | undefined {
  for (const iface of INTERFACES) {
    const decoded = decodeRevert(iface, err);
    if (decoded) return decoded;
  }
  return undefined;
}

/** A refusal by the approval contracts, as the API answers it: `{ code, reason }`, 403 or 409. */
export class ApprovalRefusedError extends ZeroSignError {
  readonly contractError: string;

  constructor(decoded: DecodedRevert, options?: { cause?: unknown }) {
    const args = [...decoded.args].map((a) => (typeof a === "bigint" ? a.toString() : String(a)));
    super(approvalErrorCode(decoded.name), `The chain refused: ${decoded.name}(${args.join(", ")})`, {
      ...options,
      httpStatus: FORBIDDEN.has(decoded.name) ? 403 : 409,
    });
    this.contractError = decoded.name;
  }
}

/** Runs a contract call; its revert becomes ApprovalRefusedError, an outage ChainUnavailableError. */
export async function onApprovalChain<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const decoded = decodeApprovalRevert(err);
    if (decoded) throw new ApprovalRefusedError(decoded, { cause: err });
    if (isChainOutage(err)) throw new ChainUnavailableError("CHAIN_UNREACHABLE", `The chain could not be reached (${what})`, { cause: err });
    throw err;
  }
}
