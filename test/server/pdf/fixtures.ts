// Input PDFs for the signing tests: a small pdf-lib document (classic xref table) and the same
// document rewritten by qpdf with object streams and an xref stream, as third-party PDFs often are,
// and hand-assembled xref-stream files that put chosen objects in object streams.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { deflateSync } from "node:zlib";
import { PDFDocument, StandardFonts } from "pdf-lib";

/** A two-page A4 PDF made by pdf-lib without object streams (classic xref table). */
export async function makePdfLibPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const text of ["Application form, page 1", "Page 2"]) {
    const page = doc.addPage([595.28, 841.89]);
    page.drawText(text, { x: 72, y: 760, size: 18, font });
  }
  return doc.save({ useObjectStreams: false });
}

/** `pdfBytes` rewritten by `qpdf --object-streams=generate` (object streams + xref stream). */
export function withObjectStreams(pdfBytes: Uint8Array, dir: string): Uint8Array {
  const input = path.join(dir, "objstm-in.pdf");
  const output = path.join(dir, "objstm-out.pdf");
  writeFileSync(input, pdfBytes);
  execFileSync("qpdf", ["--object-streams=generate", input, output]);
  return new Uint8Array(readFileSync(output));
}

/** True when `prefix` is byte for byte the start of `bytes`. */
export function isPrefix(prefix: Uint8Array, bytes: Uint8Array): boolean {
  return bytes.length >= prefix.length && Buffer.compare(Buffer.from(prefix), Buffer.from(bytes.subarray(0, prefix.length))) === 0;
}

/** One object of {@link xrefStreamPdf}: its number and its body (what goes between obj and endobj). */
export interface NumberedObject {
  num: number;
  body: string;
}

/** An object stream of {@link xrefStreamPdf}; `paddingBytes` NULs (white space to PDF) follow its members. */
export interface ObjectStreamSpec {
  num: number;
  members: NumberedObject[];
  paddingBytes?: number;
}

/**
 * A hand-assembled PDF with an xref stream (/W [1 4 2]): `objects` written plainly, the members
 * of `streams` inside Flate-compressed object streams, object `rootNum` the catalog. Numbers not
 * given are free. Built by hand so a test can put any object in an object stream, and make that
 * stream inflate to as much as it likes.
 */
export function xrefStreamPdf(objects: NumberedObject[], streams: ObjectStreamSpec[], rootNum = 1): Uint8Array {
  const chunks: Buffer[] = [];
  let length = 0;
  const push = (chunk: Buffer | string): void => {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, "latin1") : chunk;
    chunks.push(bytes);
    length += bytes.length;
  };
  push("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
  const rows = new Map<number, [number, number, number]>();
  for (const o of objects) {
    rows.set(o.num, [1, length, 0]);
    push(`${o.num} 0 obj\n${o.body}\nendobj\n`);
  }
  for (const s of streams) {
    let header = "";
    let body = "";
    s.members.forEach((m, i) => {
      header += `${m.num} ${body.length} `;
      body += `${m.body}\n`;
      rows.set(m.num, [2, s.num, i]);
    });
    const data = deflateSync(Buffer.concat([Buffer.from(header + body, "latin1"), Buffer.alloc(s.paddingBytes ?? 0)]));
    rows.set(s.num, [1, length, 0]);
    push(`${s.num} 0 obj\n<< /Type /ObjStm /N ${s.members.length} /First ${header.length} /Filter /FlateDecode /Length ${data.length} >>\nstream\n`);
    push(data);
    push("\nendstream\nendobj\n");
  }
  const xrefNum = Math.max(...rows.keys()) + 1;
  const xrefAt = length;
  rows.set(xrefNum, [1, xrefAt, 0]);
  const size = xrefNum + 1;
  const data = Buffer.alloc(size * 7);
  for (let n = 0; n < size; n++) {
    const [type, f2, f3] = rows.get(n) ?? [0, 0, n === 0 ? 65535 : 0];
    data.writeUInt8(type, n * 7);
    data.writeUInt32BE(f2, n * 7 + 1);
    data.writeUInt16BE(f3, n * 7 + 5);
  }
  push(`${xrefNum} 0 obj\n<< /Type /XRef /Size ${size} /W [1 4 2] /Root ${rootNum} 0 R /Length ${data.length} >>\nstream\n`);
  push(data);
  push(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`);
  return new Uint8Array(Buffer.concat(chunks));
}
