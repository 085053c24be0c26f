// Embeds the part of a loaded font one document uses, as a Type0 / CIDFontType2 font with
// Identity-H encoding and a ToUnicode CMap (ISO 32000-1 §9.7, §9.10), so that text extraction
// (pdftotext, search, screen readers) gives back exactly the Chinese text drawn. Deflate is Node's
// zlib: pdf-lib's pure-JS deflate took a third of a certificate's render time.
import { createHash } from "crypto";
import { deflateSync } from "zlib";
import { PDFHexString, PDFString, type PDFContext, type PDFRef } from "pdf-lib";
import { glyphOf, type LoadedFont } from "./fonts";
import { subsetTrueType } from "./truetype-subset";

/** The glyphs one document draws with one font; create one per document and font. */
export interface FontSubset {
  readonly font: LoadedFont;
  /** Hex string (without brackets) of `text` in this subset's CIDs, for a `<…> Tj` operator. */
  encode(text: string): string;
  /**
   * Writes the font objects into `context` and returns the Type0 font's reference. Call once,
   * after the last `encode`.
   */
  embed(context: PDFContext): PDFRef;
}

/** Starts an empty subset of `font` (it holds .notdef only). */
export function createFontSubset(font: LoadedFont): FontSubset {
  const gids: number[] = [0];
  const cidOf = new Map<number, number>([[0, 0]]);
  const unicodeOf = new Map<number, number>();
  return {
    font,
    encode(text) {
      let hex = "";
      for (const ch of text) {
        const cp = ch.codePointAt(0) ?? 0;
        const { gid } = glyphOf(font, cp);
        let cid = cidOf.get(gid);
        if (cid === undefined) {
          cid = gids.length;
          gids.push(gid);
          cidOf.set(gid, cid);
          unicodeOf.set(cid, cp);
        }
        hex += cid.toString(16).padStart(4, "0");
      }
      return hex;
    },
    embed(context) {
      return embedSubset(context, font, gids, unicodeOf);
    },
  };
}

function embedSubset(context: PDFContext, font: LoadedFont, gids: readonly number[],
  unicodeOf: ReadonlyMap<number, number>): PDFRef {
  const program = subsetTrueType(font.sfnt, gids);
  const baseFont = `${subsetTag(font.postscriptName, gids)}+${font.postscriptName}`;
  const k = 1000 / font.unitsPerEm;
  const fk = font.fontkit;
  const fontFile = context.register(context.stream(deflateSync(program.bytes), {
    Length1: program.bytes.length,
    Filter: "FlateDecode",
  }));
  const descriptor = context.register(context.obj({
    Type: "FontDescriptor",
    FontName: baseFont,
    Flags: 4, // symbolic: glyphs are addressed by CID, not by a standard Latin encoding
    FontBBox: [fk.bbox.minX * k, fk.bbox.minY * k, fk.bbox.maxX * k, fk.bbox.maxY * k].map(Math.round),
    ItalicAngle: 0,
    Ascent: Math.round(fk.ascent * k),
    Descent: Math.round(fk.descent * k),
    CapHeight: Math.round((fk.capHeight || fk.ascent) * k),
    StemV: 80,
    FontFile2: fontFile,
  }));
  const cidFont = context.register(context.obj({
    Type: "Font",
    Subtype: "CIDFontType2",
    BaseFont: baseFont,
    CIDSystemInfo: { Registry: PDFString.of("Adobe"), Ordering: PDFString.of("Identity"), Supplement: 0 },
    FontDescriptor: descriptor,
    DW: 1000,
    W: widthsArray(font, gids, k),
    CIDToGIDMap: "Identity",
  }));
  const toUnicode = context.register(context.stream(deflateSync(Buffer.from(toUnicodeCMap(unicodeOf), "latin1")), {
    Filter: "FlateDecode",
  }));
  return context.register(context.obj({
    Type: "Font",
    Subtype: "Type0",
    BaseFont: baseFont,
    Encoding: "Identity-H",
    DescendantFonts: [cidFont],
    ToUnicode: toUnicode,
  }));
}

// /W lists only glyphs whose width differs from /DW 1000 (most CJK glyphs are full width):
// runs of consecutive CIDs as `first [w1 w2 …]`.
function widthsArray(font: LoadedFont, gids: readonly number[], k: number): (number | number[])[] {
  const out: (number | number[])[] = [];
  let run: number[] | undefined;
  gids.forEach((gid, cid) => {
    const w = Math.round(font.sfnt.advanceWidths[gid] * k);
    if (w === 1000) {
      run = undefined;
      return;
    }
    if (!run) {
      run = [];
      out.push(cid, run);
    }
    run.push(w);
  });
  return out;
}

// A subset font's name starts with six capital letters that identify the subset (ISO 32000-1
// §9.6.4), derived here from the glyph list so the same content gives the same name.
function subsetTag(name: string, gids: readonly number[]): string {
  const digest = createHash("sha256").update(name).update(Uint32Array.from(gids)).digest();
  let tag = "";
  for (let i = 0; i < 6; i++) tag += String.fromCharCode(65 + (digest[i] % 26));
  return tag;
}

function toUnicodeCMap(unicodeOf: ReadonlyMap<number, number>): string {
  const entries = [...unicodeOf].sort((a, b) => a[0] - b[0]);
  const chunks: string[] = [];
  for (let i = 0; i < entries.length; i += 100) {
    const chunk = entries.slice(i, i + 100);
    chunks.push(`${chunk.length} beginbfchar\n${chunk
      .map(([cid, cp]) => `<${cid.toString(16).padStart(4, "0")}> <${utf16Hex(cp)}>`).join("\n")}\nendbfchar`);
  }
  return [
    "/CIDInit /ProcSet findresource begin",
    "12 dict begin",
    "begincmap",
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
    "/CMapName /Adobe-Identity-UCS def",
    "/CMapType 2 def",
    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange",
    ...chunks,
    "endcmap",
    "CMapName currentdict /CMap defineresource pop",
    "end",
    "end",
  ].join("\n");
}

function utf16Hex(codePoint: number): string {
  return PDFHexString.fromText(String.fromCodePoint(codePoint)).asString().replace(/^FEFF/i, "").toUpperCase();
}

