// Loads the CJK fonts certificates are drawn with: Noto Sans SC (OFL, TrueType glyf outlines) from
// the npm package @expo-google-fonts/noto-sans-sc, so `npm install` alone brings it. Parsing a 10 MB
// font takes ~100 ms, so main.ts loads once and passes the handle to every render; nothing here is
// a module global. Embedding a per-document subset is font-subset.ts.
import fs from "fs";
import path from "path";
import * as fontkit from "@pdf-lib/fontkit";
import { readSfnt, type SfntFont } from "./truetype-subset";

/** A parsed font: fontkit for cmap, metrics and outlines; the raw table index for subsetting. */
export interface LoadedFont {
  /** PostScript name, e.g. NotoSansSC-Regular. */
  readonly postscriptName: string;
  readonly fontkit: fontkit.Font;
  readonly sfnt: SfntFont;
  readonly unitsPerEm: number;
  /** Code point → glyph id and advance (font units); filled lazily, shared by every document. */
  readonly glyphCache: Map<number, { gid: number; advance: number }>;
}

/** The weights certificates use: regular for text, bold for the title and the seal's lettering. */
export interface CertificateFonts {
  readonly regular: LoadedFont;
  readonly bold: LoadedFont;
}

/**
 * Reads and parses Noto Sans SC Regular and Bold from node_modules. Call once per process.
 * @throws Error if the font package is not installed
 */
export function loadCertificateFonts(): CertificateFonts {
  const dir = path.dirname(require.resolve("@expo-google-fonts/noto-sans-sc/package.json"));
  return {
    regular: loadFontFile(path.join(dir, "400Regular", "NotoSansSC_400Regular.ttf")),
    bold: loadFontFile(path.join(dir, "700Bold", "NotoSansSC_700Bold.ttf")),
  };
}

/**
 * Parses one TrueType (glyf) font file.
 * @throws Error if the file is missing or not a single TrueType font
 */
export function loadFontFile(file: string): LoadedFont {
  const bytes = new Uint8Array(fs.readFileSync(file));
  const parsed = fontkit.create(bytes);
  return {
    postscriptName: (parsed.postscriptName ?? path.basename(file, ".ttf")).replace(/[^A-Za-z0-9-]/g, ""),
    fontkit: parsed,
    sfnt: readSfnt(bytes),
    unitsPerEm: parsed.unitsPerEm,
    glyphCache: new Map(),
  };
}

/**
 * Glyph id and advance width (font units) of a code point; gid 0 means the font lacks it.
 */
export function glyphOf(font: LoadedFont, codePoint: number): { gid: number; advance: number } {
  let g = font.glyphCache.get(codePoint);
  if (g === undefined) {
    const glyph = font.fontkit.glyphForCodePoint(codePoint);
    g = { gid: glyph.id, advance: font.sfnt.advanceWidths[glyph.id] ?? 0 };
    font.glyphCache.set(codePoint, g);
  }
  return g;
}

/** The characters of `text` the font cannot draw (each once, in order of appearance). */
export function missingCharacters(font: LoadedFont, text: string): string[] {
  const missing = new Set<string>();
  for (const ch of text) {
    if (ch !== "\n" && glyphOf(font, ch.codePointAt(0) ?? 0).gid === 0) missing.add(ch);
  }
  return [...missing];
}

/** Width of `text` in points at `sizePt`, from advance widths (no kerning: CJK text has none). */
export function widthOfText(font: LoadedFont, text: string, sizePt: number): number {
  let units = 0;
  for (const ch of text) units += glyphOf(font, ch.codePointAt(0) ?? 0).advance;
  return (units * sizePt) / font.unitsPerEm;
}
