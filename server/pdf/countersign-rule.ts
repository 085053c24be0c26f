// Who may add a further signature (签两次) to a document, and when: the one rule the API
// (POST /api/documents/{id}/countersignatures) and the CLI (zerosign countersign) both apply.
// A seal is the issuer's act, not a countersignature; a revoked document is not signed again.
import { ConflictError } from "../errors";

/** Roles that countersign: 派驻工作人员 staff and 首席代表 chief representative (never the seal). */
export const COUNTERSIGN_ROLES = ["staff", "chief"] as const;

/** A role that may countersign. */
export type CountersignRole = (typeof COUNTERSIGN_ROLES)[number];

/** Narrows `role` to a {@link CountersignRole}, or undefined when it may not countersign. */
export function countersignRoleOf(role: string): CountersignRole | undefined {
  return COUNTERSIGN_ROLES.find((r) => r === role);
}

/**
 * Refuses to countersign a revoked document.
 * @param subject - names the document in the message (its id, or the file)
 * @param revoked - whether its issuer revoked it
 * @throws ConflictError DOCUMENT_REVOKED (409 over HTTP)
 */
export function assertCountersignable(subject: string, revoked: boolean): void {
  if (revoked) throw new ConflictError("DOCUMENT_REVOKED", `Document ${subject} is revoked; it cannot be countersigned`);
}
