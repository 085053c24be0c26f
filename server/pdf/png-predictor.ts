// Undoes the PNG predictors (DecodeParms /Predictor 10–15) that xref streams commonly use, e.g.
// qpdf writes /Predictor 12 /Columns 4; pdf-lib's stream decoders apply the filter only. Shared by
// the signer (reading the xref it chains to) and the verifier's reader: decoding, not judging.

/** Reverses PNG row filtering; `columns` is the row width in bytes (one byte per sample). */
export function undoPngPredictor(data: Uint8Array, columns: number): Uint8Array {
  const rowIn = columns + 1;
  const rows = Math.floor(data.length / rowIn);
  const out = new Uint8Array(rows * columns);
  for (let r = 0; r < rows; r++) {
    const type = data[r * rowIn];
    const src = r * rowIn + 1;
    const dst = r * columns;
    for (let i = 0; i < columns; i++) {
      const left = i > 0 ? out[dst + i - 1] : 0;
      const up = r > 0 ? out[dst - columns + i] : 0;
      const upLeft = r > 0 && i > 0 ? out[dst - columns + i - 1] : 0;
      let pred = 0;
      if (type === 1) pred = left;
      else if (type === 2) pred = up;
      else if (type === 3) pred = (left + up) >> 1;
      else if (type === 4) pred = paeth(left, up, upLeft);
      out[dst + i] = (data[src + i] + pred) & 0xff;
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}
