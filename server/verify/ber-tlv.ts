// Locates BER elements (tag, length, value) in raw bytes without decoding them, so the CMS
// reader can hand each part to the right parser: the SignedData's fields to pkijs, its included
// certificates to OpenSSL. It reads extents only; what the bytes mean is pkijs's and OpenSSL's
// business. Definite and indefinite lengths (X.690 §8.1.3) are accepted, bounded by the input.

/** One BER element found in a byte array: offsets into it, `end` exclusive. */
export interface Tlv {
  /** The first identifier octet (class, constructed bit, tag number or 0x1f for a high number). */
  tag: number;
  start: number;
  /** Where the contents begin. */
  contentStart: number;
  /** Where the contents end (before the end-of-contents octets of an indefinite length). */
  contentEnd: number;
  end: number;
}

/** Deepest nesting of indefinite lengths followed; well past any real CMS. */
const MAX_INDEFINITE_DEPTH = 32;

/**
 * The element starting at `at`, or undefined when none fits before `limit`: a truncated header, a
 * length past `limit`, a length over 2^32, an indefinite length on a primitive, or indefinite
 * lengths nested deeper than {@link MAX_INDEFINITE_DEPTH}.
 */
export function readTlv(bytes: Uint8Array, at: number, limit: number = bytes.length, depth = 0): Tlv | undefined {
  let p = at;
  if (p >= limit) return undefined;
  const tag = bytes[p++];
  if ((tag & 0x1f) === 0x1f) {
    // High tag number: more octets while bit 8 is set (never needed here, only skipped over).
    while (p < limit && bytes[p] & 0x80) p++;
    p++;
  }
  if (p >= limit) return undefined;
  const first = bytes[p++];
  if (first === 0x80) {
    if (!(tag & 0x20) || depth >= MAX_INDEFINITE_DEPTH) return undefined;
    for (let q = p; ; ) {
      if (q + 1 < limit && bytes[q] === 0 && bytes[q + 1] === 0) return { tag, start: at, contentStart: p, contentEnd: q, end: q + 2 };
      const child = readTlv(bytes, q, limit, depth + 1);
      if (!child) return undefined;
      q = child.end;
    }
  }
  let length = first;
  if (first > 0x80) {
    const octets = first & 0x7f;
    if (octets > 4 || p + octets > limit) return undefined;
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + bytes[p++];
  }
  if (length > limit - p) return undefined;
  return { tag, start: at, contentStart: p, contentEnd: p + length, end: p + length };
}

/**
 * The elements that make up `parent`'s contents, or undefined when they do not exactly fill it.
 * With `maxCount`, reading stops at the element after the first `maxCount`: a result longer than
 * `maxCount` says "too many" (the elements past it unread), so a caller refusing more than
 * `maxCount` never walks, nor holds, a hostile number of them.
 */
export function readChildren(bytes: Uint8Array, parent: Tlv, maxCount = Number.POSITIVE_INFINITY): Tlv[] | undefined {
  const children: Tlv[] = [];
  for (let p = parent.contentStart; p < parent.contentEnd && children.length <= maxCount; ) {
    const child = readTlv(bytes, p, parent.contentEnd);
    if (!child) return undefined;
    children.push(child);
    p = child.end;
  }
  return children;
}
