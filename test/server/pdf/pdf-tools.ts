// Runs poppler and qpdf on PDFs written to test-output/, so rendered files stay around to look at.
import { execFileSync, spawnSync } from "child_process";
import fs from "fs";
import path from "path";

/** test-output/<name>, created if missing (gitignored). */
export function outputPath(name: string): string {
  const dir = path.join(__dirname, "..", "..", "..", "test-output");
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}

/** Writes bytes to test-output/<name> and returns the path. */
export function writeOutput(name: string, bytes: Uint8Array): string {
  const file = outputPath(name);
  fs.writeFileSync(file, bytes);
  return file;
}

/** `qpdf --check`: exit status and combined output. */
export function qpdfCheck(file: string): { status: number | null; output: string } {
  const r = spawnSync("qpdf", ["--check", file], { encoding: "utf8" });
  return { status: r.status, output: r.stdout + r.stderr };
}

/** Text of the whole file as pdftotext extracts it (reading order, UTF-8). */
export function pdftotext(file: string): string {
  return execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"], { encoding: "utf8" });
}

/** Rows of `pdffonts` as objects; columns are cut where the header's dashes are. */
export function pdffonts(file: string): { name: string; type: string; encoding: string; emb: string; sub: string; uni: string }[] {
  const [, dashes, ...rows] = execFileSync("pdffonts", [file], { encoding: "utf8" }).trimEnd().split("\n");
  const spans: [number, number][] = [];
  for (const m of dashes.matchAll(/-+/g)) spans.push([m.index ?? 0, (m.index ?? 0) + m[0].length]);
  return rows.map((row) => {
    const [name, type, encoding, emb, sub, uni] = spans.map(([a, b]) => row.slice(a, b).trim());
    return { name, type, encoding, emb, sub, uni };
  });
}

/** Renders a region of page 1 in grey at `dpi` and returns its pixels (0 black … 255 white). */
export function renderGray(file: string, dpi: number, crop: { x: number; y: number; w: number; h: number }):
  { width: number; height: number; pixels: Uint8Array } {
  const out = outputPath(`crop-${process.pid}`);
  execFileSync("pdftoppm", ["-r", String(dpi), "-gray", "-f", "1", "-l", "1", "-singlefile",
    "-x", String(crop.x), "-y", String(crop.y), "-W", String(crop.w), "-H", String(crop.h), file, out]);
  const pgm = fs.readFileSync(`${out}.pgm`);
  fs.unlinkSync(`${out}.pgm`);
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString("latin1"));
  if (!header) throw new Error("pdftoppm did not write a binary PGM");
  return { width: Number(header[1]), height: Number(header[2]), pixels: new Uint8Array(pgm.subarray(header[0].length)) };
}
