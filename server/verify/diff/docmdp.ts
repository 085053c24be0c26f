// DocMDP (ISO 32000-1 §12.8.2.2): what a certification signature's P permits after it. P 1: no
// changes; P 2: form filling and signing; P 3: also annotations. Without a certification ZeroSign
// permits signing and validation data only: a signed certificate is not a form to fill in.
// DSS data is permitted under every P (ISO 32000-2 §12.8.2.2 allows DSS and document timestamps).
import type { ReasonCode } from "../reasons";
import type { RevisionChange } from "./change";

/** The DocMDP permission in force, or undefined when no certification signature precedes. */
export type DocMdpPermission = 1 | 2 | 3 | undefined;

/** The code a change earns under `permission`, or undefined when the change is permitted. */
export function judgeChange(change: RevisionChange, permission: DocMdpPermission): ReasonCode | undefined {
  switch (change.kind) {
    case "forbidden":
      return change.code ?? "UNSIGNED_CHANGES_AFTER_SIGNATURE";
    case "dss":
      return undefined;
    case "signing":
    case "metadata":
      return permission === 1 ? "DOCMDP_VIOLATION" : undefined;
    case "form-fill":
      if (permission === undefined) return "FORM_VALUE_CHANGED";
      return permission === 1 ? "DOCMDP_VIOLATION" : undefined;
    case "annotation":
      if (permission === undefined) return "ANNOTATION_CHANGED";
      return permission === 3 ? undefined : "DOCMDP_VIOLATION";
  }
}
