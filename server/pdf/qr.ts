// The QR code on a certificate: the public verification URL of this document, drawn as vector
// rectangles (no raster image), so it prints sharp at any size and adds ~1 KB. Encoding is npm
// `qrcode`'s; this file only chooses the URL and turns dark modules into rectangles.
import QRCode from "qrcode";
import { ContentStream, type Rgb } from "./content-stream";

/** A square matrix of QR modules, row-major; 1 is dark. Row 0 is the top row. */
export interface QrMatrix {
  readonly size: number;
  readonly data: Uint8Array;
}

/**
 * The public verification URL of a certificate: `${publicBaseUrl}/v/${certificateIdentifier}`,
 * with `?k=${recordSaltHex}` when given: the salt of the record key anchored beside the
 * certificate (chain/record-key.ts), by which any node finds its record on chain.
 * A trailing slash on the base is dropped; the identifier is percent-encoded.
 */
export function verificationUrl(publicBaseUrl: string, certificateIdentifier: string, recordSaltHex?: string): string {
  const url = `${publicBaseUrl.replace(/\/+$/, "")}/v/${encodeURIComponent(certificateIdentifier)}`;
  return recordSaltHex === undefined ? url : `${url}?k=${recordSaltHex}`;
}

/** Encodes `text` as a QR code with error correction level M (15 %, enough for print wear). */
export function qrMatrix(text: string): QrMatrix {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  return { size: modules.size, data: Uint8Array.from(modules.data) };
}

/**
 * Operators filling the dark modules of `matrix` as rectangles in a `sizePt` square whose
 * bottom-left corner is (x, y); each row's adjacent dark modules become one rectangle. The caller
 * keeps a quiet zone of four modules around it free of other marks.
 */
export function drawQrOperators(matrix: QrMatrix, opts: { x: number; y: number; sizePt: number; color?: Rgb }): string {
  const m = opts.sizePt / matrix.size;
  // One module = one unit, row 0 at the top: integer rectangles keep the stream short.
  const s = new ContentStream().save().fillColor(opts.color ?? [0, 0, 0])
    .transform(m, 0, 0, -m, opts.x, opts.y + opts.sizePt);
  for (let row = 0; row < matrix.size; row++) {
    let col = 0;
    while (col < matrix.size) {
      if (!matrix.data[row * matrix.size + col]) {
        col++;
        continue;
      }
      const start = col;
      while (col < matrix.size && matrix.data[row * matrix.size + col]) col++;
      s.raw(`${start} ${row} ${col - start} 1 re`);
    }
  }
  return s.fill().restore().toString();
}
