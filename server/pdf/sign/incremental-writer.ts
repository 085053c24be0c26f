// Writes an incremental update (ISO 32000-1 §7.5.6): new and replaced objects appended after the
// original bytes, then a cross-reference section of the same kind as the original's last one
// (classic table, or xref stream for files that use them) with /Prev chaining to it, and a trailer
// keeping /Root, /Info and /ID. The original bytes are copied unchanged, byte for byte.
import type { PDFObject, PDFRef } from "pdf-lib";
import type { XrefTrailer } from "./pdf-input";

/** One object of the update: a replaced object keeps its number and generation. */
export interface UpdateObject {
  ref: PDFRef;
  /** The serialized object body (what goes between "n g obj" and "endobj"). */
  body: Uint8Array;
}

/** The written file and where each update object starts in it. */
export interface WrittenUpdate {
  bytes: Uint8Array;
  /** Byte offset of each object's body, by object number. */
  bodyOffsets: Map<number, number>;
}

/** Serializes a pdf-lib object (dictionary, array, stream) to bytes. */
export function serializeObject(obj: PDFObject): Uint8Array {
  const out = new Uint8Array(obj.sizeInBytes());
  obj.copyBytesInto(out, 0);
  return out;
}

/**
 * Appends `objects` to `original` as one incremental update. `nextObjectNumber` is the first
 * number not used by the original or by `objects`; an xref stream takes it for itself.
 */
export function writeIncrementalUpdate(
  original: Uint8Array,
  trailer: XrefTrailer,
  objects: readonly UpdateObject[],
  nextObjectNumber: number,
): WrittenUpdate {
  const chunks: Uint8Array[] = [];
  let length = original.length;
  const push = (chunk: Uint8Array | string): void => {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, "latin1") : chunk;
    chunks.push(bytes);
    length += bytes.length;
  };
  const last = original[original.length - 1];
  if (last !== 0x0a && last !== 0x0d) push("\n");

  const entries: XrefEntry[] = [];
  const bodyOffsets = new Map<number, number>();
  for (const { ref, body } of objects) {
    entries.push({ objectNumber: ref.objectNumber, generation: ref.generationNumber, offset: length });
    const header = `${ref.objectNumber} ${ref.generationNumber} obj\n`;
    bodyOffsets.set(ref.objectNumber, length + header.length);
    push(header);
    push(body);
    push("\nendobj\n");
  }

  const xrefOffset = length;
  if (trailer.kind === "table") {
    push(xrefTable(entries));
    push(`trailer\n<<${trailerEntries(trailer, nextObjectNumber)}>>\n`);
  } else {
    entries.push({ objectNumber: nextObjectNumber, generation: 0, offset: xrefOffset });
    const data = xrefStreamData(entries);
    push(
      `${nextObjectNumber} 0 obj\n<< /Type /XRef${trailerEntries(trailer, nextObjectNumber + 1)}` +
        ` /W [1 4 2] /Index [${subsections(entries).map((s) => `${s[0].objectNumber} ${s.length}`).join(" ")}]` +
        ` /Length ${data.length} >>\nstream\n`,
    );
    push(data);
    push("\nendstream\nendobj\n");
  }
  push(`startxref\n${xrefOffset}\n%%EOF\n`);

  const bytes = new Uint8Array(length);
  bytes.set(original, 0);
  let at = original.length;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return { bytes, bodyOffsets };
}

interface XrefEntry {
  objectNumber: number;
  generation: number;
  offset: number;
}

function trailerEntries(trailer: XrefTrailer, size: number): string {
  const ref = (r: PDFRef): string => `${r.objectNumber} ${r.generationNumber} R`;
  let out = ` /Size ${size} /Root ${ref(trailer.root)}`;
  if (trailer.info) out += ` /Info ${ref(trailer.info)}`;
  if (trailer.id) out += ` /ID ${trailer.id.toString()}`;
  return `${out} /Prev ${trailer.startXref}`;
}

/** Groups entries, sorted by object number, into runs of consecutive numbers. */
function subsections(entries: readonly XrefEntry[]): XrefEntry[][] {
  const sorted = [...entries].sort((a, b) => a.objectNumber - b.objectNumber);
  const runs: XrefEntry[][] = [];
  for (const e of sorted) {
    const run = runs[runs.length - 1];
    if (run && run[run.length - 1].objectNumber + 1 === e.objectNumber) run.push(e);
    else runs.push([e]);
  }
  return runs;
}

function xrefTable(entries: readonly XrefEntry[]): string {
  let out = "xref\n";
  for (const run of subsections(entries)) {
    out += `${run[0].objectNumber} ${run.length}\n`;
    for (const e of run) {
      // Each entry is exactly 20 bytes, ending in CR LF (§7.5.4).
      out += `${String(e.offset).padStart(10, "0")} ${String(e.generation).padStart(5, "0")} n\r\n`;
    }
  }
  return out;
}

/** Rows of /W [1 4 2]: type 1 (in use), 4-byte offset, 2-byte generation, in /Index order. */
function xrefStreamData(entries: readonly XrefEntry[]): Uint8Array {
  const rows = subsections(entries).flat();
  const data = Buffer.alloc(rows.length * 7);
  rows.forEach((e, i) => {
    data.writeUInt8(1, i * 7);
    data.writeUInt32BE(e.offset, i * 7 + 1);
    data.writeUInt16BE(e.generation, i * 7 + 5);
  });
  return data;
}
