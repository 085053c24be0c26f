// The machine-readable data a certificate carries (审批材料变成审批数据): every value of its template
// as JSON, embedded as the PDF attachment `zerosign-certificate.json` (/EmbeddedFiles and /AF,
// /AFRelationship /Data) in the revision the department's seal signs. This file builds the payload
// and attaches it; reading it back, and deciding whether it may be trusted, is server/verify/'s.
import { AFRelationship, type PDFDocument } from "pdf-lib";
import { TEMPLATE_VALUE_KEYS, type CertificateTemplate } from "../template";

/** The attachment's file name; the verifier looks for exactly this name. */
export const CERTIFICATE_DATA_FILE_NAME = "zerosign-certificate.json";

/** The payload's schema: a reader refuses any other, and later versions only add keys. */
export const CERTIFICATE_DATA_SCHEMA = "zerosign.certificate/1";

/** The embedded JSON, as written. */
export interface CertificateDataPayload {
  schema: typeof CERTIFICATE_DATA_SCHEMA;
  /** The template's templateId, or its title when it has none. */
  templateId: string;
  certificateIdentifier: string;
  /** The issuing department's registry code. */
  issuingDepartment: string;
  /** The signing time, ISO 8601 UTC. */
  issuedAt: string;
  /** Holder fields by label, then the template's own values by their names (template.ts's TEMPLATE_VALUE_KEYS). */
  fields: Record<string, string>;
}

/** The payload for `template` issued (signed) at `issuedAt`. */
export function certificateDataOf(template: CertificateTemplate, issuedAt: Date): CertificateDataPayload {
  const fields: Record<string, string> = {};
  for (const { label, value } of template.holder) fields[label] = value;
  for (const key of TEMPLATE_VALUE_KEYS) {
    const value = template[key];
    if (value !== undefined) fields[key] = value;
  }
  return {
    schema: CERTIFICATE_DATA_SCHEMA,
    templateId: template.templateId ?? template.title,
    certificateIdentifier: template.certificateIdentifier,
    issuingDepartment: template.department.code,
    issuedAt: issuedAt.toISOString(),
    fields,
  };
}

/**
 * Attaches `payload` to `doc` as {@link CERTIFICATE_DATA_FILE_NAME} (Flate-compressed, MIME
 * application/json, associated with the document as its /Data); written when `doc` is saved.
 */
export async function attachCertificateData(doc: PDFDocument, payload: CertificateDataPayload): Promise<void> {
  const issuedAt = new Date(payload.issuedAt);
  await doc.attach(new TextEncoder().encode(JSON.stringify(payload)), CERTIFICATE_DATA_FILE_NAME, {
    mimeType: "application/json",
    description: "ZeroSign certificate data (zerosign.certificate/1)",
    creationDate: issuedAt,
    modificationDate: issuedAt,
    afRelationship: AFRelationship.Data,
  });
}
