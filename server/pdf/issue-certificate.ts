// Issue a certificate (签发电子证照): render the unsigned one-page PDF from a validated template,
// then seal it with the department's seal key as a certification signature (DocMDP P 2), so a
// countersignature may follow but any other change shows. The template's values ride along as the
// embedded zerosign-certificate.json, in the revision the seal signs. Anchoring comes afterwards.
import type { Signer } from "../pki/signer";
import type { CertificateFonts } from "./fonts";
import { certificateDataOf } from "./render/certificate-data";
import { renderCertificate } from "./render/render-certificate";
import { sealPdf } from "./seal-pdf";
import type { CertificateTemplate } from "./template";

/** What {@link issueCertificate} needs besides the template. */
export interface IssueCertificateParams {
  /** Fonts loaded once per process with loadCertificateFonts(). */
  fonts: CertificateFonts;
  /** Base of the public verification page; the QR code carries `${base}/v/${id}`. */
  publicBaseUrl: string;
  /** The issuing department's seal key (role "seal"). */
  signer: Signer;
  signingTime: Date;
  /** The record key's salt for the QR URL (chain/record-key.ts); the caller anchors the key. */
  recordSaltHex?: string;
}

/** The signed certificate. */
export interface IssuedCertificate {
  pdfBytes: Uint8Array;
  /** 证照标识, the identifier the verification URL carries. */
  certificateIdentifier: string;
}

/**
 * Renders `template` with its data embedded (zerosign-certificate.json, issuedAt = signingTime)
 * and signs it with the department's seal (visible at the renderer's seal square, lettered with
 * the template's department name), so the seal's signature covers the data. Throws TemplateError from rendering and
 * the typed errors of sealPdf.
 */
export async function issueCertificate(template: CertificateTemplate, params: IssueCertificateParams): Promise<IssuedCertificate> {
  const rendered = await renderCertificate(template, {
    fonts: params.fonts,
    publicBaseUrl: params.publicBaseUrl,
    certificateData: certificateDataOf(template, params.signingTime),
    recordSaltHex: params.recordSaltHex,
  });
  const { sealRect } = rendered;
  const pdfBytes = await sealPdf(rendered.pdfBytes, {
    signer: params.signer,
    sealName: template.department.name,
    sealFont: params.fonts.bold,
    page: sealRect.page + 1,
    x: sealRect.x,
    y: sealRect.y,
    size: sealRect.size,
    signingTime: params.signingTime,
    certify: true,
  });
  return { pdfBytes, certificateIdentifier: template.certificateIdentifier };
}
