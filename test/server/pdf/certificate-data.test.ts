// The data an issued certificate carries: zerosign-certificate.json embedded in the revision the
// seal signs (inside its /ByteRange), readable by poppler's pdfdetach, while pdfsig, qpdf --check
// and pdftotext still accept the certificate as before.
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DEMO_DEPARTMENTS } from "../../../server/demo/departments";
import { demoTemplate } from "../../../server/pdf/demo-template";
import { loadCertificateFonts, type CertificateFonts } from "../../../server/pdf/fonts";
import { issueCertificate } from "../../../server/pdf/issue-certificate";
import { certificateDataOf } from "../../../server/pdf/render/certificate-data";
import { parseTemplate, type CertificateTemplate } from "../../../server/pdf/template";
import { TemplateError } from "../../../server/pdf/template-error";
import { ensureDevPki, type DevPki } from "../../../server/pki/dev-pki";
import { derToPem } from "../../../server/pki/pem";
import { createTrustedNssDb, pdfsig, qpdfCheck, tempDir } from "./signature-tools";

const NOW = new Date("2025-03-01T08:00:00Z");

describe("certificate data embedded at issue", function () {
  let dir: string;
  let pki: DevPki;
  let fonts: CertificateFonts;
  let nss: string;
  let template: CertificateTemplate;
  let file: string;
  let pdfBytes: Uint8Array;

  before(async function () {
    dir = tempDir("cert-data");
    pki = await ensureDevPki(path.join(dir, "data"), DEMO_DEPARTMENTS, { now: NOW });
    fonts = loadCertificateFonts();
    nss = createTrustedNssDb([...pki.caCertificates.values()].map((der) => derToPem(der, "CERTIFICATE")));
    template = demoTemplate({ issueDate: "2025-03-01" });
    ({ pdfBytes } = await issueCertificate(template, {
      fonts, publicBaseUrl: "http://127.0.0.1:8080", signer: pki.signerFor("SAMR", "seal"), signingTime: NOW,
    }));
    file = path.join(dir, "issued.pdf");
    writeFileSync(file, pdfBytes);
  });

  it("embeds every template value as zerosign-certificate.json that pdfdetach extracts", function () {
    const list = execFileSync("pdfdetach", ["-list", file], { encoding: "utf8" });
    expect(list).to.match(/^1 embedded files\n1: zerosign-certificate\.json\n$/);
    const out = path.join(dir, "extracted.json");
    execFileSync("pdfdetach", ["-save", "1", "-o", out, file]);
    const json: unknown = JSON.parse(readFileSync(out, "utf8"));
    expect(json).to.deep.equal({
      schema: "zerosign.certificate/1",
      templateId: "食品经营许可证",
      certificateIdentifier: template.certificateIdentifier,
      issuingDepartment: "SAMR",
      issuedAt: "2025-03-01T08:00:00.000Z",
      fields: {
        ...Object.fromEntries(template.holder.map((f) => [f.label, f.value])),
        kind: "certificate",
        title: "食品经营许可证",
        documentNumber: template.documentNumber,
        issueDate: "2025-03-01",
        validUntil: "2030-02-28",
      },
    });
    expect(json).to.deep.equal(certificateDataOf(template, NOW));
  });

  it("associates the file with the document as its data (/AF, /AFRelationship /Data, application/json)", function () {
    const text = Buffer.from(pdfBytes).toString("latin1");
    expect(text).to.match(/\/AF \d+ 0 R|\/AF \[ ?\d+ 0 R ?\]/);
    expect(text).to.include("/AFRelationship /Data");
    expect(text).to.include("/Subtype /application#2Fjson");
    expect(text).to.include("/Type /EmbeddedFile");
  });

  it("writes the attachment inside the seal signature's byte range, and pdfsig, qpdf and pdftotext accept the file", function () {
    const text = Buffer.from(pdfBytes).toString("latin1");
    const byteRange = /\/ByteRange ?\[ ?(\d+) (\d+) (\d+) (\d+) ?\]/.exec(text);
    expect(byteRange).to.not.equal(null);
    const [a, b, c, d] = (byteRange ?? []).slice(1).map(Number);
    expect(a).to.equal(0);
    expect(c + d).to.equal(pdfBytes.length);
    for (const marker of ["/Type /EmbeddedFile", "/EmbeddedFiles", "/AFRelationship /Data"]) {
      const at = text.indexOf(marker);
      expect(at, marker).to.be.greaterThan(-1);
      expect(at + marker.length, marker).to.be.at.most(a + b);
    }
    const { signatures, output } = pdfsig(nss, file);
    expect(signatures, output).to.have.length(1);
    expect(signatures[0]).to.include({ valid: true, trusted: true, totalDocument: true });
    expect(qpdfCheck(file).status).to.equal(0);
    expect(execFileSync("pdftotext", [file, "-"], { encoding: "utf8" })).to.include("北京市海淀区青禾餐饮管理有限公司");
  });

  it("names the data's kind by the template's templateId when it has one", function () {
    const withId = parseTemplate({ ...template, templateId: "food-business-licence" });
    expect(certificateDataOf(withId, NOW).templateId).to.equal("food-business-licence");
  });

  it("refuses a template whose holder label is used twice or names a template value", function () {
    for (const label of [template.holder[0].label, "issueDate"]) {
      const holder = [...template.holder, { label, value: "x" }];
      expect(() => parseTemplate({ ...template, holder }), label).to.throw(TemplateError)
        .that.includes({ code: "TEMPLATE_FIELD_INVALID", field: `holder.${holder.length - 1}.label` });
    }
  });
});
