// The one certificate template format a user writes, for POST /api/certificates and for
// `zerosign issue --template FILE` alike (docs/examples/certificate.json): the template without
// `department` (the operator token or --dept says which) and without `certificateIdentifier`
// (generated, always ending in a random part; `identifierPrefix` chooses its start). issueDate
// defaults to today in Beijing.
import { generateCertificateIdentifier, IDENTIFIER_PREFIX } from "./certificate-identifier";
import { parseTemplate, type CertificateTemplate } from "./template";
import { TemplateError } from "./template-error";

/** Today's date in Beijing (UTC+8), YYYY-MM-DD: the calendar day a certificate is issued on. */
export function beijingDate(nowMs: number): string {
  return new Date(nowMs + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * Turns a template body (untrusted JSON) into the template issued for `department`.
 * @param body - parsed JSON of any shape
 * @param opts - the issuing department (code and display name) and the time of issue
 * @returns the validated template with its department and a fresh certificate identifier
 * @throws TemplateError TEMPLATE_NOT_OBJECT, TEMPLATE_FIELD_UNKNOWN for `department` or
 *   `certificateIdentifier`, TEMPLATE_FIELD_INVALID for a bad `identifierPrefix`, or any code of
 *   {@link parseTemplate}
 */
export function templateFromBody(body: unknown, opts: { department: { code: string; name: string }; nowMs: number }): CertificateTemplate {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new TemplateError("TEMPLATE_NOT_OBJECT", "", "The template must be a JSON object");
  }
  if ("department" in body) {
    throw new TemplateError("TEMPLATE_FIELD_UNKNOWN", "department", "department is set by the operator token (or --dept); leave it out");
  }
  if ("certificateIdentifier" in body) {
    throw new TemplateError(
      "TEMPLATE_FIELD_UNKNOWN",
      "certificateIdentifier",
      "certificateIdentifier is generated and always ends in a random part; send identifierPrefix to choose its start",
    );
  }
  const { identifierPrefix, ...given } = body as Record<string, unknown>;
  if (identifierPrefix !== undefined && (typeof identifierPrefix !== "string" || !IDENTIFIER_PREFIX.test(identifierPrefix))) {
    throw new TemplateError(
      "TEMPLATE_FIELD_INVALID",
      "identifierPrefix",
      "identifierPrefix must be 1–40 of A-Z a-z 0-9 . _ -, starting and ending with a letter or digit",
    );
  }
  const issueDate = given.issueDate ?? beijingDate(opts.nowMs);
  return parseTemplate({
    ...given,
    issueDate,
    department: { code: opts.department.code, name: opts.department.name },
    certificateIdentifier: generateCertificateIdentifier({
      departmentCode: opts.department.code,
      issueDate: typeof issueDate === "string" ? issueDate : beijingDate(opts.nowMs),
      prefix: identifierPrefix,
    }),
  });
}
