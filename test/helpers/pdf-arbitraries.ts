// fast-check generators of hostile PDFs that know the format: values (numbers, strings, names,
// long tokens, deep nesting), objects and streams, object streams, classic xref tables and xref
// streams with right or wrong offsets, widths, indexes and counts, /Prev chains of updates, and a
// few byte changes on top. Used by the verifier fuzz and by scripts/bench-hostile.ts, which reports
// the worst case per `kind`.
import { deflateSync } from "node:zlib";
import fc from "fast-check";

/** A generated file and the feature that shaped it most (for reporting the worst case). */
export interface FuzzPdf {
  kind: string;
  bytes: Uint8Array;
}

const latin1 = (s: string): Buffer => Buffer.from(s, "latin1");

// --- values ------------------------------------------------------------------------------------

const digits = (min: number, max: number) => fc.integer({ min, max }).map((n) => "9".repeat(n));

const pdfNumber: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: -5, max: 40 }).map(String) },
  { weight: 3, arbitrary: fc.integer().map(String) },
  { weight: 3, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map((d) => d.toFixed(3)) },
  { weight: 2, arbitrary: fc.constantFrom("00000000000000000000001", "4294967296", "9007199254740993", "-0", "+5", ".5", "5.") },
  { weight: 1, arbitrary: fc.constantFrom("1.2.3", "--5", "+-1", ".", "+", "-", "1e5") },
  { weight: 1, arbitrary: fc.tuple(digits(20, 400), fc.constantFrom("", "a", ".5", "e")).map(([d, s]) => d + s) },
  { weight: 1, arbitrary: digits(2_000, 20_000).map((d) => `${d}a`) },
);

const literalString: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.string({ unit: fc.constantFrom("a", "b", " ", "0", "\\(", "\\)", "\\n", "\\0", "\\\\", "()", "\n"), maxLength: 24 }).map((s) => `(${s})`) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom("a", "(", ")", "\\", "\r"), maxLength: 12 }).map((s) => `(${s})`) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 4_000 }).map((n) => `(${"(".repeat(n)}${")".repeat(n)})`) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 100_000 }).map((n) => `(${"x".repeat(n)})`) },
);

const hexString: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.string({ unit: fc.constantFrom(..."0123456789abcdefABCDEF \n"), maxLength: 40 }).map((s) => `<${s}>`) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(..."0f g<"), maxLength: 8 }).map((s) => `<${s}>`) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 100_000 }).map((n) => `<${"ab".repeat(n)}>`) },
);

const pdfName: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom("Type", "Sig", "ByteRange", "Contents", "FT", "V", "Kids", "Parent", "Pages", "Length", "Filter", "FlateDecode", "ObjStm", "XRef", "Annots", "AcroForm", "Fields", "SubFilter", "ETSI.CAdES.detached", "Perms", "DocMDP", "Reference", "N", "First", "W", "Index", "Prev", "Size", "Root", "Encrypt") },
  { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom("a", "#", "2", "0", "f", "z", "#41", "#00", "#zz"), maxLength: 10 }) },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 50_000 }).map((n) => "n".repeat(n)) },
).map((n) => `/${n}`);

const keyword = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom("true", "false", "null", "%comment\n") },
  { weight: 1, arbitrary: fc.constantFrom("R", "obj", "endobj", "stream", "endstream", "xref", "trailer", "startxref", "%%EOF", "]", ">>", ")", "{", "}") },
);

const reference = fc.tuple(fc.integer({ min: 0, max: 14 }), fc.constantFrom(0, 0, 0, 1, 65535, 99999999)).map(([n, g]) => `${n} ${g} R`);

const deepNesting = fc.tuple(fc.integer({ min: 30, max: 200 }), fc.constantFrom("[", "<<"), fc.boolean()).map(([depth, open, balanced]) => {
  const close = open === "[" ? "]" : ">>";
  const inner = open === "[" ? "" : "/K 1";
  return open.repeat(depth) + inner + (balanced ? close.repeat(depth) : close.repeat(depth - 1));
});

/** Any PDF value, nested a few levels, sometimes far too deep or malformed. */
export const pdfValue: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { weight: 4, arbitrary: pdfNumber },
    { weight: 3, arbitrary: reference },
    { weight: 3, arbitrary: pdfName },
    { weight: 2, arbitrary: literalString },
    { weight: 2, arbitrary: hexString },
    { weight: 2, arbitrary: keyword },
    { weight: 3, arbitrary: fc.array(tie("value"), { maxLength: 6 }).map((items) => `[${items.join(" ")}]`) },
    { weight: 3, arbitrary: fc.array(fc.tuple(pdfName, tie("value")), { maxLength: 6 }).map((kv) => `<< ${kv.map(([k, v]) => `${k} ${v}`).join(" ")} >>`) },
    { weight: 1, arbitrary: deepNesting },
  ),
})).value;

// --- objects -----------------------------------------------------------------------------------

/** An object body; `stream` data follows the dictionary when present. */
interface ObjectSpec {
  num: number;
  dict: string;
  stream?: { data: Buffer; lengthEntry: string };
}

/** Deflated zeros of 16 KiB to 4 MiB, made once: small streams that decode large. */
const ZERO_BOMBS = [16, 256, 1024, 4096].map((kib) => deflateSync(Buffer.alloc(kib * 1024)));

const streamData = fc.oneof(
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
  fc.uint8Array({ maxLength: 64 }).map((b) => deflateSync(b)),
  fc.constantFrom(...ZERO_BOMBS),
  fc.constant(latin1("endstream endobj 9 0 obj << >>")),
);

const lengthEntry = (data: Buffer) =>
  fc.oneof(
    { weight: 5, arbitrary: fc.constant(String(data.length)) },
    fc.integer({ min: -3, max: 3 }).map((d) => String(data.length + d)),
    fc.constantFrom("99999999", "-1", "4 0 R", "null", "1.5"),
  );

const filterEntry = fc.constantFrom("", "", "/Filter /FlateDecode", "/Filter [/FlateDecode /FlateDecode]", "/Filter /LZWDecode", "/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 5 >>", "/DecodeParms << /Predictor 15 /Columns 99999 >>");

/** A signature dictionary with random values where a real one has fixed shapes. */
const signatureDict = fc
  .record({
    byteRange: fc.oneof(
      fc.tuple(fc.nat(5000), fc.nat(5000), fc.nat(5000), fc.nat(5000)).map((r) => `[${r.join(" ")}]`),
      pdfValue,
    ),
    contents: fc.oneof(hexString, fc.uint8Array({ maxLength: 300 }).map((b) => `<30${Buffer.from(b).toString("hex")}>`), pdfValue),
    subFilter: fc.constantFrom("/ETSI.CAdES.detached", "/adbe.pkcs7.detached", "/adbe.x509.rsa_sha1", "(x)"),
    type: fc.constantFrom("/Sig", "/DocTimeStamp", "/Annot"),
    extra: fc.constantFrom("", "/Reference [<< /TransformMethod /DocMDP /TransformParams << /P 1 >> >>]", "/M (D:20250101)", "/Contents <00>"),
  })
  .map((s) => `<< /Type ${s.type} /Filter /Adobe.PPKLite /SubFilter ${s.subFilter} /ByteRange ${s.byteRange} /Contents ${s.contents} ${s.extra} >>`);

const catalogDict = fc
  .record({
    pages: fc.oneof({ weight: 12, arbitrary: fc.constant("2 0 R") }, reference, pdfValue),
    acroForm: fc.oneof(fc.constant(""), fc.constant("/AcroForm << /Fields [5 0 R] /SigFlags 3 >>"), fc.constant("/AcroForm 5 0 R"), pdfValue.map((v) => `/AcroForm ${v}`)),
    perms: fc.constantFrom("", "/Perms << /DocMDP 6 0 R >>"),
  })
  .map((c) => `<< /Type /Catalog /Pages ${c.pages} ${c.acroForm} ${c.perms} >>`);

const pagesDict = fc.oneof(
  { weight: 10, arbitrary: fc.constant("<< /Type /Pages /Kids [3 0 R] /Count 1 >>") },
  fc.constantFrom("<< /Type /Pages /Kids [2 0 R] /Count 1 >>", "<< /Type /Pages /Kids [3 0 R 3 0 R 2 0 R] /Count 3 >>", "<< /Type /Pages /Kids 3 0 R >>"),
  { weight: 1, arbitrary: pdfValue },
);

const pageDict = fc.oneof(
  { weight: 8, arbitrary: fc.constant("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [5 0 R] /Contents 7 0 R >>") },
  pdfValue.map((v) => `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Rotate ${v} >>`),
  fc.constantFrom("<< /Type /Page /Parent 3 0 R >>", "<< /Type /Pages /Kids [2 0 R] >>"),
);

const fieldDict = fc.oneof(
  fc.constant("<< /FT /Sig /T (Sig1) /V 6 0 R /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R >>"),
  signatureDict.map((d) => `<< /FT /Sig /T (Sig1) /V ${d} /Parent 5 0 R >>`),
  fc.constant("<< /FT /Sig /T (a) /Parent 5 0 R /V 5 0 R >>"),
  pdfValue,
);

/** Object bodies 1..n: catalog, pages, page, then random, a field, a signature, streams. */
const objectSpecs: fc.Arbitrary<ObjectSpec[]> = fc
  .record({
    catalog: catalogDict,
    pages: pagesDict,
    page: pageDict,
    field: fieldDict,
    signature: signatureDict,
    extra: fc.array(pdfValue, { maxLength: 5 }),
    streams: fc.array(fc.tuple(streamData, filterEntry, pdfValue), { minLength: 1, maxLength: 3 }),
  })
  .chain((o) =>
    fc.tuple(...o.streams.map(([data]) => lengthEntry(data))).map((lengths) => {
      const specs: ObjectSpec[] = [o.catalog, o.pages, o.page, o.extra[0] ?? "null", o.field, o.signature].map((dict, i) => ({ num: i + 1, dict }));
      o.streams.forEach(([data, filter, extra], i) =>
        specs.push({ num: 7 + i, dict: `/Extra ${extra} ${filter}`, stream: { data, lengthEntry: lengths[i] } }),
      );
      o.extra.slice(1).forEach((dict, i) => specs.push({ num: 10 + i, dict }));
      return specs;
    }),
  );

// --- layout: object streams, xref sections, updates ---------------------------------------------

interface XrefPlan {
  kind: "table" | "stream" | "hybrid";
  /** Shift applied to some offsets (0: exact). */
  offsetDelta: number;
  /** Every how many entries the delta applies. */
  deltaEvery: number;
  /** Change to each subsection's count (table) or row count (stream). */
  countDelta: number;
  w: [number, number, number];
  /** Random /Index pairs instead of the right one, when set. */
  index?: number[];
  compress: boolean;
  /** Extra trailer entries. */
  trailerExtra: string;
}

const xrefPlan: fc.Arbitrary<XrefPlan> = fc.record({
  kind: fc.constantFrom("table", "table", "stream", "stream", "hybrid"),
  offsetDelta: fc.oneof({ weight: 40, arbitrary: fc.constant(0) }, fc.integer({ min: -30, max: 30 }), fc.constantFrom(1_000_000_000, -100_000)),
  deltaEvery: fc.integer({ min: 1, max: 5 }),
  countDelta: fc.oneof({ weight: 20, arbitrary: fc.constant(0) }, fc.integer({ min: -2, max: 3 }), fc.constantFrom(1_000_000, 2_000_000_000)),
  w: fc.oneof({ weight: 12, arbitrary: fc.constant<[number, number, number]>([1, 4, 2]) }, fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 }))),
  index: fc.oneof(
    { weight: 12, arbitrary: fc.constant(undefined) },
    fc.array(fc.oneof(fc.nat(20), fc.constantFrom(1_000_000, 2_147_483_647)), { maxLength: 40 }),
  ),
  compress: fc.boolean(),
  trailerExtra: fc.oneof({ weight: 20, arbitrary: fc.constant("") }, fc.constantFrom("/Encrypt 4 0 R", "/Prev 0", "/Prev 999999", "/XRefStm 5", "/Root 2 0 R", "/Size -1"), pdfValue.map((v) => `/Info ${v}`)),
});

interface Layout {
  /** Objects placed in one object stream (by number), and how its header lies. */
  objectStream?: { members: number[]; headerShift: number; nDelta: number; firstDelta: number; compress: boolean };
  xref: XrefPlan;
  /** Updates after the first revision: objects redefined, each with its own xref plan. */
  updates: { redefine: number[]; xref: XrefPlan; prevDelta: number }[];
  startxrefDelta: number;
  tail: "eof" | "no-eof" | "garbage";
  mutations: { at: number; byte: number; op: "set" | "insert" | "delete" }[];
}

const layout: fc.Arbitrary<Layout> = fc.record({
  objectStream: fc.option(
    fc.record({
      members: fc.subarray([1, 2, 3, 4, 5, 6, 10, 11], { minLength: 1 }),
      headerShift: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, fc.integer({ min: -3, max: 3 })),
      nDelta: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, fc.constantFrom(-1, 1, 100_000_000)),
      firstDelta: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, fc.integer({ min: -4, max: 4 })),
      compress: fc.boolean(),
    }),
    { nil: undefined, freq: 2 },
  ),
  xref: xrefPlan,
  updates: fc.array(
    fc.record({
      redefine: fc.subarray([1, 2, 3, 4, 5, 6, 7], { maxLength: 3 }),
      xref: xrefPlan,
      prevDelta: fc.oneof({ weight: 30, arbitrary: fc.constant(0) }, fc.integer({ min: -20, max: 20 })),
    }),
    { maxLength: 3 },
  ),
  startxrefDelta: fc.oneof({ weight: 40, arbitrary: fc.constant(0) }, fc.integer({ min: -40, max: 40 })),
  tail: fc.oneof({ weight: 12, arbitrary: fc.constant<"eof">("eof") }, fc.constantFrom<("no-eof" | "garbage")[]>("no-eof", "garbage")),
  mutations: fc.array(
    fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }), op: fc.constantFrom("set", "set", "insert", "delete") }),
    { maxLength: 2, size: "xsmall" },
  ),
});

function objectBytes(o: ObjectSpec): Buffer {
  if (!o.stream) return latin1(`${o.num} 0 obj\n${o.dict}\nendobj\n`);
  return Buffer.concat([latin1(`${o.num} 0 obj\n<< ${o.dict} /Length ${o.stream.lengthEntry} >>\nstream\n`), o.stream.data, latin1("\nendstream\nendobj\n")]);
}

type Entry = { num: number; type: 1; offset: number } | { num: number; type: 2; stream: number; index: number };

/** One xref section per `plan` at `at`: its bytes, including the trailer and startxref when a table. */
function xrefSection(plan: XrefPlan, entries: Entry[], at: number, trailer: string, streamNum: number): Buffer {
  const shifted = entries.map((e, i): Entry => (e.type === 1 && plan.offsetDelta !== 0 && i % plan.deltaEvery === 0 ? { ...e, offset: Math.max(0, e.offset + plan.offsetDelta) } : e));
  const size = Math.max(0, ...entries.map((e) => e.num)) + 1;
  if (plan.kind === "stream" || shifted.some((e) => e.type === 2)) {
    const all: Entry[] = [...shifted, { num: streamNum, type: 1 as const, offset: at }].sort((a, b) => a.num - b.num);
    const [w0, w1, w2] = plan.w;
    const row = w0 + w1 + w2;
    const rows = Math.max(0, all.length + Math.min(plan.countDelta, 4));
    const data = Buffer.alloc(rows * row);
    all.slice(0, rows).forEach((e, i) => {
      writeUint(data, i * row, w0, e.type);
      writeUint(data, i * row + w0, w1, e.type === 1 ? e.offset : e.stream);
      writeUint(data, i * row + w0 + w1, w2, e.type === 1 ? 0 : e.index);
    });
    const runs: number[] = [];
    for (const e of all) {
      if (runs.length > 0 && runs[runs.length - 2] + runs[runs.length - 1] === e.num) runs[runs.length - 1]++;
      else runs.push(e.num, 1);
    }
    const body = plan.compress ? deflateSync(data) : data;
    const dict = `<< /Type /XRef /Size ${size + 1} /W [${plan.w.join(" ")}] /Index [${(plan.index ?? runs).join(" ")}] ${trailer} ${plan.compress ? "/Filter /FlateDecode" : ""} /Length ${body.length} >>`;
    return Buffer.concat([latin1(`${streamNum} 0 obj\n${dict}\nstream\n`), body, latin1("\nendstream\nendobj\n")]);
  }
  const lines = ["xref\n0 1\n0000000000 65535 f\r\n"];
  const sorted = [...shifted].sort((a, b) => a.num - b.num) as { num: number; offset: number }[];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1].num === sorted[j].num + 1) j++;
    const count = j - i + 1 + plan.countDelta;
    lines.push(`${sorted[i].num} ${count}\n`);
    for (let k = i; k <= j; k++) lines.push(`${String(sorted[k].offset).padStart(10, "0")} 00000 n\r\n`);
    i = j + 1;
  }
  lines.push(`trailer\n<< /Size ${size} ${trailer} >>\n`);
  return latin1(lines.join(""));
}

function writeUint(buf: Buffer, at: number, width: number, value: number): void {
  let v = value;
  for (let i = width - 1; i >= 0; i--) {
    buf[at + i] = v & 0xff;
    v = Math.floor(v / 256);
  }
}

/** Assembles the file the model describes. */
function assemble(objects: ObjectSpec[], plan: Layout): Uint8Array {
  const parts: Buffer[] = [latin1("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")];
  let length = parts[0].length;
  const push = (b: Buffer): number => {
    const at = length;
    parts.push(b);
    length += b.length;
    return at;
  };
  const entries: Entry[] = [];
  const inStream = new Set(plan.objectStream?.members ?? []);
  for (const o of objects) {
    if (inStream.has(o.num) && !o.stream) continue;
    entries.push({ num: o.num, type: 1, offset: push(objectBytes(o)) } satisfies Entry);
  }
  if (plan.objectStream) {
    const os = plan.objectStream;
    const members = objects.filter((o) => inStream.has(o.num) && !o.stream);
    let body = "";
    const pairs: string[] = [];
    members.forEach((m, i) => {
      pairs.push(`${m.num} ${Math.max(0, body.length + (i === 1 ? os.headerShift : 0))}`);
      body += `${m.dict} `;
      entries.push({ num: m.num, type: 2, stream: 40, index: i });
    });
    const header = `${pairs.join(" ")} `;
    const data = latin1(header + body);
    const raw = os.compress ? deflateSync(data) : data;
    const dict = `<< /Type /ObjStm /N ${members.length + os.nDelta} /First ${header.length + os.firstDelta} ${os.compress ? "/Filter /FlateDecode" : ""} /Length ${raw.length} >>`;
    entries.push({ num: 40, type: 1, offset: push(Buffer.concat([latin1(`40 0 obj\n${dict}\nstream\n`), raw, latin1("\nendstream\nendobj\n")])) });
  }
  let xrefAt = length;
  push(xrefSection(plan.xref, entries, xrefAt, `/Root 1 0 R ${plan.xref.trailerExtra}`, 50));
  plan.updates.forEach((u, i) => {
    push(latin1(`startxref\n${xrefAt}\n%%EOF\n`));
    const updated: Entry[] = [];
    for (const n of u.redefine) {
      const o = objects.find((x) => x.num === n);
      if (o) updated.push({ num: n, type: 1, offset: push(objectBytes({ ...o, dict: o.stream ? o.dict : `${o.dict} ` })) });
    }
    const prev = xrefAt + u.prevDelta;
    xrefAt = length;
    push(xrefSection(u.xref, updated, xrefAt, `/Root 1 0 R /Prev ${prev} ${u.xref.trailerExtra}`, 51 + i));
  });
  const tail = plan.tail === "eof" ? `startxref\n${xrefAt + plan.startxrefDelta}\n%%EOF\n` : plan.tail === "no-eof" ? `startxref\n${xrefAt}\n` : `startxref\n${xrefAt}\n%%EOF\ngarbage after the end`;
  push(latin1(tail));
  let bytes = Buffer.concat(parts);
  for (const m of plan.mutations) {
    const at = m.at % Math.max(1, bytes.length);
    if (m.op === "set") bytes[at] = m.byte;
    else if (m.op === "insert") bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([m.byte]), bytes.subarray(at)]);
    else bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]);
  }
  return new Uint8Array(bytes);
}

/** The dominant feature of a model, for the worst-case report. */
function kindOf(objects: ObjectSpec[], plan: Layout): string {
  const longest = Math.max(...objects.map((o) => o.dict.length + (o.stream?.data.length ?? 0)));
  if (longest > 10_000) return "long tokens";
  if (plan.objectStream) return "object stream";
  if (plan.updates.length > 0) return "updates";
  if (plan.mutations.length > 0) return "byte changes";
  return `xref ${plan.xref.kind}`;
}

/** A structure-aware hostile PDF. */
export const hostilePdf: fc.Arbitrary<FuzzPdf> = fc.tuple(objectSpecs, layout).map(([objects, plan]) => ({ kind: kindOf(objects, plan), bytes: assemble(objects, plan) }));
