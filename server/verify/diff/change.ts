// One change found between two revisions, and how the rules record it. Each change has a kind
// that DocMDP judges (docmdp.ts) or, when no permission could allow it, the reason code it earns.
import type { ReasonCode } from "../reasons";
import type { ObjectRole } from "./roles";
import type { RevisionView } from "./pdf-values";

/**
 * What a change amounts to: `signing` (a new signature field, widget, appearance, /SigFlags),
 * `dss` (validation data), `metadata` (/Info, XMP), `form-fill` (a field's value or appearance),
 * `annotation` (a non-widget annotation), or `forbidden` (never permitted after a signature).
 */
export type ChangeKind = "signing" | "dss" | "metadata" | "form-fill" | "annotation" | "forbidden";

/** A change in one revision, named for a reason sentence. */
export interface RevisionChange {
  kind: ChangeKind;
  /** Set for forbidden changes: the code they are reported with. */
  code?: ReasonCode;
  /** The revision (0-based) that made the change. */
  revision: number;
  objectNumber?: number;
  /** What changed, e.g. "page 1's content stream (object 5) was changed". */
  what: string;
}

/** What a rule sees: both revisions, the roles of the revision before, and where to record. */
export interface RuleContext {
  before: RevisionView;
  after: RevisionView;
  roles: ReadonlyMap<number, ObjectRole>;
  /** Widgets (by "num gen") of signature fields this revision added: permitted in /Annots. */
  newSignatureWidgets: ReadonlySet<string>;
  /**
   * Object numbers of the signature dictionaries this revision defines and whose signed ranges end
   * with it: a field is signed here only when its /V names one of them (any other /V is a claim).
   */
  signaturesHere: ReadonlySet<number>;
  record(change: Omit<RevisionChange, "revision">): void;
}

/** "page 2's " or "" for reasons. */
export function onPage(page: number | undefined): string {
  return page === undefined ? "" : ` on page ${page}`;
}
