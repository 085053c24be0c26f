// Reads a raw request body into one buffer as its chunks arrive. A body parser that keeps the
// chunks and joins them at the end copies a whole upload (up to 20 MB) in one step on the HTTP
// loop, and a second copy follows if the buffer cannot move to a worker; here each chunk is
// copied once, when it arrives, into a buffer sized by Content-Length, and the result owns that
// buffer whole, so it moves to a worker as is (workers/pool-jobs.ts, `handOver`).
import type { Request } from "express";
import { BadRequestError, UnsupportedMediaError, type ZeroSignError } from "../errors";

/** Parameters of {@link readBody}. */
export interface ReadBodyOptions {
  /** Bytes the body may have at most. */
  limit: number;
  /** The error a body over the limit gets (each route names its own). */
  tooLarge(): ZeroSignError;
}

/** First buffer of a body sent without Content-Length (chunked); it doubles as the body grows. */
const CHUNKED_START_BYTES = 16 * 1024;

/**
 * The body's bytes, refused before reading when its declared length is over the limit, and as
 * soon as the bytes read pass it otherwise. A compressed body is refused (nothing may inflate
 * past the limit unseen); a body that ends early or errors rejects with REQUEST_ABORTED.
 */
export function readBody(req: Request, options: ReadBodyOptions): Promise<Uint8Array> {
  const encoding = (req.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding !== "identity") {
    return Promise.reject(new UnsupportedMediaError("ENCODING_UNSUPPORTED", "Content-Encoding is not supported; send the body uncompressed"));
  }
  const declaredHeader = req.get("content-length");
  const declared = declaredHeader === undefined ? undefined : Number(declaredHeader);
  if (declared !== undefined && (!Number.isSafeInteger(declared) || declared < 0)) {
    return Promise.reject(new BadRequestError("REQUEST_SIZE_INVALID", "Content-Length is not a byte count"));
  }
  if (declared !== undefined && declared > options.limit) return Promise.reject(options.tooLarge());

  return new Promise((resolve, reject) => {
    let buffer = Buffer.allocUnsafeSlow(declared ?? Math.min(CHUNKED_START_BYTES, options.limit));
    let length = 0;
    let settled = false;
    const finish = (err: unknown, bytes?: Uint8Array) => {
      if (settled) return;
      settled = true;
      req.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
      if (err) {
        // What is left is read and dropped, so the answer can still reach the client.
        req.resume();
        reject(err);
      } else resolve(bytes as Uint8Array);
    };
    const onData = (chunk: Buffer) => {
      if (length + chunk.length > options.limit) return finish(options.tooLarge());
      if (length + chunk.length > buffer.length) {
        if (declared !== undefined) return finish(new BadRequestError("REQUEST_SIZE_INVALID", "The request body is longer than its Content-Length"));
        const grown = Buffer.allocUnsafeSlow(Math.min(options.limit, Math.max(buffer.length * 2, length + chunk.length)));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      chunk.copy(buffer, length);
      length += chunk.length;
    };
    const onEnd = () => {
      if (declared !== undefined && length !== declared) {
        return finish(new BadRequestError("REQUEST_ABORTED", "The request body ended before its Content-Length"));
      }
      // A chunked body rarely fills its last buffer: one copy makes the result own its buffer whole.
      finish(undefined, length === buffer.length ? new Uint8Array(buffer.buffer, buffer.byteOffset, length) : new Uint8Array(buffer.subarray(0, length)));
    };
    const onError = (err: Error) => finish(new BadRequestError("REQUEST_ABORTED", "The request body could not be read", { cause: err }));
    const onClose = () => finish(new BadRequestError("REQUEST_ABORTED", "The request body ended early"));
    req.on("data", onData).on("end", onEnd).on("error", onError).on("close", onClose);
  });
}
