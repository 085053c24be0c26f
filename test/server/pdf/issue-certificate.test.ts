// Issuing a certificate end to end: render, seal as a certification signature, then countersign;
// pdfsig must accept every signature against the trusted dev CA, qpdf must find no errors, and
// pdftotext must give the Chinese text back.
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { DEMO_DEPARTMENTS } from "../../../server/demo/departments";
import { countersignPdf } from "../../../server/pdf/countersign-pdf";
import { countersignMark } from "./countersign-mark";
import { demoTemplate } from "../../../server/pdf/demo-template";
import { loadCertificateFonts, type CertificateFonts } from "../../../server/pdf/fonts";
import { issueCertificate } from "../../../server/pdf/issue-certificate";
import { ensureDevPki, type DevPki } from "../../../server/pki/dev-pki";
import { derToPem } from "../../../server/pki/pem";
import { createTrustedNssDb, pdfsig, qpdfCheck, tempDir } from "./signature-tools";

const NOW = new Date("2025-03-01T08:00:00Z");

describe("issueCertificate", function () {
  let dir: string;
  let pki: DevPki;
  let fonts: CertificateFonts;
  let nss: string;

  before(async function () {
    dir = tempDir("issue");
    pki = await ensureDevPki(path.join(dir, "data"), DEMO_DEPARTMENTS, { now: NOW });
    fonts = loadCertificateFonts();
    nss = createTrustedNssDb([...pki.caCertificates.values()].map((der) => derToPem(der, "CERTIFICATE")));
  });

  async function issueDemo(): Promise<{ file: string; pdfBytes: Uint8Array; id: string }> {
    const template = demoTemplate({ issueDate: "2025-03-01" });
    const issued = await issueCertificate(template, {
      fonts,
      publicBaseUrl: "http://127.0.0.1:8080",
      signer: pki.signerFor("SAMR", "seal"),
      signingTime: NOW,
    });
    const file = path.join(dir, `${issued.certificateIdentifier}.pdf`);
    writeFileSync(file, issued.pdfBytes);
    return { file, pdfBytes: issued.pdfBytes, id: issued.certificateIdentifier };
  }

  it("issues a certificate whose seal signature pdfsig reports valid and trusted", async function () {
    const { file, pdfBytes } = await issueDemo();
    const { signatures, output } = pdfsig(nss, file);
    expect(signatures, output).to.have.length(1);
    expect(signatures[0]).to.include({ field: "Seal1", valid: true, trusted: true, totalDocument: true });
    expect(qpdfCheck(file).status).to.equal(0);
    expect(Buffer.from(pdfBytes).toString("latin1")).to.match(/\/TransformMethod \/DocMDP/);
    expect(pdfBytes.length).to.be.below(200 * 1024);
  });

  it("keeps the Chinese text extractable after signing", async function () {
    const { file } = await issueDemo();
    const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" });
    expect(text).to.include("食品经营许可证");
    expect(text).to.include("北京市海淀区青禾餐饮管理有限公司");
    expect(text).to.include("市场监督管理局");
  });

  it("accepts a chief representative's countersignature after the certification (签两次)", async function () {
    const { pdfBytes } = await issueDemo();
    const both = await countersignPdf(pdfBytes, { ...countersignMark(), signer: pki.signerFor("SAMR", "chief"), role: "chief", signingTime: NOW });
    const file = path.join(dir, "issued-countersigned.pdf");
    writeFileSync(file, both);
    const { signatures, output } = pdfsig(nss, file);
    expect(signatures.map((s) => [s.field, s.valid, s.trusted]), output).to.deep.equal([
      ["Seal1", true, true],
      ["Chief1", true, true],
    ]);
    expect(qpdfCheck(file).status).to.equal(0);
  });
});
