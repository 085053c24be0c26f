// The service's typed errors. Each carries a stable UPPER_SNAKE `code` (tests and clients match on
// it, never on prose), the HTTP status it maps to, a message safe to show, and the `cause`.
// Subclasses say the kind; http/errors.ts maps them once.

/** Base class of every error ZeroSign throws on purpose. */
export class ZeroSignError extends Error {
  readonly code: string;
  readonly httpStatus: number;

  constructor(code: string, message: string, options?: { cause?: unknown; httpStatus?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.httpStatus = options?.httpStatus ?? 500;
  }
}

/** The request or input is wrong (400): a malformed PDF, a page that does not exist, a bad field. */
export class BadRequestError extends ZeroSignError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, { ...options, httpStatus: 400 });
  }
}

/** Something named in the request does not exist (404). */
export class NotFoundError extends ZeroSignError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, { ...options, httpStatus: 404 });
  }
}

/** The request conflicts with the current state (409), e.g. a document that forbids changes. */
export class ConflictError extends ZeroSignError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, { ...options, httpStatus: 409 });
  }
}

/** The input is larger than the configured limit (413). */
export class PayloadTooLargeError extends ZeroSignError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, { ...options, httpStatus: 413 });
  }
}

/** The input is not of a type ZeroSign handles (415), e.g. not a PDF or an encrypted PDF. */
export class UnsupportedMediaError extends ZeroSignError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, { ...options, httpStatus: 415 });
  }
}

/** The chain or registry could not be reached (503); never a verdict about a document. */
export class ChainUnavailableError extends ZeroSignError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, { ...options, httpStatus: 503 });
  }
}

/** The request carries no credentials, or credentials ZeroSign does not know (401). */
export class UnauthorizedError extends ZeroSignError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, { ...options, httpStatus: 401 });
  }
}

/** The caller is known but may not do this, e.g. act for another department (403). */
export class ForbiddenError extends ZeroSignError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, { ...options, httpStatus: 403 });
  }
}
