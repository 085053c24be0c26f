// Every reason code a verification result can carry, listed once. Codes are stable API: tests,
// clients and the public page match on them. Never rename or reuse one; add new ones at the end
// of their group.

export const REASONS = {
  // The input itself (verdict "error").
  PDF_NOT_PDF: "The file is not a PDF.",
  PDF_TRUNCATED: "The PDF is cut off.",
  PDF_MALFORMED: "The PDF's structure is broken.",
  PDF_ENCRYPTED: "The PDF is encrypted; ZeroSign verifies unencrypted PDFs only.",
  PDF_TOO_LARGE: "The PDF is larger than the verifier accepts.",
  PDF_TOO_COMPLEX: "The PDF has more objects, revisions, signatures or nesting than the verifier accepts.",
  PDF_WORK_LIMIT: "Reading the PDF needs more work than the verifier spends on one file.",

  // Signatures present at all.
  NO_SIGNATURES: "The PDF carries no signature.",
  SIGNATURE_DICT_MALFORMED: "A signature dictionary is malformed.",

  // Byte range of one signature.
  BYTE_RANGE_MISSING: "The signature has no /ByteRange.",
  BYTE_RANGE_MALFORMED: "The /ByteRange is not four non-negative integers in order.",
  BYTE_RANGE_NOT_AT_START: "The signed range does not start at the beginning of the file.",
  BYTE_RANGE_GAP_NOT_CONTENTS: "The unsigned gap is not exactly the signature's /Contents string.",
  BYTE_RANGE_NOT_REVISION_END: "The signed range does not end where a revision of the file ends.",
  BYTE_RANGE_OUT_OF_FILE: "The signed range reaches past the end of the file.",

  // Cryptographic integrity of one signature.
  SIGNATURE_EMPTY: "The signature value is empty, null or padding only.",
  CMS_MALFORMED: "The signature is not a well-formed CMS SignedData.",
  UNSUPPORTED_SUBFILTER: "The signature format (/SubFilter) is not supported.",
  UNSUPPORTED_ALGORITHM: "The signature uses an algorithm the verifier does not support.",
  SIGNER_CERT_MISSING: "The signer's certificate is not in the signature.",
  DIGEST_MISMATCH: "The signed bytes were changed after signing.",
  SIGNED_ATTRS_INCONSISTENT: "The signed attributes contradict the signature or its certificate.",
  CMS_SIGNATURE_INVALID: "The signature does not verify with the signer's certificate.",

  // What came after a signature.
  UNSIGNED_CHANGES_AFTER_SIGNATURE: "Changes were appended after the last signature that are not permitted.",
  PAGE_CONTENT_CHANGED: "What the page shows was changed after signing.",
  FORM_VALUE_CHANGED: "A form value was changed after signing beyond what the signer permitted.",
  ANNOTATION_CHANGED: "Annotations were added or changed after signing beyond what is permitted.",
  CATALOG_CHANGED: "The document catalog was changed after signing beyond what is permitted.",
  SIGNED_OBJECT_OVERRIDDEN: "An object the signer signed was replaced in a later revision.",
  DOCMDP_VIOLATION: "A change was made that the certifying signature forbids.",

  // Chain: anchoring.
  NOT_ANCHORED: "No revision of this document is anchored on the ledger.",
  ANCHOR_PROOF_INVALID: "The anchor's Merkle proof does not match the ledger's root.",
  ANCHOR_DEPARTMENT_MISMATCH: "The document was anchored by another department than the one that signed it.",

  // Chain: the signer's key at anchoring time.
  SIGNER_UNKNOWN_KEY: "The signing key is not in the trust registry.",
  KEY_NOT_YET_VALID: "The signing key was not yet valid when the document was anchored.",
  KEY_EXPIRED: "The signing key had expired when the document was anchored.",
  KEY_REVOKED: "The signing key was revoked when the document was anchored.",
  DEPARTMENT_INACTIVE: "The signing department was deactivated when the document was anchored.",
  NO_TRUSTED_TIME: "The signature was added after the last anchoring, so there is no trusted time to judge its key at.",

  // Chain: revocation.
  DOCUMENT_REVOKED: "The issuing department revoked this document.",

  // Whole-check outcomes.
  CHAIN_UNREACHABLE: "The chain could not be reached; this is not a verdict on the document.",
  CHAIN_QUERY_REFUSED: "The chain node refused the verifier's question (for example a cap on log search ranges); this is not a verdict on the document.",
  OFFLINE: "Chain checks were skipped (offline).",
  CHECK_FAILED: "The check could not be completed.",
  VERIFY_LIMIT_EXCEEDED: "Verifying the PDF took longer or needed more memory than the verifier spends on one file.",
} as const;

export type ReasonCode = keyof typeof REASONS;

/** The default sentence for a code. */
export function reasonText(code: ReasonCode): string {
  return REASONS[code];
}
