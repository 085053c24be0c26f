// What the service knows about a matter besides its on-chain rules: the declarative 秒批 rules
// over verified evidence data, and how evidence requirements read in department codes. The chain's
// MatterCatalog stays the authority on paths, evidence and periods; this is the catalog as seeded.
import type { ApprovalPathName } from "../chain/approval-typed-data";
import type { DocumentKindName } from "../chain/merkle";

/** One evidence requirement: a document of `kind` anchored by `departmentCode`, for `paths`. */
export interface EvidenceRequirementDefinition {
  kind: DocumentKindName;
  departmentCode: string;
  paths: readonly ApprovalPathName[];
  /** What it is, for the answer's reasons, e.g. 公安局户籍证明. */
  label: string;
  /** The certificate's embedded templateId the instant path's rules expect (e.g. hukou-record). */
  templateId?: string;
}

/** A test of one field of verified evidence data. */
export type FieldTest =
  /** The field is a YYYY-MM-DD date at least `years` years before the decision day (Beijing). */
  | { ageAtLeast: number }
  /** The field equals `value` exactly. */
  | { equals: string }
  /** The field is present and not empty. */
  | { present: true };

/**
 * A 秒批 rule: the field `field` of the evidence cited as requirement `evidence` (its index among
 * the instant path's requirements) must pass `test`. Rules read only verified evidence data
 * (审批材料变成审批数据), never what the applicant typed.
 */
export interface InstantRule {
  evidence: number;
  field: string;
  test: FieldTest;
  /** One line a clerk can read, e.g. 年满60周岁. */
  description: string;
}

/** A matter as the demo catalog seeds it. */
export interface MatterDefinition {
  /** The matter's code (on chain: encodeBytes32String(code)). */
  code: string;
  name: string;
  departmentCode: string;
  baselineSignatures: 1 | 2;
  paths: readonly ApprovalPathName[];
  postCheckPeriodSec: number;
  noticePeriodSec: number;
  evidence: readonly EvidenceRequirementDefinition[];
  /** The instant path's rules; every one must pass. */
  instantRules: readonly InstantRule[];
  /** The certificate issued on approval: its title (≤ 20 characters). */
  certificateTitle: string;
}

/**
 * The data a verified certificate carries (its signed embedded JSON, exposed by the verifier's
 * report as `certificateData`): only present for a document that verifies.
 */
export interface EvidenceData {
  templateId: string;
  certificateIdentifier: string;
  fields: Readonly<Record<string, string>>;
}
