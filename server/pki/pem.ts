// PEM armour for DER blobs (certificates, PKCS#8 keys). Base64 line wrapping per RFC 7468.

/** Wraps DER bytes in a PEM block with the given label, e.g. "CERTIFICATE". */
export function derToPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der).toString("base64");
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}
