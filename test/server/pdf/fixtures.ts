// Input PDFs for the signing tests: a small pdf-lib document (classic xref table) and the same
// document rewritten by qpdf with object streams and an xref stream, as third-party PDFs often are.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
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
