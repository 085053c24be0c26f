// The error a certificate template fails with, at parsing (schema) or at rendering (a character the
// font lacks, content that does not fit the page). It names the offending field so the HTTP layer
// and the CLI can point at it; the reason code is one of TemplateErrorCode.
import { BadRequestError } from "../errors";

/** Stable reason codes of template failures; tests and clients match on these, never on prose. */
export type TemplateErrorCode =
  | "TEMPLATE_NOT_OBJECT"
  | "TEMPLATE_FIELD_MISSING"
  | "TEMPLATE_FIELD_TOO_LONG"
  | "TEMPLATE_FIELD_TOO_SHORT"
  | "TEMPLATE_TOO_MANY_FIELDS"
  | "TEMPLATE_FIELD_INVALID"
  | "TEMPLATE_FIELD_UNKNOWN"
  | "TEMPLATE_DATE_ORDER"
  | "TEMPLATE_TOO_LONG"
  | "TEMPLATE_UNSUPPORTED_CHARACTER"
  | "TEMPLATE_CONTENT_OVERFLOW";

/** A template was rejected (HTTP 400); `field` is a dotted path such as `holder.2.value`, or `""` for the whole. */
export class TemplateError extends BadRequestError {
  override readonly code: TemplateErrorCode;
  readonly field: string;

  constructor(code: TemplateErrorCode, field: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.code = code;
    this.field = field;
  }
}
