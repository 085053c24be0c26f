// A TrueType (glyf) subsetter for embedding as a PDF CIDFontType2 (ISO 32000-1 §9.9): it keeps only
// the tables a PDF font program needs (head, hhea, maxp, loca, glyf, hmtx, and the hinting tables
// cvt/fpgm/prep when present) and only the glyphs a document uses, renumbered from 0 (.notdef).
// It exists because fontkit's subsetter decodes every glyph outline and waits a timer tick per call
// (about 3 ms a certificate); copying glyf bytes from a table index read once takes a few µs.
// It does not read cmap or outlines: fontkit does that.

/** A TrueType font's raw bytes and the table index needed to subset it, read once at load. */
export interface SfntFont {
  readonly bytes: Uint8Array;
  readonly tables: ReadonlyMap<string, { offset: number; length: number }>;
  readonly numGlyphs: number;
  /** glyf offsets, numGlyphs + 1 entries, relative to the glyf table. */
  readonly glyfOffsets: Uint32Array;
  readonly advanceWidths: Uint16Array;
  readonly leftSideBearings: Int16Array;
}

/** The bytes of a subset font program and the number of glyphs in it (composite parts included). */
export interface TrueTypeSubset {
  readonly bytes: Uint8Array;
  readonly glyphCount: number;
}

const SFNT_TRUETYPE = 0x00010000;
const KEPT_TABLES = ["cvt ", "fpgm", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "prep"] as const;

/**
 * Reads the table directory, loca and hmtx of a TrueType font.
 * @throws Error when the bytes are not a single TrueType font with glyf outlines
 */
export function readSfnt(bytes: Uint8Array): SfntFont {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0) !== SFNT_TRUETYPE) throw new Error("not a TrueType (glyf) font");
  const numTables = view.getUint16(4);
  const tables = new Map<string, { offset: number; length: number }>();
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + 16 * i;
    const tag = String.fromCharCode(bytes[rec], bytes[rec + 1], bytes[rec + 2], bytes[rec + 3]);
    tables.set(tag, { offset: view.getUint32(rec + 8), length: view.getUint32(rec + 12) });
  }
  const table = (tag: string) => {
    const t = tables.get(tag);
    if (!t) throw new Error(`TrueType font lacks its ${tag} table`);
    return t;
  };
  const numGlyphs = view.getUint16(table("maxp").offset + 4);
  const longLoca = view.getInt16(table("head").offset + 50) === 1;
  const loca = table("loca").offset;
  const glyfOffsets = new Uint32Array(numGlyphs + 1);
  for (let g = 0; g <= numGlyphs; g++) {
    glyfOffsets[g] = longLoca ? view.getUint32(loca + 4 * g) : 2 * view.getUint16(loca + 2 * g);
  }
  const numberOfHMetrics = view.getUint16(table("hhea").offset + 34);
  const hmtx = table("hmtx").offset;
  const advanceWidths = new Uint16Array(numGlyphs);
  const leftSideBearings = new Int16Array(numGlyphs);
  for (let g = 0; g < numGlyphs; g++) {
    const m = Math.min(g, numberOfHMetrics - 1);
    advanceWidths[g] = view.getUint16(hmtx + 4 * m);
    leftSideBearings[g] = g < numberOfHMetrics
      ? view.getInt16(hmtx + 4 * g + 2)
      : view.getInt16(hmtx + 4 * numberOfHMetrics + 2 * (g - numberOfHMetrics));
  }
  table("glyf");
  return { bytes, tables, numGlyphs, glyfOffsets, advanceWidths, leftSideBearings };
}

/**
 * Builds a font program holding `glyphIds` in that order as glyphs 0, 1, 2…; `glyphIds[0]` must be 0
 * (.notdef). Components of composite glyphs are appended after them and their references rewritten.
 */
export function subsetTrueType(font: SfntFont, glyphIds: readonly number[]): TrueTypeSubset {
  if (glyphIds[0] !== 0) throw new Error("a subset must start with glyph 0 (.notdef)");
  const order = [...glyphIds];
  const newId = new Map<number, number>(order.map((g, i) => [g, i]));
  const glyfStart = tableOf(font, "glyf").offset;
  const parts: Uint8Array[] = [];
  for (let i = 0; i < order.length; i++) {
    const gid = order[i];
    const start = glyfStart + font.glyfOffsets[gid];
    let glyph = font.bytes.subarray(start, glyfStart + font.glyfOffsets[gid + 1]);
    if (glyph.length >= 10 && ((glyph[0] << 8) | glyph[1]) & 0x8000) {
      glyph = Uint8Array.from(glyph);
      rewriteComponents(glyph, (component) => {
        let id = newId.get(component);
        if (id === undefined) {
          id = order.length;
          order.push(component);
          newId.set(component, id);
        }
        return id;
      });
    }
    parts.push(glyph);
  }
  return { bytes: assemble(font, order, parts), glyphCount: order.length };
}

// Composite glyph records (OpenType spec, glyf table): flags, glyphIndex, arguments, then a scale.
function rewriteComponents(glyph: Uint8Array, remap: (gid: number) => number): void {
  const view = new DataView(glyph.buffer, glyph.byteOffset, glyph.byteLength);
  let pos = 10;
  for (;;) {
    const flags = view.getUint16(pos);
    view.setUint16(pos + 2, remap(view.getUint16(pos + 2)));
    pos += 4 + (flags & 0x0001 ? 4 : 2);
    if (flags & 0x0008) pos += 2;
    else if (flags & 0x0040) pos += 4;
    else if (flags & 0x0080) pos += 8;
    if (!(flags & 0x0020)) return;
  }
}

function assemble(font: SfntFont, order: readonly number[], glyphs: readonly Uint8Array[]): Uint8Array {
  const n = order.length;
  const glyfLength = glyphs.reduce((s, g) => s + pad4(g.length), 0);
  const glyf = new Uint8Array(glyfLength);
  const loca = new DataView(new ArrayBuffer(4 * (n + 1)));
  let at = 0;
  glyphs.forEach((g, i) => {
    loca.setUint32(4 * i, at);
    glyf.set(g, at);
    at += pad4(g.length);
  });
  loca.setUint32(4 * n, at);
  const hmtx = new DataView(new ArrayBuffer(4 * n));
  order.forEach((gid, i) => {
    hmtx.setUint16(4 * i, font.advanceWidths[gid]);
    hmtx.setInt16(4 * i + 2, font.leftSideBearings[gid]);
  });
  const head = copyTable(font, "head");
  const headView = new DataView(head.buffer);
  headView.setUint32(8, 0); // checkSumAdjustment, set below over the whole file
  headView.setInt16(50, 1); // indexToLocFormat: long offsets
  const hhea = copyTable(font, "hhea");
  new DataView(hhea.buffer).setUint16(34, n);
  const maxp = copyTable(font, "maxp");
  new DataView(maxp.buffer).setUint16(4, n);
  const content: Record<(typeof KEPT_TABLES)[number], Uint8Array | undefined> = {
    "cvt ": optionalTable(font, "cvt "), fpgm: optionalTable(font, "fpgm"), glyf, head, hhea,
    hmtx: new Uint8Array(hmtx.buffer), loca: new Uint8Array(loca.buffer), maxp, prep: optionalTable(font, "prep"),
  };
  const kept = KEPT_TABLES.filter((tag) => content[tag] !== undefined);
  const headerLength = 12 + 16 * kept.length;
  const total = kept.reduce((s, tag) => s + pad4((content[tag] as Uint8Array).length), headerLength);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  const entrySelector = Math.floor(Math.log2(kept.length));
  view.setUint32(0, SFNT_TRUETYPE);
  view.setUint16(4, kept.length);
  view.setUint16(6, 16 * 2 ** entrySelector);
  view.setUint16(8, entrySelector);
  view.setUint16(10, 16 * kept.length - 16 * 2 ** entrySelector);
  let offset = headerLength;
  let headOffset = 0;
  kept.forEach((tag, i) => {
    const data = content[tag] as Uint8Array;
    const rec = 12 + 16 * i;
    for (let k = 0; k < 4; k++) out[rec + k] = tag.charCodeAt(k);
    out.set(data, offset);
    view.setUint32(rec + 4, checksum(out, offset, pad4(data.length)));
    view.setUint32(rec + 8, offset);
    view.setUint32(rec + 12, data.length);
    if (tag === "head") headOffset = offset;
    offset += pad4(data.length);
  });
  view.setUint32(headOffset + 8, (0xb1b0afba - checksum(out, 0, out.length)) >>> 0);
  return out;
}

function checksum(bytes: Uint8Array, offset: number, length: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, length);
  let sum = 0;
  for (let i = 0; i < length; i += 4) sum = (sum + view.getUint32(i)) >>> 0;
  return sum;
}

function tableOf(font: SfntFont, tag: string): { offset: number; length: number } {
  const t = font.tables.get(tag);
  if (!t) throw new Error(`TrueType font lacks its ${tag} table`);
  return t;
}

function copyTable(font: SfntFont, tag: string): Uint8Array {
  const t = tableOf(font, tag);
  return font.bytes.slice(t.offset, t.offset + t.length);
}

function optionalTable(font: SfntFont, tag: string): Uint8Array | undefined {
  return font.tables.has(tag) ? copyTable(font, tag) : undefined;
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}
