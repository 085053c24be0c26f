// The byte-range check, one result per signature: /ByteRange is four non-negative integers
// [0 a b c], the gap [a, b) is exactly this dictionary's /Contents hex string with its delimiters,
// and the signed ranges end where a revision ends, inside the file. It stops signature wrapping
// (ranges moved so the signed bytes are elsewhere, or a gap that hides more than the signature
// value) and the missing/empty ByteRange variants of universal signature forgery.
import type { ParsedPdf, PdfRevision, PdfSignature } from "../../pdf/read/types";
import { perSignature, type SignatureJudgement } from "../check-result";
import type { Check } from "../context";

const MAX_TRAILING_WHITESPACE = 8;
const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);

/** The byte-range check. */
export const byteRangeCheck: Check = {
  id: "byte-range",
  needsChain: false,
  run: (ctx) => perSignature(ctx, "byte-range", (signature) => judgeByteRange(ctx.pdf, signature)),
};

function judgeByteRange(pdf: ParsedPdf, signature: PdfSignature): SignatureJudgement {
  const br = signature.byteRange;
  if (br.length === 0) return { status: "invalid", code: "BYTE_RANGE_MISSING" };
  if (br.length !== 4 || !br.every((n) => Number.isSafeInteger(n) && n >= 0)) {
    return { status: "invalid", code: "BYTE_RANGE_MALFORMED", data: { byteRange: br.map(String) } };
  }
  const [start1, length1, start2, length2] = br;
  const data = { byteRange: br };
  if (start1 !== 0) return { status: "invalid", code: "BYTE_RANGE_NOT_AT_START", data };
  if (start2 < length1) return { status: "invalid", code: "BYTE_RANGE_MALFORMED", data };
  const signedEnd = start2 + length2;
  if (signedEnd > pdf.bytes.length) return { status: "invalid", code: "BYTE_RANGE_OUT_OF_FILE", data };
  if (signature.contentsStart < 0 || length1 !== signature.contentsStart || start2 !== signature.contentsEnd) {
    return {
      status: "invalid",
      code: "BYTE_RANGE_GAP_NOT_CONTENTS",
      data: { ...data, contentsStart: signature.contentsStart, contentsEnd: signature.contentsEnd },
    };
  }
  const revision = revisionEndingAt(pdf, signedEnd);
  if (!revision) return { status: "invalid", code: "BYTE_RANGE_NOT_REVISION_END", data: { ...data, signedEnd } };
  return { status: "valid", data: { ...data, revision: revision.index, coversWholeFile: signedEnd === pdf.bytes.length } };
}

/**
 * The revision whose end is `signedEnd`. Writers differ in the end of line after %%EOF: a range
 * may stop right after "%%EOF", leaving the end of line to the next update (node-signpdf writes a
 * second signature so), or take it and a few more white-space bytes; anything else is no end.
 */
function revisionEndingAt(pdf: ParsedPdf, signedEnd: number): PdfRevision | undefined {
  return pdf.revisions.find((r) => {
    if (signedEnd >= r.eofEnd && signedEnd <= r.endOffset) return true;
    if (r.endOffset > signedEnd || signedEnd - r.endOffset > MAX_TRAILING_WHITESPACE) return false;
    return pdf.bytes.subarray(r.endOffset, signedEnd).every((b) => WHITESPACE.has(b));
  });
}
