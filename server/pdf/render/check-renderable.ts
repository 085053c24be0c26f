// Before drawing, every character of a template must exist in the font that will draw it; otherwise
// the PDF would show an empty box (.notdef) while the text layer says something else.
import { missingCharacters, type CertificateFonts, type LoadedFont } from "../fonts";
import type { CertificateTemplate } from "../template";
import { TemplateError } from "../template-error";

/**
 * Throws TemplateError TEMPLATE_UNSUPPORTED_CHARACTER naming the first field with a character the
 * certificate fonts lack. The department name is checked in bold too: the seal letters it.
 */
export function checkRenderable(t: CertificateTemplate, fonts: CertificateFonts): void {
  const checks: [string, string, LoadedFont][] = [
    ["title", t.title, fonts.bold],
    ["department.name", t.department.name, fonts.regular],
    ["department.name", t.department.name, fonts.bold],
    ["documentNumber", t.documentNumber, fonts.regular],
    ...t.holder.flatMap((f, i): [string, string, LoadedFont][] => [
      [`holder.${i}.label`, f.label, fonts.regular],
      [`holder.${i}.value`, f.value, fonts.regular],
    ]),
  ];
  if (t.body !== undefined) checks.push(["body", t.body, fonts.regular]);
  for (const [field, text, font] of checks) {
    const missing = missingCharacters(font, text);
    if (missing.length > 0) {
      const list = missing.map((c) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`).join(", ");
      throw new TemplateError("TEMPLATE_UNSUPPORTED_CHARACTER", field, `${field} has characters the certificate font lacks: ${list}`);
    }
  }
}
