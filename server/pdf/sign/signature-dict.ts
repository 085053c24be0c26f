// The signature dictionary (/Type /Sig) with its two placeholders, and the step that fills them:
// /ByteRange is written once the file's final length is known, the digest is taken over
// everything but the /Contents hex string, and the CMS goes into /Contents (zero-padded).
import { createHash } from "node:crypto";
import { PDFHexString } from "pdf-lib";
import { ZeroSignError } from "../../errors";
import type { Signer } from "../../pki/signer";
import { buildCmsSignature } from "./cms";

/** Default room for the CMS in /Contents: an ECDSA CMS with two certificates is about 1.5 KB. */
export const DEFAULT_CONTENTS_BYTES = 8192;

/** Options of the signature dictionary. */
export interface SignatureDictParams {
  signingTime: Date;
  reason?: string;
  /** Adds a DocMDP reference (P 2: only form filling and signing may follow). */
  certify: boolean;
  contentsBytes: number;
}

/** The dictionary's bytes and where its placeholders sit, relative to the body start. */
export interface SignatureDictBody {
  body: Uint8Array;
  byteRangeAt: number;
  byteRangeLength: number;
  contentsAt: number;
  contentsLength: number;
}

const BYTE_RANGE_PLACEHOLDER = `[0 ${"0".repeat(10)} ${"0".repeat(10)} ${"0".repeat(10)}]`;

/** Builds the signature dictionary with placeholders for /ByteRange and /Contents. */
export function buildSignatureDict(params: SignatureDictParams): SignatureDictBody {
  const head = "<<\n/Type /Sig\n/Filter /Adobe.PPKLite\n/SubFilter /ETSI.CAdES.detached\n/ByteRange ";
  const mid = "\n/Contents ";
  const contents = `<${"0".repeat(params.contentsBytes * 2)}>`;
  let tail = `\n/M ${pdfDate(params.signingTime)}`;
  if (params.reason) tail += `\n/Reason ${PDFHexString.fromText(params.reason).toString()}`;
  if (params.certify) {
    tail +=
      "\n/Reference [<< /Type /SigRef /TransformMethod /DocMDP" +
      " /TransformParams << /Type /TransformParams /P 2 /V /1.2 >> >>]";
  }
  tail += "\n>>";
  const text = head + BYTE_RANGE_PLACEHOLDER + mid + contents + tail;
  return {
    body: Buffer.from(text, "latin1"),
    byteRangeAt: head.length,
    byteRangeLength: BYTE_RANGE_PLACEHOLDER.length,
    contentsAt: head.length + BYTE_RANGE_PLACEHOLDER.length + mid.length,
    contentsLength: contents.length,
  };
}

/**
 * Fills the placeholders of the signature dictionary whose body starts at `bodyOffset` in the
 * complete file `pdfBytes` (modified in place: it is the new file, never the caller's input).
 * Throws ZeroSignError SIGNATURE_TOO_LARGE if the CMS does not fit the reserved /Contents.
 */
export async function fillSignature(
  pdfBytes: Uint8Array,
  bodyOffset: number,
  dict: SignatureDictBody,
  signer: Signer,
  signingTime: Date,
): Promise<void> {
  const contentsStart = bodyOffset + dict.contentsAt;
  const contentsEnd = contentsStart + dict.contentsLength;
  const byteRange = `[0 ${contentsStart} ${contentsEnd} ${pdfBytes.length - contentsEnd}]`;
  Buffer.from(byteRange.padEnd(dict.byteRangeLength, " "), "latin1").copy(pdfBytes, bodyOffset + dict.byteRangeAt);

  const digest = createHash("sha256")
    .update(pdfBytes.subarray(0, contentsStart))
    .update(pdfBytes.subarray(contentsEnd))
    .digest();
  const cms = await buildCmsSignature({ signer, contentDigest: digest, signingTime });
  const hex = Buffer.from(cms).toString("hex");
  if (hex.length > dict.contentsLength - 2) {
    throw new ZeroSignError(
      "SIGNATURE_TOO_LARGE",
      `The CMS signature is ${cms.length} bytes; only ${(dict.contentsLength - 2) / 2} bytes were reserved`,
    );
  }
  Buffer.from(hex, "latin1").copy(pdfBytes, contentsStart + 1);
}

/** PDF date string in UTC, e.g. (D:20250101120000Z). */
function pdfDate(date: Date): string {
  const iso = date.toISOString();
  return `(D:${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z)`;
}
