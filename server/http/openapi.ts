// The OpenAPI 3.1 document of the API, served at /api/openapi.json and rendered at /api/docs.
// Request schemas come from the zod schemas the routers validate with (schemas.ts); responses are
// written here beside the view types they describe. A test checks that every express route is
// here and every path here is a route.
import { z } from "zod";
import { DOCUMENT_KINDS } from "../chain/merkle";
import { REASONS } from "../verify/reasons";
import {
  CountersignBodySchema,
  DocumentIdSchema,
  IssueCertificateBodySchema,
  ListDocumentsQuerySchema,
  RevokeBodySchema,
  SealOptionsSchema,
} from "./schemas";
import { APPROVAL_SCHEMAS, approvalPaths } from "./openapi-approvals";

export type JsonSchema = { [key: string]: unknown };

export interface OpenApiParameter {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface OpenApiResponse {
  description: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
  content?: Record<string, { schema: JsonSchema }>;
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security?: Record<string, string[]>[];
  parameters?: OpenApiParameter[];
  requestBody?: { required: boolean; description?: string; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, OpenApiResponse>;
}

export type HttpMethod = "get" | "post" | "delete";

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  paths: Record<string, Partial<Record<HttpMethod, OpenApiOperation>>>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, { type: "http"; scheme: "bearer"; description: string }>;
  };
}

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

function schemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  return rest;
}

/** One query or path parameter per field of a zod object schema. */
function parametersOf(schema: z.ZodObject, where: "query" | "path"): OpenApiParameter[] {
  const json = schemaOf(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === "path" || (json.required ?? []).includes(name),
    schema: s,
  }));
}

const json = (schema: JsonSchema) => ({ "application/json": { schema } });

/** An error response listing the codes it can carry. */
function errors(status: string, codes: string[], what: string): [string, OpenApiResponse] {
  return [status, { description: `${what}. Codes: ${codes.join(", ")}`, content: json(ref("Error")) }];
}

const ID_PARAM: OpenApiParameter = { name: "id", in: "path", required: true, description: "The document's public id", schema: schemaOf(DocumentIdSchema) };
const STAFF = [{ operatorToken: [] }];
const AUTH_ERRORS = errors("401", ["TOKEN_MISSING", "TOKEN_INVALID", "TOKEN_EXPIRED", "TOKEN_REVOKED"], "No operator token, an unknown one, or one past its expiry or revoked");
const NOT_SERVED = errors("403", ["DEPARTMENT_NOT_SERVED"], "The token's department is not one this node signs for");
const JSON_BODY_ERRORS = [
  errors("413", ["BODY_TOO_LARGE"], "The JSON body is larger than the limit"),
  errors("415", ["UNSUPPORTED_MEDIA_TYPE", "ENCODING_UNSUPPORTED", "CHARSET_UNSUPPORTED"], "The body is not uncompressed UTF-8 JSON"),
];
const RATE_LIMITED = errors("429", ["RATE_LIMITED"], "Too many requests from this address (public endpoints)");
const PDF_INPUT_CODES = ["PDF_TRUNCATED", "PDF_MALFORMED"];
const UPLOAD_ERRORS = [
  errors("413", ["PDF_TOO_LARGE"], "The upload is larger than the limit (checked before parsing)"),
  errors("415", ["UNSUPPORTED_MEDIA_TYPE", "ENCODING_UNSUPPORTED", "PDF_NOT_PDF", "PDF_ENCRYPTED"], "Not a PDF, or not sent as application/pdf or multipart/form-data"),
];
const PDF_BODY = {
  required: true,
  description: "The PDF as the raw body, or as multipart/form-data field `file`.",
  content: {
    "application/pdf": { schema: { type: "string", contentMediaType: "application/pdf" } },
    "multipart/form-data": {
      schema: { type: "object", required: ["file"], properties: { file: { type: "string", contentMediaType: "application/pdf" } } },
    },
  },
};
const CHAIN_DOWN = errors("503", ["CHAIN_UNREACHABLE"], "The chain could not be reached; nothing was decided");
/** The worker pool's refusals (server/workers/): nothing was done, send again. */
const WORKERS_BUSY: [string, OpenApiResponse] = [
  "503",
  {
    description:
      "Every worker is busy and the queue is full (SERVICE_BUSY, with Retry-After), the worker running the job failed (WORKER_FAILED), " +
      "or the service is stopping (SERVICE_STOPPING); nothing was done, send again. Codes: SERVICE_BUSY, WORKER_FAILED, SERVICE_STOPPING",
    headers: { "Retry-After": { description: "Seconds to wait before sending again (SERVICE_BUSY)", schema: { type: "integer" } } },
    content: json(ref("Error")),
  },
];

const ANCHORING: JsonSchema = {
  type: "object",
  required: ["status"],
  properties: {
    status: { enum: ["pending", "submitted", "confirmed"], description: "pending while queued (also while the chain is down)" },
    txHash: { type: "string", description: "The anchoring transaction, once submitted" },
    anchor: {
      type: "object",
      description: "Once confirmed: the batch, its block and the document's Merkle proof, rebuilt from chain data",
      required: ["batchId", "index", "batchSize", "kind", "rootHex", "proof", "txHash", "blockNumber", "anchoredAt"],
      properties: {
        batchId: { type: "integer" },
        index: { type: "integer" },
        batchSize: { type: "integer" },
        kind: { enum: Object.keys(DOCUMENT_KINDS) },
        rootHex: { type: "string" },
        proof: { type: "array", items: { type: "string" } },
        txHash: { type: "string" },
        blockNumber: { type: "integer" },
        anchoredAt: { type: "string", format: "date-time" },
      },
    },
    lastError: { type: "string", description: "Why the last submission failed, while the queue retries" },
  },
};

const REVOCATION: JsonSchema = {
  type: "object",
  required: ["reasonCode", "revokedAt", "txHash"],
  properties: {
    reasonCode: { type: "integer", description: "1 注销 cancelled on request, 2 吊销 revoked as a sanction, others department-defined" },
    revokedAt: { type: "string", format: "date-time" },
    txHash: { type: "string" },
  },
};

const HEX32 = { type: "string", pattern: "^0x[0-9a-f]{64}$" };

const SCHEMAS: Record<string, JsonSchema> = {
  Error: {
    type: "object",
    required: ["code", "reason"],
    properties: {
      code: { type: "string", description: "Stable UPPER_SNAKE code; match on this, never on the reason" },
      reason: { type: "string", description: "One sentence safe to show" },
      field: { type: "string", description: "The offending request field, e.g. body.holder.2.value or query.limit" },
    },
  },
  StaffDocument: {
    type: "object",
    required: ["id", "docHashHex", "kind", "departmentCode", "title", "createdAt", "anchoring"],
    properties: {
      id: { type: "string" },
      docHashHex: { ...HEX32, description: "SHA-256 of the exact file: what is anchored" },
      kind: { enum: Object.keys(DOCUMENT_KINDS) },
      departmentCode: { type: "string" },
      title: { type: "string" },
      parentId: { type: "string", description: "The document this one countersigns" },
      createdAt: { type: "string", format: "date-time" },
      anchoring: ref("Anchoring"),
      revocation: ref("Revocation"),
    },
  },
  DocumentList: {
    type: "object",
    required: ["documents"],
    properties: {
      documents: { type: "array", items: ref("StaffDocument") },
      nextBefore: { type: "string", description: "Pass as `before` for the next page; absent on the last page" },
    },
  },
  PublicDocument: {
    type: "object",
    required: ["id", "docHashHex", "kind", "status", "department", "anchoring"],
    properties: {
      id: { type: "string" },
      docHashHex: HEX32,
      kind: { enum: Object.keys(DOCUMENT_KINDS) },
      status: { enum: ["valid", "revoked"] },
      department: { type: "object", required: ["code"], properties: { code: { type: "string" }, name: { type: "string" } } },
      parentId: { type: "string" },
      anchoring: ref("Anchoring"),
      revocation: ref("Revocation"),
    },
  },
  Anchoring: ANCHORING,
  Record: {
    type: "object",
    description: "A document's anchored record as the chain holds it: what a certificate's QR code opens",
    required: ["id", "foundBy", "docHashHex", "kind", "department", "status", "anchoring"],
    properties: {
      id: { type: "string" },
      foundBy: { enum: ["record-key", "own-store"], description: "From the link's record key (any node), or from this node's own store" },
      docHashHex: HEX32,
      kind: { enum: Object.keys(DOCUMENT_KINDS) },
      department: { type: "object", required: ["id"], properties: { id: HEX32, code: { type: "string" }, name: { type: "string" } } },
      status: { enum: ["valid", "revoked"] },
      anchoring: {
        type: "object",
        required: ["batchId", "index", "batchSize", "rootHex", "proof", "txHash", "blockNumber", "anchoredAt"],
        properties: {
          batchId: { type: "integer" },
          index: { type: "integer" },
          batchSize: { type: "integer" },
          rootHex: HEX32,
          proof: { type: "array", items: HEX32 },
          txHash: HEX32,
          blockNumber: { type: "integer" },
          anchoredAt: { type: "string", format: "date-time" },
        },
      },
      revocation: { type: "object", required: ["reasonCode", "revokedAt"], properties: { reasonCode: { type: "integer" }, revokedAt: { type: "string", format: "date-time" } } },
    },
  },
  Revocation: REVOCATION,
  Report: {
    type: "object",
    description: "The verifier's report, the same JSON as the library and `zerosign verify --json`",
    required: ["verdict", "reason", "checks", "signatures"],
    properties: {
      verdict: { enum: ["valid", "invalid", "unknown"], description: "error never reaches a 200: it is a 4xx" },
      code: { enum: Object.keys(REASONS) },
      reason: { type: "string" },
      checks: {
        type: "array",
        items: {
          type: "object",
          required: ["id", "status"],
          properties: {
            id: { enum: ["structure", "byte-range", "signature-integrity", "modifications", "anchor", "signer-key", "revocation"] },
            status: { enum: ["valid", "invalid", "unknown", "skipped", "error"] },
            code: { enum: Object.keys(REASONS) },
            reason: { type: "string" },
            signature: { type: "integer" },
            data: { type: "object" },
          },
        },
      },
      signatures: {
        type: "array",
        items: {
          type: "object",
          required: ["index", "coversWholeFile", "revision"],
          properties: {
            index: { type: "integer" },
            fieldName: { type: "string" },
            subFilter: { type: "string" },
            signerSubject: { type: "string" },
            keyIdHex: { type: "string" },
            algorithm: { type: "string" },
            signingTime: { type: "string" },
            coversWholeFile: { type: "boolean" },
            revision: { type: "integer" },
            departmentId: { type: "string" },
            departmentName: { type: "string" },
            role: { type: "string" },
          },
        },
      },
      document: {
        type: "object",
        properties: { sha256Hex: { type: "string" }, bytes: { type: "integer" }, revisions: { type: "integer" }, pages: { type: "integer" } },
      },
      certificateData: {
        type: "object",
        description: "The certificate's embedded zerosign-certificate.json, present only when its certification seal covers it and every signature is intact; never part of the verdict (docs/verification.md)",
        required: ["schema", "templateId", "certificateIdentifier", "issuingDepartment", "issuedAt", "fields"],
        properties: {
          schema: { const: "zerosign.certificate/1" },
          templateId: { type: "string" },
          certificateIdentifier: { type: "string" },
          issuingDepartment: { type: "string", description: "the issuing department's registry code" },
          issuedAt: { type: "string", format: "date-time" },
          fields: { type: "object", additionalProperties: { type: "string" } },
        },
      },
    },
  },
  Departments: {
    type: "object",
    required: ["departments"],
    properties: {
      departments: {
        type: "array",
        items: {
          type: "object",
          required: ["departmentId", "name", "active", "registeredAtSec", "deactivatedAtSec", "keys"],
          properties: {
            departmentId: HEX32,
            code: { type: "string" },
            name: { type: "string" },
            active: { type: "boolean" },
            registeredAtSec: { type: "integer" },
            deactivatedAtSec: { type: "integer", description: "0 while active" },
            keys: {
              type: "array",
              items: {
                type: "object",
                required: ["keyIdHex", "role", "validFromSec", "validUntilSec", "revokedAtSec"],
                properties: {
                  keyIdHex: HEX32,
                  role: { enum: ["staff", "chief", "seal"] },
                  validFromSec: { type: "integer" },
                  validUntilSec: { type: "integer" },
                  revokedAtSec: { type: "integer", description: "0 when not revoked" },
                },
              },
            },
          },
        },
      },
    },
  },
};

const created = (what: string): [string, OpenApiResponse] => [
  "201",
  { description: what, headers: { Location: { description: "The document's public record", schema: { type: "string" } } }, content: json(ref("StaffDocument")) },
];

/** The API's OpenAPI document; built once per app from the request schemas. */
export function buildOpenApiDocument(): OpenApiDocument {
  return {
    openapi: "3.1.0",
    info: {
      title: "ZeroSign API",
      version: "0.1.0",
      description:
        "Issue, seal, countersign, revoke and verify blockchain-anchored PDFs. Staff endpoints need a department operator's token " +
        "(`Authorization: Bearer <token>`) and act for that department only. Every error is JSON `{ code, reason }`; every response " +
        "carries `X-Request-Id` (a client's own id of 1-64 characters [A-Za-z0-9._:-] is echoed).",
    },
    paths: {
      "/api/certificates": {
        post: {
          operationId: "issueCertificate",
          summary: "Issue a certificate from a template",
          description:
            "Renders the template, seals it with the department's seal key (a certification signature), stores it and queues it for anchoring. " +
            "The certificate identifier is always generated with 80 random bits, so ids cannot be enumerated; `identifierPrefix` chooses only its start " +
            "(a body with `certificateIdentifier` is refused: 400 TEMPLATE_FIELD_UNKNOWN).",
          tags: ["staff"],
          security: STAFF,
          requestBody: { required: true, content: json(schemaOf(IssueCertificateBodySchema)) },
          responses: Object.fromEntries([
            created("The issued certificate; its id is the certificate identifier (证照标识), generated: `<identifierPrefix or department-date>-<16 random characters>`"),
            errors("400", ["INVALID_JSON", "TEMPLATE_NOT_OBJECT", "TEMPLATE_FIELD_MISSING", "TEMPLATE_FIELD_TOO_LONG", "TEMPLATE_FIELD_TOO_SHORT", "TEMPLATE_TOO_MANY_FIELDS", "TEMPLATE_FIELD_INVALID", "TEMPLATE_FIELD_UNKNOWN", "TEMPLATE_DATE_ORDER", "TEMPLATE_TOO_LONG", "TEMPLATE_UNSUPPORTED_CHARACTER", "TEMPLATE_CONTENT_OVERFLOW"], "The template is refused; `field` names the field"),
            AUTH_ERRORS,
            NOT_SERVED,
            errors("409", ["DOCUMENT_ID_TAKEN"], "The generated identifier collided with another document's (80 random bits: practically never); send again"),
            ...JSON_BODY_ERRORS,
          ]),
        },
      },
      "/api/documents": {
        post: {
          operationId: "sealDocument",
          summary: "Seal an uploaded PDF",
          description: "Stamps the department's seal on the page and signs it as an incremental update; stores the result and queues it for anchoring.",
          tags: ["staff"],
          security: STAFF,
          parameters: parametersOf(SealOptionsSchema, "query"),
          requestBody: PDF_BODY,
          responses: Object.fromEntries([
            created("The sealed document"),
            errors("400", ["PDF_MISSING", "MULTIPART_INVALID", "INVALID_REQUEST", "PAGE_OUT_OF_RANGE", "SEAL_OUTSIDE_PAGE", "PDF_TOO_COMPLEX", "PDF_WORK_LIMIT", "SIGN_LIMIT_EXCEEDED", ...PDF_INPUT_CODES], "No file, bad options, a broken PDF, or one that costs more to seal than a worker's time or memory limit"),
            AUTH_ERRORS,
            NOT_SERVED,
            errors("409", ["PDF_CERTIFIED_NO_CHANGES"], "A certification signature forbids further changes"),
            ...UPLOAD_ERRORS,
            WORKERS_BUSY,
          ]),
        },
        get: {
          operationId: "listDocuments",
          summary: "List the department's documents with their anchoring status",
          description: "Newest first, one page at a time.",
          tags: ["staff"],
          security: STAFF,
          parameters: parametersOf(ListDocumentsQuerySchema, "query"),
          responses: Object.fromEntries([
            ["200", { description: "One page", content: json(ref("DocumentList")) }],
            errors("400", ["INVALID_REQUEST"], "Bad query"),
            AUTH_ERRORS,
            NOT_SERVED,
          ]),
        },
      },
      "/api/documents/{id}": {
        get: {
          operationId: "getDocument",
          summary: "A document's public record",
          description: "Status, kind, issuing department, anchor (batch, transaction, block time, Merkle proof) and revocation. Never the title or content.",
          tags: ["public"],
          parameters: [ID_PARAM],
          responses: Object.fromEntries([
            ["200", { description: "The record", content: json(ref("PublicDocument")) }],
            errors("400", ["INVALID_REQUEST"], "Not a document id"),
            errors("404", ["DOCUMENT_NOT_FOUND"], "No such document on this node"),
            RATE_LIMITED,
          ]),
        },
      },
      "/api/records/{id}": {
        get: {
          operationId: "getRecord",
          summary: "A document's anchored record, from chain data (the QR code's page)",
          description:
            "With `k`, the 32 hex digits the certificate's QR link carries, any node finds the record on the ledger alone (the salted record key anchored right after the certificate). Without `k`, only the node that stores the document can.",
          tags: ["public"],
          parameters: [ID_PARAM, { name: "k", in: "query", required: false, description: "The record salt from the QR link", schema: { type: "string", pattern: "^[0-9a-f]{32}$" } }],
          responses: Object.fromEntries([
            ["200", { description: "The record", content: json(ref("Record")) }],
            errors("400", ["INVALID_REQUEST"], "Not a document id, or a malformed k"),
            errors("404", ["RECORD_NOT_FOUND"], "No anchored record with this id (and key)"),
            errors("502", ["LEDGER_DATA_INCONSISTENT"], "The ledger's data contradicts itself"),
            errors("503", ["CHAIN_UNREACHABLE", "OFFLINE"], "The chain could not be read"),
            RATE_LIMITED,
          ]),
        },
      },
      "/api/documents/{id}/pdf": {
        get: {
          operationId: "downloadDocument",
          summary: "Download a document's PDF",
          description: "Own department only: the file holds the holder's data.",
          tags: ["staff"],
          security: STAFF,
          parameters: [ID_PARAM],
          responses: Object.fromEntries([
            ["200", { description: "The PDF", content: { "application/pdf": { schema: { type: "string", contentMediaType: "application/pdf" } } } }],
            errors("400", ["INVALID_REQUEST"], "Not a document id"),
            AUTH_ERRORS,
            errors("403", ["DEPARTMENT_NOT_SERVED", "DOCUMENT_NOT_ISSUER"], "Another department's document"),
            errors("404", ["DOCUMENT_NOT_FOUND", "DOCUMENT_FILE_MISSING"], "No such document"),
          ]),
        },
      },
      "/api/documents/{id}/countersignatures": {
        post: {
          operationId: "countersignDocument",
          summary: "Countersign a stored document (签两次)",
          description: "Adds the staff or chief representative's signature as an incremental update, shown on page 1 as a block (role, department, key id, Beijing time) beside the seal that covers no earlier mark; the result is a new document with parentId set.",
          tags: ["staff"],
          security: STAFF,
          parameters: [ID_PARAM],
          requestBody: { required: true, content: json(schemaOf(CountersignBodySchema)) },
          responses: Object.fromEntries([
            created("The countersigned document"),
            errors("400", ["INVALID_JSON", "INVALID_REQUEST", "PDF_TOO_COMPLEX", "PDF_WORK_LIMIT", "SIGN_LIMIT_EXCEEDED", "COUNTERSIGN_NO_ROOM"], "Bad body or id, a document that costs more to sign than a worker's time or memory limit, or a first page with no free place for the signature block"),
            AUTH_ERRORS,
            errors("403", ["DEPARTMENT_NOT_SERVED", "DOCUMENT_NOT_ISSUER"], "Another department's document"),
            errors("404", ["DOCUMENT_NOT_FOUND", "DOCUMENT_FILE_MISSING"], "No such document"),
            errors("409", ["DOCUMENT_REVOKED", "PDF_CERTIFIED_NO_CHANGES"], "The document cannot take another signature"),
            ...JSON_BODY_ERRORS,
            WORKERS_BUSY,
          ]),
        },
      },
      "/api/documents/{id}/revocation": {
        post: {
          operationId: "revokeDocument",
          summary: "Revoke a document on the ledger",
          description: "Only the issuing department, only once the document is anchored; final.",
          tags: ["staff"],
          security: STAFF,
          parameters: [ID_PARAM],
          requestBody: { required: true, content: json(schemaOf(RevokeBodySchema)) },
          responses: Object.fromEntries([
            ["200", { description: "The revoked document", content: json(ref("StaffDocument")) }],
            errors("400", ["INVALID_JSON", "INVALID_REQUEST"], "Bad body or id"),
            AUTH_ERRORS,
            errors("403", ["DEPARTMENT_NOT_SERVED", "DOCUMENT_NOT_ISSUER", "OPERATOR_NOT_REGISTERED"], "Not the issuing department (checked here and by the ledger)"),
            errors("404", ["DOCUMENT_NOT_FOUND"], "No such document"),
            errors("409", ["DOCUMENT_NOT_ANCHORED", "DOCUMENT_ALREADY_REVOKED", "REVOCATION_PENDING"], "Not anchored yet, already revoked, or another revocation waits to be mined"),
            errors("502", ["LEDGER_REVERTED", "LEDGER_DATA_INCONSISTENT"], "The ledger refused the revocation without a reason, or answered inconsistently"),
            ...JSON_BODY_ERRORS,
            errors(
              "503",
              ["CHAIN_UNREACHABLE", "CHAIN_QUERY_REFUSED", "OPERATOR_NONCE_CONFLICT"],
              "The chain could not be reached or refused the lookup, or the operator's other transactions kept taking its nonce; nothing was revoked, send again",
            ),
          ]),
        },
      },
      "/api/verify": {
        post: {
          operationId: "verifyPdf",
          summary: "Verify a PDF",
          description: "Checks every signature, what came after it, the signer's key in the registry at anchoring time, the anchor and the revocation. 200 with a Report for any readable PDF, whatever its verdict; a chain outage gives verdict unknown, never invalid.",
          tags: ["public"],
          requestBody: PDF_BODY,
          responses: Object.fromEntries([
            ["200", { description: "The report", content: json(ref("Report")) }],
            errors(
              "400",
              ["PDF_MISSING", "MULTIPART_INVALID", "PDF_TOO_COMPLEX", ...PDF_INPUT_CODES, "VERIFY_LIMIT_EXCEEDED"],
              "No file, a file that cannot be read as a PDF, or one whose verification passed a worker's time or memory limit (VERIFY_LIMIT_EXCEEDED: the report's verdict error)",
            ),
            ...UPLOAD_ERRORS,
            RATE_LIMITED,
            WORKERS_BUSY,
          ]),
        },
      },
      "/api/departments": {
        get: {
          operationId: "listDepartments",
          summary: "The trust registry",
          description: "Departments as the chain holds them, with their signing keys' roles and validity windows.",
          tags: ["public"],
          responses: Object.fromEntries([["200", { description: "The registry", content: json(ref("Departments")) }], RATE_LIMITED, CHAIN_DOWN]),
        },
      },
      "/api/health": {
        get: {
          operationId: "health",
          summary: "The HTTP loop is answering",
          description: "Answered on the HTTP loop itself, never queued behind verifications or signing (those run in worker threads).",
          tags: ["meta"],
          responses: { "200": { description: "Up", content: json({ type: "object", required: ["status"], properties: { status: { const: "ok" } } }) } },
        },
      },
      "/api/openapi.json": {
        get: {
          operationId: "openApiDocument",
          summary: "This document",
          tags: ["meta"],
          responses: { "200": { description: "OpenAPI 3.1", content: json({ type: "object" }) } },
        },
      },
      "/api/docs": {
        get: {
          operationId: "apiDocs",
          summary: "This document as a page",
          tags: ["meta"],
          responses: { "200": { description: "HTML", content: { "text/html": { schema: { type: "string" } } } } },
        },
      },
      ...approvalPaths({ ref, schemaOf, parametersOf, json, errors, staff: STAFF, authErrors: AUTH_ERRORS, rateLimited: RATE_LIMITED, chainDown: CHAIN_DOWN }),
    },
    components: {
      schemas: { ...SCHEMAS, ...APPROVAL_SCHEMAS },
      securitySchemes: {
        operatorToken: { type: "http", scheme: "bearer", description: "A department operator's API token (stored hashed by the node; it expires, and can be revoked: `zerosign token`)" },
      },
    },
  };
}
