// File input and output for the CLI: the size limit is checked before a PDF is read, and the
// output may never be the input file (inputs are never modified in place).
import { promises as fs } from "node:fs";
import path from "node:path";
import { BadRequestError, NotFoundError, PayloadTooLargeError } from "../errors";
import { DEFAULT_PDF_READ_LIMITS } from "../pdf/read/types";

/** Reads an input file of at most `maxBytes`; NotFoundError FILE_NOT_FOUND, PayloadTooLargeError PDF_TOO_LARGE. */
export async function readInputFile(file: string, maxBytes: number = DEFAULT_PDF_READ_LIMITS.maxBytes): Promise<Uint8Array> {
  let size: number;
  try {
    size = (await fs.stat(file)).size;
  } catch (cause) {
    throw new NotFoundError("FILE_NOT_FOUND", `Cannot read ${file}`, { cause });
  }
  if (size > maxBytes) {
    throw new PayloadTooLargeError("PDF_TOO_LARGE", `${file} is ${size} bytes; the limit is ${maxBytes} bytes`);
  }
  return new Uint8Array(await fs.readFile(file));
}

/** Writes `bytes` to `out`, refusing to overwrite `input` (BadRequestError OUTPUT_IS_INPUT). */
export async function writeOutputFile(out: string, bytes: Uint8Array | string, input?: string): Promise<void> {
  if (input !== undefined && path.resolve(out) === path.resolve(input)) {
    throw new BadRequestError("OUTPUT_IS_INPUT", "--out must differ from the input file; inputs are never modified");
  }
  await fs.mkdir(path.dirname(path.resolve(out)), { recursive: true });
  await fs.writeFile(out, bytes);
}
