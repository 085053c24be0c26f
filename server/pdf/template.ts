// The certificate template: the JSON a department fills to issue a certificate, commitment letter or
// sealed document, validated at the edge with zod and bounded so that a valid template always fits
// one A4 page. Rendering lives in render/; this file only says what a template is and rejects bad
// ones with a TemplateError carrying a stable reason code and the field's path.
import { z } from "zod";
import { TemplateError, type TemplateErrorCode } from "./template-error";

/** Limits a template must respect; chosen so the longest valid template still fits the page. */
export const TEMPLATE_LIMITS = {
  titleChars: 20,
  holderFieldsMin: 1,
  holderFieldsMax: 10,
  labelChars: 10,
  valueChars: 120,
  departmentNameChars: 24,
  documentNumberChars: 40,
  bodyChars: 300,
  /** Sum of every holder value and the body: what the table and the paragraph must hold. */
  totalTextChars: 600,
} as const;

/**
 * The template's own values that its embedded data (render/certificate-data.ts) keys by name beside
 * the holder fields keyed by label; a holder label may therefore not be one of these.
 */
export const TEMPLATE_VALUE_KEYS = ["kind", "title", "documentNumber", "issueDate", "validUntil", "body"] as const;

// Control and format characters (bidi overrides, zero-width joiners) are refused: they could hide or
// reorder what a reader sees without changing what pdftotext or a verifier reads.
const ONE_LINE = /^(?=[\s\S]*\S)[^\p{Cc}\p{Cf}\u2028\u2029]+$/u;
const MULTI_LINE = /^(?=[\s\S]*\S)(?:[^\p{Cc}\p{Cf}\u2028\u2029]|\n)+$/u;

const line = (max: number) => z.string().min(1).max(max).regex(ONE_LINE);

const HolderFieldSchema = z.strictObject({
  label: line(TEMPLATE_LIMITS.labelChars),
  value: line(TEMPLATE_LIMITS.valueChars),
});

/** Schema of a certificate template (strict: unknown keys are rejected). */
export const CertificateTemplateSchema = z
  .strictObject({
    /** 电子证照 certificate, 告知承诺书 commitment letter, or a sealed document. */
    kind: z.enum(["certificate", "commitment-letter", "sealed-document"]),
    /** The large heading, e.g. 食品经营许可证. */
    title: line(TEMPLATE_LIMITS.titleChars),
    /** Holder fields in display order, e.g. 名称, 统一社会信用代码, 法定代表人, 住所, 经营范围. */
    holder: z.array(HolderFieldSchema).min(TEMPLATE_LIMITS.holderFieldsMin).max(TEMPLATE_LIMITS.holderFieldsMax),
    /** The issuing department: its registry code (as on chain) and its display name. */
    department: z.strictObject({
      code: z.string().min(2).max(32).regex(/^[A-Z0-9_-]+$/),
      name: line(TEMPLATE_LIMITS.departmentNameChars),
    }),
    /** Issue date, YYYY-MM-DD (Beijing calendar day). */
    issueDate: z.iso.date(),
    /** Last valid day, YYYY-MM-DD; absent for a certificate without expiry. */
    validUntil: z.iso.date().optional(),
    /** 证照编号: the number printed on the certificate. */
    documentNumber: line(TEMPLATE_LIMITS.documentNumberChars),
    /** 证照标识: the unique, URL-safe identifier the verification URL carries. */
    certificateIdentifier: z.string().min(8).max(80).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/),
    /** Optional paragraph(s) under the table, e.g. the promise of a commitment letter. */
    body: z.string().min(1).max(TEMPLATE_LIMITS.bodyChars).regex(MULTI_LINE).optional(),
    /**
     * Which kind of certificate this is for rules that read its embedded data (e.g. `hukou-record`);
     * absent: the title stands for it.
     */
    templateId: z.string().min(1).max(64).regex(/^[a-z0-9][a-z0-9._-]*$/).optional(),
  })
  .superRefine((t, ctx) => {
    if (t.validUntil !== undefined && t.validUntil < t.issueDate) {
      ctx.addIssue({ code: "custom", path: ["validUntil"], params: { reason: "TEMPLATE_DATE_ORDER" },
        message: "validUntil is before issueDate" });
    }
    // The embedded data (render/certificate-data.ts) keys holder values by label, beside the
    // template's own values by name: a label may name one thing only.
    const seen = new Set<string>(TEMPLATE_VALUE_KEYS);
    t.holder.forEach((f, i) => {
      if (seen.has(f.label)) {
        ctx.addIssue({ code: "custom", path: ["holder", i, "label"], message: `label ${f.label} is used twice or is reserved` });
      }
      seen.add(f.label);
    });
    const total = t.holder.reduce((n, f) => n + f.value.length, 0) + (t.body?.length ?? 0);
    if (total > TEMPLATE_LIMITS.totalTextChars) {
      ctx.addIssue({ code: "custom", path: [], params: { reason: "TEMPLATE_TOO_LONG" },
        message: `holder values and body hold ${total} characters, more than ${TEMPLATE_LIMITS.totalTextChars}` });
    }
  });

/** A validated certificate template. */
export type CertificateTemplate = z.infer<typeof CertificateTemplateSchema>;

/**
 * Validates untrusted JSON as a certificate template.
 * @param json - parsed JSON of any shape
 * @returns the template, typed
 * @throws TemplateError with code TEMPLATE_FIELD_MISSING, TEMPLATE_FIELD_TOO_LONG,
 *   TEMPLATE_FIELD_TOO_SHORT, TEMPLATE_TOO_MANY_FIELDS, TEMPLATE_FIELD_INVALID,
 *   TEMPLATE_FIELD_UNKNOWN, TEMPLATE_DATE_ORDER, TEMPLATE_TOO_LONG or TEMPLATE_NOT_OBJECT, naming the field
 */
export function parseTemplate(json: unknown): CertificateTemplate {
  const result = CertificateTemplateSchema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.map(String).join(".");
  const code = reasonOf(issue, json);
  throw new TemplateError(code, field, `template ${field || "(root)"}: ${issue.message}`, { cause: result.error });
}

function reasonOf(issue: z.core.$ZodIssue, json: unknown): TemplateErrorCode {
  switch (issue.code) {
    case "invalid_type":
      if (issue.path.length === 0) return "TEMPLATE_NOT_OBJECT";
      return valueAt(json, issue.path) === undefined ? "TEMPLATE_FIELD_MISSING" : "TEMPLATE_FIELD_INVALID";
    case "too_big":
      return issue.origin === "array" ? "TEMPLATE_TOO_MANY_FIELDS" : "TEMPLATE_FIELD_TOO_LONG";
    case "too_small":
      return issue.origin === "array" ? "TEMPLATE_FIELD_MISSING" : "TEMPLATE_FIELD_TOO_SHORT";
    case "unrecognized_keys":
      return "TEMPLATE_FIELD_UNKNOWN";
    case "custom": {
      const reason: unknown = issue.params?.reason;
      return reason === "TEMPLATE_DATE_ORDER" || reason === "TEMPLATE_TOO_LONG" ? reason : "TEMPLATE_FIELD_INVALID";
    }
    default:
      return "TEMPLATE_FIELD_INVALID";
  }
}

function valueAt(json: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = json;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}
