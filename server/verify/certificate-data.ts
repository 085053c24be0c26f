// The data a ZeroSign certificate carries (zerosign-certificate.json), read back for the report only
// when the department's seal signed it: the attachment the file shows now must be the very objects
// the first (certification) signature covers, every signature must be intact, and the JSON must
// fit schema zerosign.certificate/1. Anything less gives no data, never an error: this module only
// reads, after the checks, and the verdict never depends on what it finds.
import { guardRead } from "../pdf/read/open-pdf";
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFObject } from "../pdf/read/pdf-objects";
import type { ParsedValue } from "../pdf/read/parse-object";
import { PdfReadError } from "../pdf/read/pdf-read-error";
import { decodeStreamData, rawStreamData } from "../pdf/read/stream-data";
import type { ParsedPdf, PdfSignature } from "../pdf/read/types";
import { signedRevision } from "./checks/modifications";
import type { CertificateData, CheckResult, SignatureSummary } from "./types";

/** The attachment's name, as the issuer (server/pdf/render/certificate-data.ts) writes it. */
const FILE_NAME = "zerosign-certificate.json";

/** The most decoded JSON read: an issued certificate's data is about 1 KB. */
export const MAX_CERTIFICATE_DATA_BYTES = 256 * 1024;

/** Bounds of the /EmbeddedFiles name tree walk (an honest certificate has one node, one name). */
const MAX_TREE_NODES = 32;
const MAX_TREE_DEPTH = 4;

const SIGNATURE_CHECKS = ["byte-range", "signature-integrity", "modifications"] as const;

/** An ISO 8601 date-time with seconds optional, a fraction optional, and Z or an offset. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Schema zerosign.certificate/1, checked by hand rather than with zod: zod costs 60 ms of every
 * `zerosign verify` start, and this is the only schema on the verifier's path. Unknown keys (later
 * additions) are dropped, not refused.
 */
function asCertificateData(json: unknown): CertificateData | undefined {
  if (!isRecord(json) || json.schema !== "zerosign.certificate/1") return undefined;
  const { templateId, certificateIdentifier, issuingDepartment, issuedAt, fields } = json;
  if (!text(templateId, 128) || !text(certificateIdentifier, 128) || !text(issuingDepartment, 32)) return undefined;
  if (typeof issuedAt !== "string" || !ISO_DATE_TIME.test(issuedAt) || Number.isNaN(Date.parse(issuedAt))) return undefined;
  if (!isRecord(fields)) return undefined;
  const entries = Object.entries(fields);
  if (entries.length > 64) return undefined;
  const out: Record<string, string> = {};
  for (const [name, value] of entries) {
    if (!text(name, 64) || name === "__proto__" || typeof value !== "string" || value.length > 4096) return undefined;
    out[name] = value;
  }
  return { schema: "zerosign.certificate/1", templateId, certificateIdentifier, issuingDepartment, issuedAt, fields: out };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A string of 1 to `max` characters. */
function text(value: unknown, max: number): value is string {
  return typeof value === "string" && value.length >= 1 && value.length <= max;
}

/**
 * The certificate's embedded data, or undefined when the file has none that its seal covers:
 * no signature, a first signature that is not a certification (a sealed upload or a third-party
 * file), any signature whose byte range, digest or later changes are not valid, an attachment the
 * current revision shows that is not the one the first signature signed, bytes of it outside that
 * signature's byte range, a seal key the registry gives another department than the data names,
 * or JSON that is too large, broken or of another schema. Reads under the file's work budget.
 */
export function readCertificateData(
  pdf: ParsedPdf,
  checks: readonly CheckResult[],
  summaries: readonly SignatureSummary[],
): CertificateData | undefined {
  const seal = pdf.signatures[0];
  if (seal === undefined || seal.docMdpPermission === undefined) return undefined;
  const intact = pdf.signatures.every((s) => SIGNATURE_CHECKS.every((id) => checks.some((c) => c.id === id && c.signature === s.index && c.status === "valid")));
  if (!intact) return undefined;
  let json: Uint8Array | undefined;
  try {
    json = guardRead(() => signedAttachment(pdf, seal));
  } catch (err) {
    // The file's fault (or its work budget spent): no data, and the checks already said their part.
    if (err instanceof PdfReadError) return undefined;
    throw err;
  }
  if (json === undefined) return undefined;
  const data = parseData(json);
  if (data === undefined) return undefined;
  const sealDepartment = summaries.find((s) => s.index === seal.index)?.departmentId;
  if (sealDepartment !== undefined && sealDepartment.toLowerCase() !== bytes32Hex(data.issuingDepartment)) return undefined;
  return data;
}

/** An object reached through an indirect reference: its number, where its bytes are, its value. */
interface Reached {
  objectNumber: number;
  offset: number;
  parsed: ParsedValue;
}

/** The decoded attachment, when the newest revision shows the same file objects `seal` covers. */
function signedAttachment(pdf: ParsedPdf, seal: PdfSignature): Uint8Array | undefined {
  const last = pdf.revisions.length - 1;
  const signed = signedRevision(pdf, seal);
  const now = attachmentAt(pdf, last);
  const then = attachmentAt(pdf, signed);
  if (now === undefined || then === undefined) return undefined;
  // The same filespec and stream, at the same offsets: a later update that replaced either (or
  // pointed the name tree elsewhere) shows here even if the modifications check allowed it.
  if (now.filespec.objectNumber !== then.filespec.objectNumber || now.filespec.offset !== then.filespec.offset) return undefined;
  if (now.stream.objectNumber !== then.stream.objectNumber || now.stream.offset !== then.stream.offset) return undefined;
  const { dict, raw, end } = streamData(pdf, now.stream, last);
  if (!inByteRange(seal.byteRange, now.filespec.offset, now.filespec.parsed.valueEnd)) return undefined;
  if (!inByteRange(seal.byteRange, now.stream.offset, end)) return undefined;
  return decodeStreamData(dict, raw, MAX_CERTIFICATE_DATA_BYTES, pdf.file.work);
}

/** The filespec named {@link FILE_NAME} in the /EmbeddedFiles tree and its /EF /F stream, as `revision` sees them. */
function attachmentAt(pdf: ParsedPdf, revision: number): { filespec: Reached; stream: Reached } | undefined {
  const { lookup, chain } = pdf.file;
  const sections = chain.sections.filter((s) => s.revisionIndex === revision);
  const root = sections[sections.length - 1]?.trailer.get(PDFName.of("Root"));
  const catalog = lookup.resolve(root, revision);
  if (!(catalog instanceof PDFDict)) return undefined;
  const names = lookup.resolve(catalog.get(PDFName.of("Names")), revision);
  if (!(names instanceof PDFDict)) return undefined;
  const tree = lookup.resolve(names.get(PDFName.of("EmbeddedFiles")), revision);
  const found = findNamed(pdf, tree, revision);
  if (found === undefined) return undefined;
  const filespec = reach(pdf, found, revision);
  const spec = filespec?.parsed.value;
  if (filespec === undefined || !(spec instanceof PDFDict)) return undefined;
  const ef = lookup.resolve(spec.get(PDFName.of("EF")), revision);
  if (!(ef instanceof PDFDict)) return undefined;
  const stream = reach(pdf, ef.get(PDFName.of("F")), revision);
  if (stream === undefined || !stream.parsed.isStream) return undefined;
  return { filespec, stream };
}

/**
 * The value named {@link FILE_NAME} in a name tree (leaves' /Names, inner nodes' /Kids), within
 * the walk's bounds; undefined when absent or when the name occurs twice (which one would count?).
 */
function findNamed(pdf: ParsedPdf, tree: PDFObject | undefined, revision: number): PDFObject | undefined {
  const { lookup } = pdf.file;
  const hits: PDFObject[] = [];
  let nodes = 0;
  const visit = (node: PDFObject | undefined, depth: number): void => {
    if (!(node instanceof PDFDict) || depth > MAX_TREE_DEPTH || ++nodes > MAX_TREE_NODES) return;
    const leaf = lookup.resolve(node.get(PDFName.of("Names")), revision);
    if (leaf instanceof PDFArray) {
      const items = leaf.asArray();
      for (let i = 0; i + 1 < items.length; i += 2) {
        const key = items[i];
        if ((key instanceof PDFString || key instanceof PDFHexString) && key.decodeText() === FILE_NAME) hits.push(items[i + 1]);
      }
    }
    const kids = lookup.resolve(node.get(PDFName.of("Kids")), revision);
    if (kids instanceof PDFArray) for (const kid of kids.asArray()) visit(lookup.resolve(kid, revision), depth + 1);
  };
  visit(tree, 0);
  return hits.length === 1 ? hits[0] : undefined;
}

/** The object `ref` names, when it is an indirect reference to an object written plainly in the file (not in an object stream). */
function reach(pdf: ParsedPdf, ref: PDFObject | undefined, revision: number): Reached | undefined {
  if (!(ref instanceof PDFRef)) return undefined;
  const entry = pdf.file.lookup.entryAt(revision, ref.objectNumber);
  if (entry?.type !== 1) return undefined;
  return { objectNumber: ref.objectNumber, offset: entry.offset, parsed: pdf.file.lookup.load(ref.objectNumber, entry, revision).parsed };
}

/** The stream's dictionary, raw data and the offset just past its data. */
function streamData(pdf: ParsedPdf, stream: Reached, revision: number): { dict: PDFDict; raw: Uint8Array; end: number } {
  const dict = stream.parsed.value;
  const length = pdf.file.lookup.resolve(dict instanceof PDFDict ? dict.get(PDFName.of("Length")) : undefined, revision);
  if (!(dict instanceof PDFDict) || !(length instanceof PDFNumber)) {
    throw new PdfReadError("PDF_MALFORMED", "The PDF's structure is broken: an embedded file is not a stream with a /Length.");
  }
  if (length.asNumber() > MAX_CERTIFICATE_DATA_BYTES) {
    throw new PdfReadError("PDF_TOO_COMPLEX", "An embedded file is larger than the verifier reads.");
  }
  const raw = rawStreamData(pdf.bytes, stream.parsed.valueEnd, length.asNumber());
  return { dict, raw, end: raw.byteOffset - pdf.bytes.byteOffset + raw.length };
}

/** True when [from, to) lies inside one of the two signed ranges of a well-formed /ByteRange. */
function inByteRange(br: readonly number[], from: number, to: number): boolean {
  if (br.length !== 4 || !br.every(Number.isSafeInteger)) return false;
  const [a, b, c, d] = br;
  return (from >= a && to <= a + b) || (from >= c && to <= c + d);
}

function parseData(bytes: Uint8Array): CertificateData | undefined {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (err) {
    // Not UTF-8 (TypeError) or not JSON (SyntaxError): the attachment is not certificate data.
    if (err instanceof SyntaxError || err instanceof TypeError) return undefined;
    throw err;
  }
  return asCertificateData(json);
}

/** A department code as the registry stores it: ethers' encodeBytes32String (UTF-8, zero padded), as 0x-hex. */
function bytes32Hex(code: string): string {
  const utf8 = Buffer.from(code, "utf8");
  if (utf8.length > 31) return "";
  return `0x${Buffer.concat([utf8, Buffer.alloc(32 - utf8.length)]).toString("hex")}`;
}
