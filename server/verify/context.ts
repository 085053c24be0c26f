// What every check receives: the parsed PDF, the chain (absent offline), and facts several checks
// share, computed once per verification (memoized promises), so signer-key, anchor and revocation
// ask the chain the same question only once.
import type { ParsedPdf } from "../pdf/read/types";
import type { CertificateCache } from "./certificate-cache";
import type { ChainReader } from "./chain-reader";
import type { CheckName, CheckResult } from "./types";

export interface VerifyContext {
  pdf: ParsedPdf;
  /** Undefined when verifying offline. */
  chain?: ChainReader;
  /** Reads the certificates CMS values include; shared across verifications (certificates only). */
  certificates: CertificateCache;
  /** Results of the checks that ran before, in order (checks may depend on earlier ones). */
  earlier: readonly CheckResult[];
  /** Memoizes a fact under a key for this verification. */
  memo<T>(key: string, compute: () => Promise<T>): Promise<T>;
}

/** One check: a name, whether it needs the chain, and a run returning one result or one per signature. */
export interface Check {
  id: CheckName;
  needsChain: boolean;
  run(ctx: VerifyContext): Promise<CheckResult | CheckResult[]>;
}
