// The request schemas of every endpoint, in one place: the routers parse with them and openapi.ts
// turns them into the document's JSON Schemas, so the two cannot drift apart.
import { z } from "zod";
import { IDENTIFIER_PREFIX } from "../pdf/certificate-identifier";
import { COUNTERSIGN_ROLES } from "../pdf/countersign-rule";
import { DEFAULT_SEAL_SIZE_PT } from "../pdf/seal-pdf";
import { CertificateTemplateSchema } from "../pdf/template";

/** A document's public id: a certificate identifier or a generated one (URL-safe). */
export const DocumentIdSchema = z.string().min(1).max(80).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "must be a document id");

export const DocumentIdParamsSchema = z.strictObject({ id: DocumentIdSchema });

const { department: _department, certificateIdentifier: _identifier, ...templateShape } = CertificateTemplateSchema.shape;

/** An operator's own reference for a certificate; it begins the identifier, the random part follows. */
export const IdentifierPrefixSchema = z
  .string()
  .regex(IDENTIFIER_PREFIX, "must be 1–40 of A-Z a-z 0-9 . _ -, starting and ending with a letter or digit")
  .describe("Your own reference (e.g. a case number); the certificate identifier becomes <identifierPrefix>-<16 random characters>");

/**
 * POST /api/certificates: the certificate template without `department` (the operator token says
 * which) and without `certificateIdentifier` (always generated, with a random part), with
 * `issueDate` (default: today in Beijing) optional and an optional `identifierPrefix`. The route
 * fills those in and validates with parseTemplate, which names the field it rejects with a
 * TEMPLATE_* code; this schema is the same shape for the OpenAPI document.
 */
export const IssueCertificateBodySchema = z.strictObject({
  ...templateShape,
  issueDate: templateShape.issueDate.optional(),
  identifierPrefix: IdentifierPrefixSchema.optional(),
});

const coordinate = z.coerce.number().finite().min(0).max(14_400);

/** POST /api/documents: where the seal goes (query string, or form fields of a multipart upload). */
export const SealOptionsSchema = z.strictObject({
  /** 1-based page number. */
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  /** Lower-left corner of the seal in points; default: bottom right of the page. */
  x: coordinate.optional(),
  y: coordinate.optional(),
  /** Seal diameter in points. */
  size: z.coerce.number().finite().min(20).max(300).default(DEFAULT_SEAL_SIZE_PT),
  /** What the document is, for the department's list (not shown publicly). */
  title: z.string().trim().min(1).max(100).regex(/^[^\p{Cc}\p{Cf}]+$/u, "must be one line of text").default("盖章文件"),
});

/** POST /api/documents/{id}/countersignatures. */
export const CountersignBodySchema = z.strictObject({
  /** 派驻工作人员 staff or 首席代表 chief representative. */
  role: z.enum(COUNTERSIGN_ROLES),
});

/** POST /api/documents/{id}/revocation. 1 注销 cancelled on request, 2 吊销 revoked as a sanction; others as the department defines. */
export const RevokeBodySchema = z.strictObject({
  reasonCode: z.number().int().min(1).max(65_535),
});

/** GET /api/documents: one page of the department's documents, newest first. */
export const ListDocumentsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** The `nextBefore` of the previous page. */
  before: DocumentIdSchema.optional(),
});
