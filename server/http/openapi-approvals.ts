// The approvals part of the OpenAPI document (applications, signatures, post-checks, filings,
// matters with their circuit breaker, statistics). openapi.ts passes in its shared pieces, so the
// responses and error lists read the same as the rest of the API.
import type { z } from "zod";
import {
  ApplicationBodySchema,
  DecisionWaitQuerySchema,
  ListApplicationsQuerySchema,
  ObjectionBodySchema,
  PostCheckBodySchema,
  ResolutionBodySchema,
  SignatureBodySchema,
  SuspensionBodySchema,
} from "./application-schemas";
import type { JsonSchema, OpenApiDocument, OpenApiParameter, OpenApiResponse } from "./openapi";

/** What openapi.ts shares with this part. */
export interface OpenApiParts {
  ref(name: string): JsonSchema;
  schemaOf(schema: z.ZodType): JsonSchema;
  parametersOf(schema: z.ZodObject, where: "query"): OpenApiParameter[];
  json(schema: JsonSchema): Record<string, { schema: JsonSchema }>;
  errors(status: string, codes: string[], what: string): [string, OpenApiResponse];
  staff: Array<Record<string, never[]>>;
  authErrors: [string, OpenApiResponse];
  rateLimited: [string, OpenApiResponse];
  chainDown: [string, OpenApiResponse];
}

/** The contract's refusals: its custom error's name in UPPER_SNAKE (server/approvals/chain-errors.ts). */
const CHAIN_REFUSALS = "APPROVAL_RULES_* / MATTER_CATALOG_* / DELEGATED_AUTHORITY_* (the contract's custom error)";

const PATH_NAMES = ["instant", "commitment", "filing", "signOnce", "signTwice"];

export const APPROVAL_SCHEMAS: Record<string, JsonSchema> = {
  Application: {
    type: "object",
    description: "An application (事项申请): its path and why, its stages, evidence and signatures",
    required: ["id", "matter", "departmentCode", "status", "reasons", "evidence", "requiredSignatures", "baselineSignatures", "signatures", "stages"],
    properties: {
      id: { type: "string", pattern: "^AP-[0-9a-f]{16}$" },
      matter: { type: "object", properties: { code: { type: "string" }, name: { type: "string" } } },
      departmentCode: { type: "string" },
      acceptedBy: { type: "string", description: "The department whose operator accepted it (the owner, or the approval bureau's hall)" },
      applicant: { type: "object", additionalProperties: { type: "string" } },
      applicationHashHex: { type: "string", description: "keccak256(random salt ‖ application): all the chain holds of it" },
      path: { enum: PATH_NAMES, description: "Absent while accepted or rejected: chosen by the review" },
      status: {
        enum: ["accepted", "rejected", "awaiting-signatures", "deciding", "decided", "issued", "refused", "in-notice", "revoked"],
        description: "accepted: taken while the chain was unreachable, reviewed once it is back; rejected: that review refused it (reasons[0] has the code a request would have had)",
      },
      lastError: { type: "string", description: "While deciding: why the decision has not reached the chain yet (it is retried)" },
      outcome: { enum: ["approved", "refused"] },
      ruleVersion: { type: "integer" },
      reasons: {
        type: "array",
        description: "Each path tried, fewest signatures first, and why it was or was not chosen",
        items: {
          type: "object",
          required: ["path", "chosen", "code", "reason"],
          properties: {
            path: { enum: PATH_NAMES },
            chosen: { type: "boolean" },
            code: { enum: ["INSTANT_RULES_PASSED", "INSTANT_RULE_FAILED", "EVIDENCE_MISSING", "PATH_SUSPENDED", "DECLARED", "NOT_DECLARED", "SIGNATURES_NEEDED"] },
            reason: { type: "string" },
            rule: { type: "string" },
            evidenceDocHashHex: { type: "string" },
          },
        },
      },
      evidence: { type: "array", items: { type: "object", properties: { docHashHex: { type: "string" }, documentId: { type: "string" }, label: { type: "string" }, departmentCode: { type: "string" }, batchId: { type: "integer" } } } },
      requiredSignatures: { type: "integer" },
      baselineSignatures: { type: "integer", description: "What today's 最多签两次 rule would need: 1 (签一次 list) or 2 (签两次 list)" },
      signatures: { type: "array", items: { type: "object", properties: { role: { enum: ["staff", "chief"] }, departmentCode: { type: "string" }, keyId: { type: "string" }, signedAt: { type: "string", format: "date-time" } } } },
      digest: { type: "string", description: "While awaiting signatures: the EIP-712 digest the next signer signs" },
      deadline: { type: "string", format: "date-time" },
      decisionTxHash: { type: "string" },
      certificateId: { type: "string" },
      postCheckDue: { type: "string", format: "date-time" },
      postCheck: { type: "object", properties: { passed: { type: "boolean" }, recordedAt: { type: "string" }, txHash: { type: "string" } } },
      noticeEnds: { type: "string", format: "date-time" },
      stages: {
        type: "object",
        description: "分段计时: accepted → reviewed → decided → issued",
        properties: { acceptedAt: { type: "string" }, reviewedAt: { type: "string" }, decidedAt: { type: "string" }, issuedAt: { type: "string" } },
      },
    },
  },
  Filing: {
    type: "object",
    description: "A self-review filing (自审备案) in its public notice period",
    required: ["id", "matter", "departmentCode", "applicationHashHex", "evidence", "noticeEnds", "objections"],
    properties: {
      id: { type: "string" },
      matter: { type: "object", properties: { code: { type: "string" }, name: { type: "string" } } },
      departmentCode: { type: "string" },
      departmentName: { type: "string" },
      applicationHashHex: { type: "string" },
      evidence: { type: "array", items: { type: "object", properties: { docHashHex: { type: "string" }, documentId: { type: "string" }, label: { type: "string" } } } },
      noticeEnds: { type: "string", format: "date-time" },
      objections: { type: "array", items: { type: "object", properties: { id: { type: "string" }, hashHex: { type: "string" }, state: { enum: ["filed", "upheld", "rejected"] } } } },
    },
  },
  PathState: {
    type: "object",
    required: ["matter", "path", "suspendedReason", "ruleVersion", "txHash"],
    properties: { matter: { type: "string" }, path: { enum: PATH_NAMES }, suspendedReason: { type: "integer", description: "0: open" }, ruleVersion: { type: "integer" }, txHash: { type: "string" } },
  },
};

export function approvalPaths(p: OpenApiParts): OpenApiDocument["paths"] {
  const appId: OpenApiParameter = { name: "id", in: "path", required: true, description: "The application's id", schema: { type: "string", pattern: "^AP-[0-9a-f]{16}$" } };
  const objectionId: OpenApiParameter = { name: "objectionId", in: "path", required: true, schema: { type: "string", pattern: "^OB-[0-9a-f]{12}$" } };
  const matterParams: OpenApiParameter[] = [
    { name: "code", in: "path", required: true, description: "The matter's code", schema: { type: "string" } },
    { name: "path", in: "path", required: true, schema: { enum: PATH_NAMES } },
  ];
  const application = (status: string, what: string): [string, OpenApiResponse] => [status, { description: what, content: p.json(p.ref("Application")) }];
  const refusal = p.errors("409", [CHAIN_REFUSALS], "The chain refused the transaction");
  const staffOnly = { tags: ["approvals"], security: p.staff };
  return {
    "/api/applications": {
      get: {
        operationId: "listApplications",
        summary: "The operator's queue: applications waiting for a signature that the department owns or accepted, newest first",
        description: "`status=awaiting-signatures` is required (the only list served); the hall sees the applications it accepted for other departments, and the owner sees its own.",
        ...staffOnly,
        parameters: p.parametersOf(ListApplicationsQuerySchema, "query"),
        responses: Object.fromEntries([
          ["200", { description: "The queue", content: p.json({ type: "object", required: ["applications"], properties: { applications: { type: "array", items: p.ref("Application") } } }) }],
          p.errors("400", ["INVALID_REQUEST"], "No or another status, or a limit outside 1..100"),
          p.authErrors,
          p.errors("403", ["DEPARTMENT_NOT_SERVED"], "The token's department is not served here"),
        ]),
      },
      post: {
        operationId: "submitApplication",
        summary: "Submit an application; the path with the fewest signatures the rules allow is chosen and carried through",
        description:
          "秒批 is decided at once from the evidence's verified data and answered as soon as the chain records the decision; its certificate is issued right after (`wait=issued` answers with it). 告知承诺 (commitment: true) is approved on a sealed, anchored commitment letter; " +
          "自审备案 (selfReview: true) is published for its notice period; 签一次 / 签两次 wait for their signatures. The answer's `reasons` say why. " +
          "Evidence: ids of documents on this node, or PDFs as base64.",
        ...staffOnly,
        parameters: p.parametersOf(DecisionWaitQuerySchema, "query"),
        requestBody: { required: true, content: p.json(p.schemaOf(ApplicationBodySchema)) },
        responses: Object.fromEntries([
          application("201", "Accepted; decided (the certificate follows: its id appears on the application), issued (with ?wait=issued), in notice or awaiting signatures"),
          application("202", "Accepted while the chain is unreachable: reviewed once it is back (status accepted), or decided here and recorded once it is back (status deciding)"),
          p.errors("400", ["INVALID_REQUEST", "EVIDENCE_UNREADABLE"], "A malformed body, or evidence that is no PDF"),
          p.authErrors,
          p.errors("403", ["MATTER_NOT_HANDLED", "DEPARTMENT_NOT_SERVED"], "Neither the matter's department nor the hall, or not served here"),
          p.errors("404", ["MATTER_NOT_FOUND", "EVIDENCE_NOT_FOUND", "DOCUMENT_FILE_MISSING"], "No such matter or evidence document"),
          p.errors("409", ["APPLICATION_NO_PATH", "EVIDENCE_REVOKED", "EVIDENCE_NOT_ANCHORED", "EVIDENCE_NOT_VALID", CHAIN_REFUSALS], "No path fits, the evidence does not verify, or the chain refused"),
          p.errors("503", ["CHAIN_UNREACHABLE", "ANCHOR_PENDING"], "The chain could not be reached, or a document the path cites is not anchored yet"),
        ]),
      },
    },
    "/api/applications/{id}": {
      get: {
        operationId: "getApplication",
        summary: "An application: status, stages, path and reasons",
        ...staffOnly,
        parameters: [appId],
        responses: Object.fromEntries([
          application("200", "The application"),
          p.errors("400", ["INVALID_REQUEST"], "Not an application id"),
          p.authErrors,
          p.errors("403", ["MATTER_NOT_HANDLED"], "Another department's application"),
          p.errors("404", ["APPLICATION_NOT_FOUND"], "No such application"),
        ]),
      },
    },
    "/api/applications/{id}/signatures": {
      post: {
        operationId: "signApplication",
        summary: "Sign a waiting application (签一次 / 签两次): staff, then chief",
        description:
          "The signer signs the EIP-712 decision (`digest`) with their registered P-256 key: give `signatureBase64` (DER) made elsewhere, or let this node sign with the role's key. " +
          "When the path's count is reached the decision is recorded on chain, which checks role, order and authority, and the certificate is issued with the matching PDF signatures (right after the answer, or before it with `wait=issued`).",
        ...staffOnly,
        parameters: [appId, ...p.parametersOf(DecisionWaitQuerySchema, "query")],
        requestBody: { required: true, content: p.json(p.schemaOf(SignatureBodySchema)) },
        responses: Object.fromEntries([
          application("201", "The last signature: decided (and issued, with ?wait=issued)"),
          application("202", "Signed; waiting for the next signature, or (status deciding) for the chain to record the decision"),
          p.errors("400", ["INVALID_REQUEST", "SIGNATURE_MALFORMED", "SIGNER_NOT_P256"], "A malformed body or signature"),
          p.authErrors,
          p.errors("403", ["MATTER_NOT_HANDLED", "APPROVAL_RULES_NO_AUTHORITY", "APPROVAL_RULES_WRONG_ROLE", "APPROVAL_RULES_SAME_SIGNER", "APPROVAL_RULES_INVALID_SIGNATURE"], "Not this department's, or the chain refused the signer"),
          p.errors("404", ["APPLICATION_NOT_FOUND"], "No such application"),
          p.errors("409", ["APPLICATION_NOT_AWAITING_SIGNATURES", "APPLICATION_NOT_REVIEWED", CHAIN_REFUSALS], "Not waiting for a signature (or not reviewed yet), or the chain refused"),
          p.chainDown,
        ]),
      },
    },
    "/api/applications/{id}/post-check": {
      post: {
        operationId: "recordPostCheck",
        summary: "Record the post-check of a commitment approval (事后核查); a failure revokes its certificate",
        ...staffOnly,
        parameters: [appId],
        requestBody: { required: true, content: p.json(p.schemaOf(PostCheckBodySchema)) },
        responses: Object.fromEntries([
          application("200", "Recorded (status revoked on a failure)"),
          p.errors("400", ["INVALID_REQUEST"], "A malformed body"),
          p.authErrors,
          p.errors("403", ["MATTER_NOT_HANDLED"], "Another department's application"),
          p.errors("404", ["APPLICATION_NOT_FOUND"], "No such application"),
          p.errors("409", ["APPLICATION_NO_POST_CHECK", "POST_CHECK_RECORDED", CHAIN_REFUSALS], "Not a commitment approval, already checked, or refused"),
          p.chainDown,
        ]),
      },
    },
    "/api/filings": {
      get: {
        operationId: "listFilings",
        summary: "Self-review filings in their public notice period (自审备案公示)",
        tags: ["public"],
        responses: Object.fromEntries([
          ["200", { description: "The filings", content: p.json({ type: "object", properties: { filings: { type: "array", items: p.ref("Filing") } } }) }],
          p.rateLimited,
        ]),
      },
    },
    "/api/filings/{id}/objections": {
      post: {
        operationId: "fileObjection",
        summary: "Object to a filing (anyone); only a salted hash of the text goes on chain",
        tags: ["public"],
        parameters: [appId],
        requestBody: { required: true, content: p.json(p.schemaOf(ObjectionBodySchema)) },
        responses: Object.fromEntries([
          ["201", { description: "The filing with the objection", content: p.json(p.ref("Filing")) }],
          p.errors("400", ["INVALID_REQUEST"], "A malformed body"),
          p.errors("404", ["FILING_NOT_FOUND"], "No such filing"),
          p.errors("409", ["FILING_NOT_IN_NOTICE", CHAIN_REFUSALS], "The notice period is over"),
          p.rateLimited,
          p.chainDown,
        ]),
      },
    },
    "/api/filings/{id}/objections/{objectionId}/resolution": {
      post: {
        operationId: "resolveObjection",
        summary: "Uphold or reject an objection",
        ...staffOnly,
        parameters: [appId, objectionId],
        requestBody: { required: true, content: p.json(p.schemaOf(ResolutionBodySchema)) },
        responses: Object.fromEntries([
          ["200", { description: "The filing", content: p.json(p.ref("Filing")) }],
          p.errors("400", ["INVALID_REQUEST"], "A malformed body"),
          p.authErrors,
          p.errors("403", ["MATTER_NOT_HANDLED"], "Another department's filing"),
          p.errors("404", ["FILING_NOT_FOUND", "OBJECTION_NOT_FOUND"], "No such filing or objection"),
          refusal,
          p.chainDown,
        ]),
      },
    },
    "/api/filings/{id}/close": {
      post: {
        operationId: "closeFiling",
        summary: "Close a filing whose notice period ended: no upheld objection → approved and issued without a signature",
        ...staffOnly,
        parameters: [appId],
        responses: Object.fromEntries([
          application("200", "Closed: issued, or refused on an upheld objection"),
          p.authErrors,
          p.errors("404", ["FILING_NOT_FOUND"], "No such filing"),
          p.errors("409", ["FILING_NOT_IN_NOTICE", CHAIN_REFUSALS], "Still in notice, or already closed"),
          p.chainDown,
        ]),
      },
    },
    "/api/matters": {
      get: {
        operationId: "listMatters",
        summary: "The matter catalog (事项清单): paths with their current rule version and circuit breaker, evidence, 秒批 rules",
        description: "Only the matters the chain's catalog holds: the demo seed skips a matter until the departments it names are registered.",
        tags: ["public"],
        responses: Object.fromEntries([["200", { description: "The catalog", content: p.json({ type: "object", properties: { matters: { type: "array", items: { type: "object" } } } }) }], p.rateLimited, p.chainDown]),
      },
    },
    "/api/matters/{code}/paths/{path}/suspension": {
      post: {
        operationId: "suspendPath",
        summary: "Suspend one path of a matter (熔断), publicly, with a reason code",
        ...staffOnly,
        parameters: matterParams,
        requestBody: { required: true, content: p.json(p.schemaOf(SuspensionBodySchema)) },
        responses: Object.fromEntries([
          ["200", { description: "The path's state", content: p.json(p.ref("PathState")) }],
          p.errors("400", ["INVALID_REQUEST"], "A malformed matter, path or reason code"),
          p.authErrors,
          p.errors("403", ["MATTER_CATALOG_NOT_AUTHORIZED", "DEPARTMENT_NOT_SERVED"], "Not the owning department (nor the bureau)"),
          refusal,
          p.chainDown,
        ]),
      },
      delete: {
        operationId: "resumePath",
        summary: "Resume a suspended path",
        ...staffOnly,
        parameters: matterParams,
        responses: Object.fromEntries([
          ["200", { description: "The path's state", content: p.json(p.ref("PathState")) }],
          p.errors("400", ["INVALID_REQUEST"], "A malformed matter or path"),
          p.authErrors,
          p.errors("403", ["MATTER_CATALOG_NOT_AUTHORIZED", "DEPARTMENT_NOT_SERVED"], "Not the owning department (nor the bureau)"),
          refusal,
          p.chainDown,
        ]),
      },
    },
    "/api/statistics": {
      get: {
        operationId: "statistics",
        summary: "Per matter and path: applications, decisions, human signatures against the baseline, time per stage",
        description: "`avgSignatures` (human signatures per decided application) against `baselineSignatures` (what today's rule would need): the number ZeroSign exists to lower.",
        tags: ["public"],
        responses: Object.fromEntries([["200", { description: "The statistics", content: p.json({ type: "object" }) }], p.rateLimited]),
      },
    },
  };
}
