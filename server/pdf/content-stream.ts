// Writes PDF content-stream operators (ISO 32000-1 §8, §9.4) as text. Certificates, the seal and the
// QR code are drawn through this rather than pdf-lib's drawing API so the same operators can go into
// a page, a Form XObject or a signature appearance, and so output is byte-for-byte repeatable.

/** An RGB colour, each component 0–1. */
export type Rgb = readonly [number, number, number];

/** Formats a number for a content stream: at most 3 decimals, no exponent, no `-0`. */
export function num(n: number): string {
  const r = Math.round(n * 1000) / 1000;
  return Object.is(r, -0) || r === 0 ? "0" : String(r);
}

/** Collects operators; `toString()` gives the stream's content. */
export class ContentStream {
  private readonly ops: string[] = [];

  /** Appends operators written elsewhere (e.g. the seal's). */
  raw(operators: string): this {
    this.ops.push(operators);
    return this;
  }

  save(): this {
    return this.raw("q");
  }

  restore(): this {
    return this.raw("Q");
  }

  /** Concatenates a matrix [a b c d e f] to the current transformation (`cm`). */
  transform(a: number, b: number, c: number, d: number, e: number, f: number): this {
    return this.raw(`${num(a)} ${num(b)} ${num(c)} ${num(d)} ${num(e)} ${num(f)} cm`);
  }

  fillColor(rgb: Rgb): this {
    return this.raw(`${rgb.map(num).join(" ")} rg`);
  }

  strokeColor(rgb: Rgb): this {
    return this.raw(`${rgb.map(num).join(" ")} RG`);
  }

  lineWidth(w: number): this {
    return this.raw(`${num(w)} w`);
  }

  /** Adds a rectangle to the current path. */
  rect(x: number, y: number, w: number, h: number): this {
    return this.raw(`${num(x)} ${num(y)} ${num(w)} ${num(h)} re`);
  }

  /** Adds a straight line to the current path. */
  line(x1: number, y1: number, x2: number, y2: number): this {
    return this.raw(`${num(x1)} ${num(y1)} m ${num(x2)} ${num(y2)} l`);
  }

  fill(): this {
    return this.raw("f");
  }

  stroke(): this {
    return this.raw("S");
  }

  /**
   * Shows one run of text whose glyphs are already encoded as hex CIDs.
   * @param fontName - resource name of the font on the page, without the slash
   * @param charSpacingPt - extra space after each glyph (`Tc`), for spaced-out titles
   */
  text(fontName: string, sizePt: number, x: number, y: number, hex: string, charSpacingPt = 0): this {
    // Tc is graphics state and outlives ET, so a spaced run resets it before ending.
    const [set, reset] = charSpacingPt === 0 ? ["", ""] : [`${num(charSpacingPt)} Tc `, " 0 Tc"];
    return this.raw(`BT /${fontName} ${num(sizePt)} Tf ${set}${num(x)} ${num(y)} Td <${hex}> Tj${reset} ET`);
  }

  toString(): string {
    return this.ops.join("\n");
  }
}
