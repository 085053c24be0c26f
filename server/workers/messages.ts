// What the pool and its workers say to each other over a MessagePort, and how an error crosses:
// structured clone keeps neither an error's class nor its `code`, so errors travel as plain records
// and are rebuilt as the same ZeroSignError class on the other side (a chain outage inside a
// worker must still be a ChainUnavailableError with its code, so checks say unknown, not error).
import {
  BadRequestError,
  ChainUnavailableError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthorizedError,
  UnsupportedMediaError,
  ZeroSignError,
} from "../errors";
import { PdfReadError, type PdfReadErrorCode } from "../pdf/read/pdf-read-error";
import { TemplateError, type TemplateErrorCode } from "../pdf/template-error";

/** An error as it crosses a thread boundary. */
export interface SerializedError {
  /** The class name, e.g. ChainUnavailableError; rebuilt for the classes in {@link REBUILT}. */
  name: string;
  message: string;
  /** Set for a ZeroSignError. */
  code?: string;
  httpStatus?: number;
  /** For the logs of the receiving side; never sent to a client. */
  stack?: string;
  /** A TemplateError's field. */
  field?: string;
}

/** Pool → worker. */
export type ToWorker =
  | { type: "job"; jobId: number; name: string; input: unknown }
  | { type: "host-reply"; callId: number; ok: true; value: unknown }
  | { type: "host-reply"; callId: number; ok: false; error: SerializedError };

/** Worker → pool. */
export type FromWorker =
  | { type: "ready" }
  | { type: "done"; jobId: number; ok: true; value: unknown; heapUsedBytes: number }
  | { type: "done"; jobId: number; ok: false; error: SerializedError; heapUsedBytes: number }
  | { type: "host-call"; jobId: number; callId: number; name: string; args: unknown[] };

type Rebuild = (code: string, message: string, field?: string) => ZeroSignError;
const rebuildAs = (ErrorClass: new (code: string, message: string) => ZeroSignError): Rebuild => (code, message) => new ErrorClass(code, message);

/** The ZeroSignError classes rebuilt as themselves; any other ZeroSignError keeps its code and status. */
const REBUILT: Record<string, Rebuild> = {
  BadRequestError: rebuildAs(BadRequestError),
  ChainUnavailableError: rebuildAs(ChainUnavailableError),
  ConflictError: rebuildAs(ConflictError),
  ForbiddenError: rebuildAs(ForbiddenError),
  NotFoundError: rebuildAs(NotFoundError),
  PayloadTooLargeError: rebuildAs(PayloadTooLargeError),
  // Its code was a PdfReadErrorCode on the side that threw it.
  PdfReadError: (code, message) => new PdfReadError(code as PdfReadErrorCode, message),
  UnauthorizedError: rebuildAs(UnauthorizedError),
  UnsupportedMediaError: rebuildAs(UnsupportedMediaError),
  // Rendering a certificate in a worker: the offending template field travels with it.
  TemplateError: (code, message, field) => new TemplateError(code as TemplateErrorCode, field ?? "", message),
};

/** `err` as a plain record that survives postMessage. */
export function serializeError(err: unknown): SerializedError {
  if (err instanceof TemplateError) return { name: err.name, message: err.message, code: err.code, httpStatus: err.httpStatus, stack: err.stack, field: err.field };
  if (err instanceof ZeroSignError) return { name: err.name, message: err.message, code: err.code, httpStatus: err.httpStatus, stack: err.stack };
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { name: "Error", message: String(err) };
}

/** The error `s` describes, as its own class where {@link REBUILT} knows it. */
export function deserializeError(s: SerializedError): Error {
  let err: Error;
  if (s.code !== undefined) {
    const rebuild = Object.hasOwn(REBUILT, s.name) ? REBUILT[s.name] : undefined;
    err = rebuild ? rebuild(s.code, s.message, s.field) : new ZeroSignError(s.code, s.message, { httpStatus: s.httpStatus });
    if (!rebuild) err.name = s.name;
  } else {
    err = new Error(s.message);
    err.name = s.name;
  }
  if (s.stack !== undefined) err.stack = s.stack;
  return err;
}
