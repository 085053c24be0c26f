// report.certificateData: the data an issued certificate embeds, reported only when its seal's
// signature covers it and every signature is intact. Forged attachments in later updates, other
// departments' seals, third-party attachments and broken, foreign or oversize JSON give no data,
// and the verdict stays what the checks make it.
import { expect } from "chai";
import { PDFDocument, PDFHexString, PDFName, PDFRef, PDFDict, type PDFArray } from "pdf-lib";
import { DEMO_DEPARTMENTS } from "../../../server/demo/departments";
import { countersignPdf } from "../../../server/pdf/countersign-pdf";
import { countersignMark } from "../pdf/countersign-mark";
import { demoTemplate } from "../../../server/pdf/demo-template";
import { loadCertificateFonts, type CertificateFonts } from "../../../server/pdf/fonts";
import { issueCertificate } from "../../../server/pdf/issue-certificate";
import { certificateDataOf } from "../../../server/pdf/render/certificate-data";
import { sealPdf } from "../../../server/pdf/seal-pdf";
import type { CertificateTemplate } from "../../../server/pdf/template";
import { formatReport } from "../../../server/cli/report-text";
import { verifyPdf, type Report } from "../../../server/verify";
import { MAX_CERTIFICATE_DATA_BYTES } from "../../../server/verify/certificate-data";
import { MCA } from "../../contracts/fixtures";
import { tempDir } from "../pdf/signature-tools";
import { anchorPdf, makeSignedPdfs, registerKey, withSamrKeys, type SignedPdfs } from "./checks/chain-scenario";
import { appendUpdate, body, docObjects, streamBody } from "./fixtures/modification-attacks";
import { brief, resultFor } from "./fixtures/report-tools";
import { ensureDevPki, type DevPki } from "../../../server/pki/dev-pki";
import path from "node:path";

const NOW = new Date("2025-03-01T08:00:00Z");
const FILE = "zerosign-certificate.json";

/** Object numbers of the certificate's attachment: its filespec and its embedded file stream. */
async function attachmentObjects(pdf: Uint8Array): Promise<{ filespec: number; stream: number }> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const names = doc.catalog.lookup(PDFName.of("Names"), PDFDict).lookup(PDFName.of("EmbeddedFiles"), PDFDict)
    .lookup(PDFName.of("Names")) as PDFArray;
  const spec = names.get(1) as PDFRef;
  const ef = doc.context.lookup(spec, PDFDict).lookup(PDFName.of("EF"), PDFDict);
  return { filespec: spec.objectNumber, stream: (ef.get(PDFName.of("F")) as PDFRef).objectNumber };
}

function forgedJson(template: CertificateTemplate): string {
  const data = certificateDataOf(template, NOW);
  return JSON.stringify({ ...data, fields: { ...data.fields, 法定代表人: "王伪造" } });
}

function expectSignaturesIntact(report: Report): void {
  for (const id of ["byte-range", "signature-integrity", "modifications"] as const) {
    expect(resultFor(report, id, 0).status, brief(report)).to.equal("valid");
  }
}

describe("report.certificateData", function () {
  let pdfs: SignedPdfs;
  let template: CertificateTemplate;
  let fonts: CertificateFonts;
  let pki: DevPki;
  /** A SAMR certificate issued from `template` with the chain scenario's keys, and it countersigned. */
  let sealed: Uint8Array;
  let countersigned: Uint8Array;

  before(async function () {
    pdfs = await makeSignedPdfs();
    fonts = loadCertificateFonts();
    pki = await ensureDevPki(path.join(tempDir("cert-data-verify"), "data"), DEMO_DEPARTMENTS, { now: NOW });
    template = demoTemplate({ issueDate: "2025-03-01", randomBytes: (n) => new Uint8Array(n).fill(7) });
    ({ pdfBytes: sealed } = await issueCertificate(template, {
      fonts, publicBaseUrl: "http://127.0.0.1:8080", signer: pdfs.pki.signerFor("SAMR", "seal"), signingTime: NOW,
    }));
    countersigned = await countersignPdf(sealed, { ...countersignMark(), signer: pdfs.pki.signerFor("SAMR", "chief"), role: "chief", signingTime: NOW });
  });

  describe("an issued certificate", function () {
    it("reports the issued fields on a valid, anchored, registered certificate", async function () {
      const f = await withSamrKeys(pdfs);
      await anchorPdf(f.ledger, f.samrOperator, sealed, f.t0 + 100);
      const report = await verifyPdf(sealed, { chain: f.reader });
      expect(report.verdict, brief(report)).to.equal("valid");
      expect(report.certificateData).to.deep.equal(certificateDataOf(template, NOW));
      expect(report.certificateData?.certificateIdentifier).to.equal(template.certificateIdentifier);
      expect(report.certificateData?.fields).to.include({ 经营者名称: "北京市海淀区青禾餐饮管理有限公司", validUntil: "2030-02-28" });
    });

    it("reports them offline too, beside the verdict the checks give (unknown: no chain)", async function () {
      const report = await verifyPdf(sealed);
      expect(report.verdict).to.equal("unknown");
      expect(report.certificateData).to.deep.equal(certificateDataOf(template, NOW));
    });

    it("keeps them after a countersignature, which covers the same attachment", async function () {
      const report = await verifyPdf(countersigned);
      expect(report.signatures).to.have.length(2);
      expect(report.certificateData).to.deep.equal(certificateDataOf(template, NOW));
    });

    it("shows the fields in zerosign verify's text, and no such section without them", async function () {
      const text = formatReport("c.pdf", await verifyPdf(sealed));
      expect(text).to.include("证照数据 Certificate data (zerosign.certificate/1, signed by the seal)");
      expect(text).to.include(`  食品经营许可证  ${template.certificateIdentifier}  SAMR  issued 2025-03-01T08:00:00.000Z`);
      expect(text).to.match(/\n {2}经营者名称 +北京市海淀区青禾餐饮管理有限公司\n/);
      const { stream } = await attachmentObjects(sealed);
      const forged = appendUpdate(sealed, { objects: [{ num: stream, body: streamBody(forgedJson(template)) }] }).bytes;
      expect(formatReport("f.pdf", await verifyPdf(forged))).to.not.include("证照数据");
    });

    it("gives none when the registry says the seal is another department's than the data names", async function () {
      const f = await withSamrKeys(pdfs);
      await registerKey(f.registry, f.mcaOperator, pdfs.pki, { departmentCode: "MCA", role: "seal" }, MCA, { fromSec: f.t0, untilSec: f.t0 + 1_000_000 });
      // An MCA seal on data claiming SAMR issued it (demoTemplate is SAMR's).
      const { pdfBytes } = await issueCertificate(demoTemplate({ issueDate: "2025-03-01" }), {
        fonts, publicBaseUrl: "http://127.0.0.1:8080", signer: pdfs.pki.signerFor("MCA", "seal"), signingTime: NOW,
      });
      await anchorPdf(f.ledger, f.mcaOperator, pdfBytes, f.t0 + 100);
      const report = await verifyPdf(pdfBytes, { chain: f.reader });
      expect(report.signatures[0].departmentId).to.equal(MCA);
      expect(report.certificateData).to.equal(undefined);
      expect(resultFor(report, "signer-key", 0).status).to.equal("valid");
    });
  });

  describe("tampering and forgery", function () {
    it("gives none when a byte the seal covers is changed (signature-integrity invalid)", async function () {
      const changed = Uint8Array.from(sealed);
      const at = Buffer.from(changed).indexOf("/Producer");
      changed[at + 2] ^= 0x01;
      const report = await verifyPdf(changed);
      expect(report.verdict).to.equal("invalid");
      expect(report.certificateData).to.equal(undefined);
    });

    it("gives none when a later update replaces the embedded file's stream with forged JSON", async function () {
      const { stream } = await attachmentObjects(sealed);
      const forged = appendUpdate(sealed, {
        objects: [{ num: stream, body: streamBody(forgedJson(template), "/Type /EmbeddedFile /Subtype /application#2Fjson") }],
      }).bytes;
      const report = await verifyPdf(forged);
      expect(resultFor(report, "modifications", 0)).to.deep.include({ status: "invalid", code: "CATALOG_CHANGED" });
      expect(report.verdict).to.equal("invalid");
      expect(report.certificateData).to.equal(undefined);
    });

    it("gives none when a later update points the catalog's /EmbeddedFiles tree at a forged file", async function () {
      const d = await docObjects(sealed);
      const size = d.doc.context.largestObjectNumber + 1;
      const catalog = d.doc.catalog.clone(d.doc.context);
      catalog.set(PDFName.of("Names"), d.doc.context.obj({ EmbeddedFiles: { Names: [PDFHexString.fromText(FILE), PDFRef.of(size)] } }));
      catalog.set(PDFName.of("AF"), d.doc.context.obj([PDFRef.of(size)]));
      const forged = appendUpdate(sealed, {
        objects: [
          { num: d.catalog, body: body(catalog) },
          { num: size, body: `<< /Type /Filespec /F (${FILE}) /EF << /F ${size + 1} 0 R >> /AFRelationship /Data >>` },
          { num: size + 1, body: streamBody(forgedJson(template), "/Type /EmbeddedFile") },
        ],
      }).bytes;
      const report = await verifyPdf(forged);
      expect(resultFor(report, "modifications", 0)).to.deep.include({ status: "invalid", code: "CATALOG_CHANGED" });
      expect(report.verdict).to.equal("invalid");
      expect(report.certificateData).to.equal(undefined);
    });
  });

  describe("other files and bad attachments", function () {
    /** A one-page PDF with `files` attached, then sealed by SAMR (a certification when `certify`). */
    async function attachedAndSealed(files: { name: string; data: string }[], certify: boolean): Promise<Uint8Array> {
      const doc = await PDFDocument.create();
      doc.addPage([595.28, 841.89]);
      for (const file of files) await doc.attach(Buffer.from(file.data, "utf8"), file.name, { mimeType: "application/json" });
      const bytes = await doc.save({ useObjectStreams: false });
      return sealPdf(bytes, {
        signer: pki.signerFor("SAMR", "seal"), sealName: "市场监督管理局", sealFont: fonts.bold, page: 1, signingTime: NOW, certify,
      });
    }
    const valid = (): string => JSON.stringify(certificateDataOf(template, NOW));

    it("reports a well-formed attachment the seal certifies (the control for the cases below)", async function () {
      const report = await verifyPdf(await attachedAndSealed([{ name: FILE, data: valid() }], true));
      expectSignaturesIntact(report);
      expect(report.certificateData).to.deep.equal(certificateDataOf(template, NOW));
    });

    it("gives none for a sealed upload (no certification), whatever it carries", async function () {
      const report = await verifyPdf(await attachedAndSealed([{ name: FILE, data: valid() }], false));
      expectSignaturesIntact(report);
      expect(report.certificateData).to.equal(undefined);
    });

    it("gives none, and no error, for a file whose attachments are others", async function () {
      const report = await verifyPdf(await attachedAndSealed([{ name: "invoice.xml", data: "<x/>" }, { name: "data.json", data: valid() }], true));
      expectSignaturesIntact(report);
      expect(report.verdict).to.equal("unknown");
      expect(report.certificateData).to.equal(undefined);
    });

    it("gives none when the name occurs twice in the tree", async function () {
      const report = await verifyPdf(await attachedAndSealed([{ name: FILE, data: valid() }, { name: FILE, data: valid() }], true));
      expectSignaturesIntact(report);
      expect(report.certificateData).to.equal(undefined);
    });

    const bad: { name: string; data: () => string }[] = [
      { name: "not JSON", data: () => "{ schema: zerosign" },
      { name: "another schema", data: () => JSON.stringify({ ...certificateDataOf(template, NOW), schema: "zerosign.certificate/2" }) },
      { name: "a field that is not a string", data: () => JSON.stringify({ ...certificateDataOf(template, NOW), fields: { age: 61 } }) },
      { name: "a missing issuedAt", data: () => JSON.stringify({ ...certificateDataOf(template, NOW), issuedAt: undefined }) },
      {
        name: `more than ${MAX_CERTIFICATE_DATA_BYTES} bytes decoded (well-formed otherwise)`,
        data: () => JSON.stringify({ ...certificateDataOf(template, NOW), padding: " ".repeat(MAX_CERTIFICATE_DATA_BYTES) }),
      },
    ];
    for (const c of bad) {
      it(`gives none for an attachment with ${c.name}, the verdict unchanged`, async function () {
        const report = await verifyPdf(await attachedAndSealed([{ name: FILE, data: c.data() }], true));
        expectSignaturesIntact(report);
        expect(report).to.deep.include({ verdict: "unknown", code: "OFFLINE" });
        expect(report.certificateData).to.equal(undefined);
      });
    }

    it("drops keys a later schema version adds, keeping the rest", async function () {
      const report = await verifyPdf(await attachedAndSealed([{ name: FILE, data: JSON.stringify({ ...certificateDataOf(template, NOW), extra: 1 }) }], true));
      expect(report.certificateData).to.deep.equal(certificateDataOf(template, NOW));
    });

    it("needs a countersigned file's every signature intact", async function () {
      const sealed = await attachedAndSealed([{ name: FILE, data: valid() }], true);
      const twice = await countersignPdf(sealed, { ...countersignMark(), signer: pki.signerFor("SAMR", "chief"), role: "chief", signingTime: NOW });
      expect((await verifyPdf(twice)).certificateData).to.deep.equal(certificateDataOf(template, NOW));
      const broken = Uint8Array.from(twice);
      broken[broken.length - 40] ^= 0x01;
      const report = await verifyPdf(broken);
      expect(report.certificateData).to.equal(undefined);
    });
  });
});
