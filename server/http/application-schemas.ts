// Request schemas of the approvals endpoints (applications, signatures, post-checks, filings),
// kept beside schemas.ts so the routers parse with them and openapi.ts describes them.
import { z } from "zod";
import { APPROVAL_PATHS, type ApprovalPathName } from "../chain/approval-typed-data";
import { DocumentIdSchema } from "./schemas";

const ONE_LINE = /^[^\p{Cc}\p{Cf}\u2028\u2029]+$/u;

export const ApplicationIdParamsSchema = z.strictObject({ id: z.string().regex(/^AP-[0-9a-f]{16}$/, "must be an application id") });

export const ObjectionParamsSchema = ApplicationIdParamsSchema.extend({
  objectionId: z.string().regex(/^OB-[0-9a-f]{12}$/, "must be an objection id"),
});

const EvidenceItemSchema = z.union([
  z.strictObject({ documentId: DocumentIdSchema }),
  z.strictObject({ pdfBase64: z.string().min(8).regex(/^[A-Za-z0-9+/]+={0,2}$/, "must be base64") }),
]);

/** POST /api/applications. */
export const ApplicationBodySchema = z.strictObject({
  /** The matter's code in the catalog (GET /api/matters). */
  matter: z.string().min(1).max(31).regex(/^[A-Z0-9_]+$/),
  /** The applicant's data, label → value (printed on the certificate; never read by a rule). */
  applicant: z
    .record(z.string().min(1).max(10).regex(ONE_LINE), z.string().min(1).max(120).regex(ONE_LINE))
    .refine((r) => Object.keys(r).length >= 1 && Object.keys(r).length <= 9, "must have 1 to 9 fields")
    .refine((r) => !("事项" in r), "事项 is set by the service"),
  /** Evidence documents: ids of documents on this node, or PDFs. */
  evidence: z.array(EvidenceItemSchema).max(5).default([]),
  /** The applicant commits to the conditions (告知承诺). */
  commitment: z.boolean().optional(),
  /** The applicant files a self-review (自审备案). */
  selfReview: z.boolean().optional(),
});

/** GET /api/applications: an operator's queue, newest first. Only the waiting ones are listed today. */
export const ListApplicationsQuerySchema = z.strictObject({
  status: z.literal("awaiting-signatures"),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/**
 * POST /api/applications and …/signatures: what the answer waits for. `decided` (default): the
 * decision recorded on chain; the certificate is issued right after (GET the application for its
 * id). `issued`: the certificate too.
 */
export const DecisionWaitQuerySchema = z.strictObject({ wait: z.enum(["decided", "issued"]).default("decided") });

/** POST /api/applications/{id}/signatures. */
export const SignatureBodySchema = z.strictObject({
  /** The acting person's role: 派驻工作人员 staff or 首席代表 chief representative. */
  role: z.enum(["staff", "chief"]),
  /** A DER ECDSA-P256-SHA256 signature of `digest` made with the person's own key (base64); absent: this node signs with the role's key. */
  signatureBase64: z.string().min(8).max(200).regex(/^[A-Za-z0-9+/]+={0,2}$/, "must be base64").optional(),
});

/** /api/matters/{code}/paths/{path}/suspension. */
export const MatterPathParamsSchema = z.strictObject({
  code: z.string().min(1).max(31).regex(/^[A-Z0-9_]+$/, "must be a matter code"),
  path: z.enum(Object.keys(APPROVAL_PATHS) as [ApprovalPathName, ...ApprovalPathName[]]),
});

/** POST /api/matters/{code}/paths/{path}/suspension: the public reason code (1..65535) of the 熔断. */
export const SuspensionBodySchema = z.strictObject({ reasonCode: z.number().int().min(1).max(65_535) });

/** POST /api/applications/{id}/post-check. */
export const PostCheckBodySchema = z.strictObject({ passed: z.boolean() });

/** POST /api/filings/{id}/objections. */
export const ObjectionBodySchema = z.strictObject({ text: z.string().trim().min(1).max(2000) });

/** POST /api/filings/{id}/objections/{objectionId}/resolution. */
export const ResolutionBodySchema = z.strictObject({ upheld: z.boolean() });
