// Crafted PDFs that attack the reader's cost, not its logic: one generator per row of issue 10's
// table, built in code (no binary fixtures), each with size parameters whose defaults are the
// issue's sizes, so the tests use them as is and scripts/bench-hostile.ts scales them up to the
// upload limit. Compressed bombs are assembled from one deflated chunk repeated (deflate blocks
// after a full flush are independent), so a 500 MB bomb is built in milliseconds.
import { deflateRawSync, constants as zlibConstants } from "node:zlib";
import * as asn1js from "asn1js";
import { DEFAULT_PDF_READ_LIMITS } from "../../server/pdf/read/types";
import { DEFAULT_WORK_LIMITS } from "../../server/pdf/read/work-budget";
import { signPdf } from "../../server/pdf/sign/sign-pdf";
import type { Signer } from "../../server/pki/signer";

/** The HTTP service's default upload limit (MAX_UPLOAD_BYTES): the largest file a client can send. */
export const UPLOAD_LIMIT_BYTES = 20 * 1024 * 1024;

/** One indirect object: its number and everything between "n 0 obj" and "endobj". */
export interface PdfObject {
  num: number;
  body: string | Buffer;
}

/** Where each object landed in an assembled file. */
interface Assembled {
  parts: Buffer[];
  length: number;
  offsets: Map<number, number>;
}

const HEADER = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";

/** The three objects every generated file starts with: catalog 1, pages 2, one page 3. */
export const BASE_OBJECTS: readonly PdfObject[] = [
  { num: 1, body: "<< /Type /Catalog /Pages 2 0 R >>" },
  { num: 2, body: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>" },
  { num: 3, body: "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>" },
];

function latin1(text: string): Buffer {
  return Buffer.from(text, "latin1");
}

/** Writes `objects` after `prefix` (a header, or a whole earlier file), recording offsets. */
function writeObjects(prefix: Uint8Array, objects: readonly PdfObject[]): Assembled {
  const parts: Buffer[] = [Buffer.from(prefix)];
  let length = prefix.length;
  const offsets = new Map<number, number>();
  for (const o of objects) {
    offsets.set(o.num, length);
    const chunk = Buffer.concat([latin1(`${o.num} 0 obj\n`), typeof o.body === "string" ? latin1(o.body) : o.body, latin1("\nendobj\n")]);
    parts.push(chunk);
    length += chunk.length;
  }
  return { parts, length, offsets };
}

/** A stream object's body: `dict` (without its closing >>) gets /Length, then the data. */
export function streamBody(dictEntries: string, data: Uint8Array): Buffer {
  return Buffer.concat([latin1(`<< ${dictEntries} /Length ${data.length} >>\nstream\n`), Buffer.from(data), latin1("\nendstream")]);
}

/** `objects` with a classic xref table (one subsection per run of consecutive numbers). */
export function classicPdf(objects: readonly PdfObject[], trailerExtra = ""): Uint8Array {
  const file = writeObjects(latin1(HEADER), objects);
  const xref = classicXref(file.offsets, file.length, `/Root 1 0 R ${trailerExtra}`, true);
  return new Uint8Array(Buffer.concat([...file.parts, xref]));
}

/** A classic xref section for `offsets` at `xrefAt`, its trailer and the final startxref. */
function classicXref(offsets: Map<number, number>, xrefAt: number, trailerEntries: string, withZero: boolean): Buffer {
  const nums = [...offsets.keys()].sort((a, b) => a - b);
  const lines: string[] = ["xref\n"];
  if (withZero) lines.push("0 1\n0000000000 65535 f\r\n");
  for (let i = 0; i < nums.length; ) {
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === nums[j] + 1) j++;
    lines.push(`${nums[i]} ${j - i + 1}\n`);
    for (let k = i; k <= j; k++) lines.push(`${String(offsets.get(nums[k])).padStart(10, "0")} 00000 n\r\n`);
    i = j + 1;
  }
  const size = (nums[nums.length - 1] ?? 0) + 1;
  lines.push(`trailer\n<< /Size ${size} ${trailerEntries} >>\nstartxref\n${xrefAt}\n%%EOF\n`);
  return latin1(lines.join(""));
}

/** An entry of an xref stream: in the file at an offset (type 1) or in an object stream (type 2). */
type StreamXrefEntry = { num: number; type: 1; offset: number } | { num: number; type: 2; stream: number; index: number };

/**
 * `objects` with an xref stream (object `xrefNum`, W [1 4 2], uncompressed) listing them plus
 * `compressed`, the members of object streams.
 */
function xrefStreamPdf(objects: readonly PdfObject[], compressed: StreamXrefEntry[], xrefNum: number): Uint8Array {
  const file = writeObjects(latin1(HEADER), objects);
  const entries: StreamXrefEntry[] = [...file.offsets].map(([num, offset]) => ({ num, type: 1, offset }));
  entries.push(...compressed, { num: xrefNum, type: 1, offset: file.length });
  entries.sort((a, b) => a.num - b.num);
  const index: number[] = [];
  for (const e of entries) {
    if (index.length > 0 && index[index.length - 2] + index[index.length - 1] === e.num) index[index.length - 1]++;
    else index.push(e.num, 1);
  }
  const data = Buffer.alloc(entries.length * 7);
  entries.forEach((e, i) => {
    data[i * 7] = e.type;
    data.writeUInt32BE(e.type === 1 ? e.offset : e.stream, i * 7 + 1);
    data.writeUInt16BE(e.type === 1 ? 0 : e.index, i * 7 + 5);
  });
  const size = entries[entries.length - 1].num + 1;
  const xref = streamBody(`/Type /XRef /Size ${size} /W [1 4 2] /Index [${index.join(" ")}] /Root 1 0 R`, data);
  const tail = latin1(`${xrefNum} 0 obj\n`);
  return new Uint8Array(Buffer.concat([...file.parts, tail, xref, latin1(`\nendobj\nstartxref\n${file.length}\n%%EOF\n`)]));
}

// ---------------------------------------------------------------------------------------------
// zlib data built from repeated independent deflate chunks.

/** One piece of a compressed stream's decoded data: `bytes`, `repeat` times over. */
export interface ZlibSegment {
  bytes: Buffer;
  repeat?: number;
}

const ADLER_BASE = 65521;

function adler32(bytes: Buffer): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; ) {
    const stop = Math.min(bytes.length, i + 3800);
    for (; i < stop; i++) {
      a += bytes[i];
      b += a;
    }
    a %= ADLER_BASE;
    b %= ADLER_BASE;
  }
  return ((b << 16) | a) >>> 0;
}

/** zlib's adler32_combine: the checksum of A followed by B from those of A and B and B's length. */
function adler32Combine(adler1: number, adler2: number, length2: number): number {
  const rem = length2 % ADLER_BASE;
  let sum1 = adler1 & 0xffff;
  let sum2 = (rem * sum1) % ADLER_BASE;
  sum1 += (adler2 & 0xffff) + ADLER_BASE - 1;
  sum2 += (adler1 >>> 16) + (adler2 >>> 16) + ADLER_BASE - rem;
  if (sum1 >= ADLER_BASE) sum1 -= ADLER_BASE;
  if (sum1 >= ADLER_BASE) sum1 -= ADLER_BASE;
  if (sum2 >= 2 * ADLER_BASE) sum2 -= 2 * ADLER_BASE;
  if (sum2 >= ADLER_BASE) sum2 -= ADLER_BASE;
  return ((sum2 << 16) | sum1) >>> 0;
}

const deflatedChunks = new Map<string, { raw: Buffer; adler: number }>();

/** A chunk deflated on its own and ended with a full flush (no final block, byte aligned), cached. */
function deflatedChunk(bytes: Buffer): { raw: Buffer; adler: number } {
  const key = bytes.length > 4096 ? `${bytes.length}:${bytes[0]}:${adler32(bytes)}` : bytes.toString("latin1");
  let found = deflatedChunks.get(key);
  if (!found) {
    found = { raw: deflateRawSync(bytes, { level: 9, finishFlush: zlibConstants.Z_FULL_FLUSH }), adler: adler32(bytes) };
    deflatedChunks.set(key, found);
  }
  return found;
}

/**
 * A valid zlib stream decoding to the concatenation of `segments`, each repeated as asked. Each
 * chunk is deflated once; repeats are copies of its blocks, which refer to nothing before them.
 */
export function zlibOf(segments: ZlibSegment[]): Buffer {
  const out: Buffer[] = [Buffer.from([0x78, 0xda])];
  let adler = 1;
  for (const s of segments) {
    const chunk = deflatedChunk(s.bytes);
    for (let i = 0; i < (s.repeat ?? 1); i++) {
      out.push(chunk.raw);
      adler = adler32Combine(adler, chunk.adler, s.bytes.length);
    }
  }
  // A final empty fixed-Huffman block, then the checksum.
  const trailer = Buffer.alloc(6);
  trailer[0] = 0x03;
  trailer[1] = 0x00;
  trailer.writeUInt32BE(adler, 2);
  out.push(trailer);
  return Buffer.concat(out);
}

const PAD_CHUNK = Buffer.alloc(1024 * 1024, 0x20);

/** Segments decoding to `prefix` and then spaces, `totalBytes` in all (rounded down to whole MiB of padding). */
function paddedTo(prefix: string, totalBytes: number): ZlibSegment[] {
  const head = latin1(prefix);
  const padding = Math.max(0, totalBytes - head.length);
  const whole = Math.floor(padding / PAD_CHUNK.length);
  const rest = padding - whole * PAD_CHUNK.length;
  const segments: ZlibSegment[] = [{ bytes: head }, { bytes: PAD_CHUNK, repeat: whole }];
  if (rest > 0) segments.push({ bytes: Buffer.alloc(rest, 0x20) });
  return segments;
}

/** An object stream (FlateDecode) whose header lists `members` ([number, offset]) and whose data is `segments`. */
function objectStreamBody(members: [number, number][], header: string, segments: ZlibSegment[]): Buffer {
  return streamBody(`/Type /ObjStm /N ${members.length} /First ${header.length} /Filter /FlateDecode`, zlibOf(segments));
}

function objectStreamHeader(members: [number, number][]): string {
  // Padded to a fixed width so /First does not depend on the offsets' digits.
  return `${members.map(([n, at]) => `${n} ${at}`).join(" ")} `;
}

// ---------------------------------------------------------------------------------------------
// (a) xref stream with /W [0 0 0] and a long /Index.

export interface ZeroWidthXrefParams {
  /** Subsections in /Index. Default 130: a 1.9 KB file, as in the issue. */
  indexPairs?: number;
  /** The count of each subsection. */
  countPerPair?: number;
  /** /W; default [0 0 0] (rows of no width). [1 0 0] gives rows the data cannot hold. */
  w?: [number, number, number];
}

/** (a) The catalog in a classic body, found through an xref stream of zero-width rows and a long /Index. */
export function zeroWidthXrefPdf(params: ZeroWidthXrefParams = {}): Uint8Array {
  const pairs = params.indexPairs ?? 130;
  const count = params.countPerPair ?? 2_000_000_000;
  const w = params.w ?? [0, 0, 0];
  const file = writeObjects(latin1(HEADER), BASE_OBJECTS);
  const index = Buffer.alloc(pairs * (String(count).length + 3));
  let at = 0;
  for (let i = 0; i < pairs; i++) at += index.write(`0 ${count} `, at, "latin1");
  const body = Buffer.concat([
    latin1(`4 0 obj\n<< /Type /XRef /Size 5 /Root 1 0 R /W [${w.join(" ")}] /Index [`),
    index.subarray(0, at),
    latin1("] /Length 0 >>\nstream\n\nendstream\nendobj\n"),
  ]);
  return new Uint8Array(Buffer.concat([...file.parts, body, latin1(`startxref\n${file.length}\n%%EOF\n`)]));
}

// ---------------------------------------------------------------------------------------------
// (b) one number-like token of 40 000+ digits ending in a letter.

export interface LongTokenParams {
  /** Digits before the final letter. Default 80 000: an 80 KB file, as in the issue. */
  digits?: number;
}

/**
 * (b) A minimal PDF whose catalog holds an array of one token of `digits` digits and a letter: in
 * the catalog, so every reader must parse it (an unreferenced object may never be).
 */
export function longNumberTokenPdf(params: LongTokenParams = {}): Uint8Array {
  const digits = params.digits ?? 80_000;
  const token = Buffer.alloc(digits + 1, 0x31);
  token[digits] = 0x61;
  const catalog = Buffer.concat([latin1("<< /Type /Catalog /Pages 2 0 R /X [ "), token, latin1(" ] >>")]);
  return classicPdf([{ num: 1, body: catalog }, ...BASE_OBJECTS.slice(1)]);
}

// ---------------------------------------------------------------------------------------------
// (c) object streams each inflating to just under the per-stream cap.

/** The reader's cap on one object stream's decoded size (object-lookup.ts: limits.maxBytes). */
export const OBJECT_STREAM_CAP_BYTES = DEFAULT_PDF_READ_LIMITS.maxBytes;

export interface InflatingStreamsParams {
  /** Object streams. Default 20: a ~1 MB file, as in the issue. */
  streams?: number;
  /** What each decodes to. Default: the per-stream cap less 1 MiB. */
  inflatedBytes?: number;
}

/** (c) `streams` object streams, each holding one small dictionary and decoding to `inflatedBytes`. */
export function inflatingObjectStreamsPdf(params: InflatingStreamsParams = {}): Uint8Array {
  const streams = params.streams ?? 20;
  const inflated = params.inflatedBytes ?? OBJECT_STREAM_CAP_BYTES - PAD_CHUNK.length;
  const objects: PdfObject[] = [...BASE_OBJECTS];
  const members: StreamXrefEntry[] = [];
  for (let i = 0; i < streams; i++) {
    const streamNum = 10 + i;
    const memberNum = 10 + streams + i;
    const header = objectStreamHeader([[memberNum, 0]]);
    objects.push({ num: streamNum, body: objectStreamBody([[memberNum, 0]], header, paddedTo(`${header}<< /Member ${i} >>`, inflated)) });
    members.push({ num: memberNum, type: 2, stream: streamNum, index: 0 });
  }
  return xrefStreamPdf(objects, members, 10 + 2 * streams);
}

// ---------------------------------------------------------------------------------------------
// (d) a large array inside an object stream named by several xref entries.

export interface SharedMemberParams {
  /** Numbers in the array. Default: 90 % of the token budget (DEFAULT_WORK_LIMITS.tokens), the most one file may lex. */
  elements?: number;
  /** Object numbers whose entries name the array. Default 100. */
  entries?: number;
}

/** (d) One object stream whose header maps `entries` object numbers to one array of `elements` zeros. */
export function sharedArrayMemberPdf(params: SharedMemberParams = {}): Uint8Array {
  const elements = params.elements ?? Math.floor(DEFAULT_WORK_LIMITS.tokens * 0.9);
  const entries = params.entries ?? 100;
  const streamNum = 4;
  const nums = Array.from({ length: entries }, (_, i) => 5 + i);
  const pairs = nums.map((n): [number, number] => [n, 0]);
  const header = objectStreamHeader(pairs);
  const arrayChunk = latin1("0 ".repeat(512));
  const whole = Math.floor(elements / 512);
  const segments: ZlibSegment[] = [{ bytes: latin1(`${header}[ `) }, { bytes: arrayChunk, repeat: whole }];
  if (elements % 512 > 0) segments.push({ bytes: latin1("0 ".repeat(elements % 512)) });
  segments.push({ bytes: latin1("]") });
  const objects: PdfObject[] = [...BASE_OBJECTS, { num: streamNum, body: objectStreamBody(pairs, header, segments) }];
  return xrefStreamPdf(
    objects,
    nums.map((num, index) => ({ num, type: 2, stream: streamNum, index })),
    5 + entries,
  );
}

// ---------------------------------------------------------------------------------------------
// (e) a signed file, then an update of many tiny objects.

export interface ManyObjectsParams {
  /** Objects in the update. Default 160 000: ~7 MB, as in the issue. */
  objects?: number;
}

/**
 * (e) `signedPdf` (whose last section is a classic xref table, as our signing code writes) with
 * one incremental update defining `objects` new objects `<< >>`, numbered after its /Size.
 */
export function manyObjectsUpdatePdf(signedPdf: Uint8Array, params: ManyObjectsParams = {}): Uint8Array {
  const count = params.objects ?? 160_000;
  const tail = Buffer.from(signedPdf.subarray(Math.max(0, signedPdf.length - 4096))).toString("latin1");
  const trailer = /trailer\s*<<([\s\S]*?)>>\s*startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  const root = trailer ? /\/Root\s+(\d+\s+\d+\s+R)/.exec(trailer[1]) : null;
  const size = trailer ? /\/Size\s+(\d+)/.exec(trailer[1]) : null;
  if (!trailer || !root || !size) throw new Error("manyObjectsUpdatePdf needs a file ending in a classic trailer");
  const first = Number(size[1]);
  const body = Buffer.alloc(count * 32);
  const xref = Buffer.alloc(count * 20);
  let at = 0;
  let offset = signedPdf.length + 1;
  for (let i = 0; i < count; i++) {
    xref.write(`${String(offset + at).padStart(10, "0")} 00000 n\r\n`, i * 20, "latin1");
    at += body.write(`${first + i} 0 obj\n<< >>\nendobj\n`, at, "latin1");
  }
  offset += at;
  const head = latin1(`xref\n${first} ${count}\n`);
  const end = latin1(`trailer\n<< /Size ${first + count} /Root ${root[1]} /Prev ${trailer[2]} >>\nstartxref\n${offset}\n%%EOF\n`);
  return new Uint8Array(Buffer.concat([Buffer.from(signedPdf), latin1("\n"), body.subarray(0, at), head, xref, end]));
}

// ---------------------------------------------------------------------------------------------
// (f) a signature whose CMS carries one bogus certificate of megabytes.

export interface BogusCertificateParams {
  /** Size of the bogus "certificate" (a SEQUENCE of one OCTET STRING). Default 8 MiB, as in the issue. */
  certificateBytes?: number;
  signingTime: Date;
}

/**
 * (f) `pdfBytes` signed by `signer` with our signing code, /Contents reserved large enough, then
 * the CMS rewritten with one bogus certificate added to its certificates: certificates are not
 * signed, so the signature itself still verifies; only reading the included certificates costs.
 */
export async function bogusCertificatePdf(pdfBytes: Uint8Array, signer: Signer, params: BogusCertificateParams): Promise<Uint8Array> {
  const bogus = params.certificateBytes ?? 8 * 1024 * 1024;
  const signed = await signPdf(pdfBytes, {
    signer,
    page: 1,
    fieldNamePrefix: "Staff",
    certify: false,
    signingTime: params.signingTime,
    contentsBytes: bogus + 64 * 1024,
  });
  const text = Buffer.from(signed).toString("latin1");
  const open = text.lastIndexOf("/Contents <") + "/Contents ".length;
  const close = text.indexOf(">", open);
  // Zero padding follows the CMS; asn1js reads the one ContentInfo and stops.
  const withBogus = addCertificate(Buffer.from(text.slice(open + 1, close), "hex"), bogus);
  const hex = withBogus.toString("hex").padEnd(close - open - 1, "0");
  if (hex.length !== close - open - 1) throw new Error("the bogus certificate does not fit the reserved /Contents");
  const out = Buffer.from(signed);
  out.write(hex, open + 1, "latin1");
  return new Uint8Array(out);
}

/** The ContentInfo(SignedData) at the start of `cms` with a SEQUENCE { OCTET STRING of `bytes` bytes } first in its certificates. */
function addCertificate(cms: Buffer, bytes: number): Buffer {
  const parsed = asn1js.fromBER(cms);
  const contentInfo = parsed.result;
  if (parsed.offset === -1 || !(contentInfo instanceof asn1js.Sequence)) throw new Error("not a ContentInfo");
  const explicit = contentInfo.valueBlock.value[1];
  const signedData = explicit instanceof asn1js.Constructed ? explicit.valueBlock.value[0] : undefined;
  if (!(signedData instanceof asn1js.Sequence)) throw new Error("not a SignedData");
  const certificates = signedData.valueBlock.value.find((v) => v.idBlock.tagClass === 3 && v.idBlock.tagNumber === 0);
  if (!(certificates instanceof asn1js.Constructed)) throw new Error("the CMS includes no certificates");
  certificates.valueBlock.value.unshift(new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: new Uint8Array(bytes).fill(0x42) })] }));
  return Buffer.from(contentInfo.toBER(false));
}

// ---------------------------------------------------------------------------------------------
// (g) for sealing: a small file whose object stream inflates to hundreds of MB.

export interface SealBombParams {
  /** What the one object stream decodes to. Default 500 MiB: a ~510 KB file, as in the issue. */
  inflatedBytes?: number;
}

/**
 * (g) Catalog, pages and page as members of one object stream decoding to `inflatedBytes`: any
 * reader must decode it to find the page a seal goes on.
 */
export function sealBombPdf(params: SealBombParams = {}): Uint8Array {
  const inflated = params.inflatedBytes ?? 500 * 1024 * 1024;
  const bodies = BASE_OBJECTS.map((o) => `${o.body} `);
  const members: [number, number][] = [];
  let at = 0;
  for (const [i, b] of bodies.entries()) {
    members.push([BASE_OBJECTS[i].num, at]);
    at += b.length;
  }
  const header = objectStreamHeader(members);
  const stream: PdfObject = { num: 4, body: objectStreamBody(members, header, paddedTo(header + bodies.join(""), inflated)) };
  return xrefStreamPdf(
    [stream],
    members.map(([num], index) => ({ num, type: 2, stream: 4, index })),
    5,
  );
}

// ---------------------------------------------------------------------------------------------
// Found while building the above (not in the issue's table).

export interface StartxrefFloodParams {
  /** Classic xref sections chained by /Prev, none with a startxref of its own. Default 64 (the reader's maxRevisions). */
  sections?: number;
  /** Comment lines "%startxref 1 %%EOF" after the sections. Default 10 000 (~200 KB). */
  decoys?: number;
}

/**
 * (h) Many xref sections that share one final startxref, followed by many decoy "startxref"
 * strings: finding each section's revision end (xref-chain.ts, revisionEnd) scans every later
 * "startxref" once per section.
 */
export function startxrefFloodPdf(params: StartxrefFloodParams = {}): Uint8Array {
  const sections = params.sections ?? 64;
  const decoys = params.decoys ?? 10_000;
  const file = writeObjects(latin1(HEADER), BASE_OBJECTS);
  const parts = [...file.parts];
  let length = file.length;
  let prev = -1;
  for (let s = 0; s < sections; s++) {
    const xref = classicXref(file.offsets, length, `/Root 1 0 R${prev >= 0 ? ` /Prev ${prev}` : ""}`, true);
    // Cut the section before its startxref: only the last one gets one.
    const section = xref.subarray(0, xref.lastIndexOf("startxref"));
    parts.push(section);
    prev = length;
    length += section.length;
  }
  parts.push(Buffer.alloc(decoys * 19, "%startxref 1 %%EOF\n", "latin1"), latin1(`startxref\n${prev}\n%%EOF\n`));
  return new Uint8Array(Buffer.concat(parts));
}

export interface DistinctNamesParams {
  /** Names in the catalog's /X array. Default 100 000. */
  names?: number;
  /** Makes the names of one file differ from another's (e.g. an upload counter). */
  prefix?: string;
}

/**
 * (i) A catalog carrying `names` distinct names. pdf-lib interns every PDFName it parses in a
 * module-wide pool that is never cleared, so each upload of fresh names stays in memory.
 */
export function distinctNamesPdf(params: DistinctNamesParams = {}): Uint8Array {
  const count = params.names ?? 100_000;
  const prefix = params.prefix ?? "n";
  const names: string[] = [];
  for (let i = 0; i < count; i++) names.push(`/${prefix}${i.toString(36)}`);
  return classicPdf([{ num: 1, body: `<< /Type /Catalog /Pages 2 0 R /X [${names.join(" ")}] >>` }, ...BASE_OBJECTS.slice(1)]);
}
