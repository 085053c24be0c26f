// Sealing and countersigning real PDFs, checked by pdfsig against an NSS database that trusts the
// dev CA, and by qpdf --check; the original bytes must stay a prefix of every output.
import { expect } from "chai";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { DEMO_DEPARTMENTS } from "../../../server/demo/departments";
import { countersignPdf } from "../../../server/pdf/countersign-pdf";
import { countersignMark } from "./countersign-mark";
import { loadCertificateFonts, type LoadedFont } from "../../../server/pdf/fonts";
import { sealPdf } from "../../../server/pdf/seal-pdf";
import { ensureDevPki, type DevPki } from "../../../server/pki/dev-pki";
import { derToPem } from "../../../server/pki/pem";
import { readPdfForVerification } from "../../../server/pdf/read/read-pdf";
import { isPrefix, makePdfLibPdf, withObjectStreams, xrefStreamPdf } from "./fixtures";
import { createTrustedNssDb, pdfsig, qpdfCheck, tempDir } from "./signature-tools";

const SIGNING_TIME = new Date("2025-03-01T08:00:00Z");

describe("sealPdf and countersignPdf", function () {
  let dir: string;
  let pki: DevPki;
  let nss: string;
  let sealFont: LoadedFont;
  let plain: Uint8Array;

  before(async function () {
    dir = tempDir("seal");
    pki = await ensureDevPki(path.join(dir, "data"), DEMO_DEPARTMENTS.slice(0, 1), {
      algorithms: ["ecdsa-p256", "rsa-2048"],
      now: SIGNING_TIME,
    });
    nss = createTrustedNssDb([...pki.caCertificates.values()].map((der) => derToPem(der, "CERTIFICATE")));
    sealFont = loadCertificateFonts().bold;
    plain = await makePdfLibPdf();
  });

  function save(name: string, bytes: Uint8Array): string {
    const file = path.join(dir, name);
    writeFileSync(file, bytes);
    return file;
  }

  function seal(pdfBytes: Uint8Array, page: number, signer = pki.signerFor("SAMR", "seal")): Promise<Uint8Array> {
    return sealPdf(pdfBytes, {
      signer,
      sealName: "市场监督管理局",
      sealFont,
      page,
      x: 380,
      y: 80,
      size: 119,
      signingTime: SIGNING_TIME,
    });
  }

  async function expectRejectedWith(promise: Promise<unknown>, code: string): Promise<void> {
    const err: unknown = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.have.property("code", code);
  }

  function expectAllValid(file: string, count: number): void {
    const { signatures, output } = pdfsig(nss, file);
    expect(signatures, output).to.have.length(count);
    for (const s of signatures) {
      expect(s.valid, output).to.equal(true);
      expect(s.trusted, output).to.equal(true);
    }
    expect(qpdfCheck(file).status, qpdfCheck(file).output).to.equal(0);
  }

  it("seals a pdf-lib PDF (classic xref) so pdfsig reports a valid, trusted signature", async function () {
    const sealed = await seal(plain, 2);
    expect(isPrefix(plain, sealed)).to.equal(true);
    const file = save("pdflib-sealed.pdf", sealed);
    expectAllValid(file, 1);
    const [sig] = pdfsig(nss, file).signatures;
    expect(sig.field).to.equal("Seal1");
    expect(sig.totalDocument).to.equal(true);
    expect(sig.commonName).to.equal("市场监督管理局 seal");
  });

  it("seals a third-party PDF with object streams and an xref stream, answering with an xref stream", async function () {
    const objstm = withObjectStreams(plain, dir);
    expect(Buffer.from(objstm).toString("latin1")).to.include("/ObjStm");
    const sealed = await seal(objstm, 1);
    expect(isPrefix(objstm, sealed)).to.equal(true);
    const update = Buffer.from(sealed.subarray(objstm.length)).toString("latin1");
    expect(update).to.include("/Type /XRef");
    expect(update).not.to.match(/^xref$/m);
    expectAllValid(save("objstm-sealed.pdf", sealed), 1);
  });

  it("seals and countersigns a third-party PDF with object streams: pdfsig validates both, the verifier reads both", async function () {
    const objstm = withObjectStreams(plain, dir);
    const sealed = await seal(objstm, 2);
    const both = await countersignPdf(sealed, { ...countersignMark(), signer: pki.signerFor("SAMR", "chief"), role: "chief", signingTime: SIGNING_TIME });
    expect(isPrefix(objstm, sealed) && isPrefix(sealed, both)).to.equal(true);
    const file = save("objstm-countersigned.pdf", both);
    expectAllValid(file, 2);
    expect(pdfsig(nss, file).signatures.map((s) => s.field)).to.deep.equal(["Seal1", "Chief1"]);
    const read = await readPdfForVerification(both);
    expect(read.signatures.map((s) => [s.fieldName, s.revisionIndex])).to.deep.equal([
      ["Seal1", 1],
      ["Chief1", 2],
    ]);
    expect(read.pageCount).to.equal(2);
  });

  it("reads /Annots, the AcroForm and its fields from object streams and the MediaBox from the page tree", async function () {
    // A field named Seal1 already exists (in an object stream), the page inherits a 300 pt square
    // MediaBox from its parent, and /Annots is an indirect array in another object stream.
    const form = xrefStreamPdf(
      [
        { num: 1, body: "<< /Type /Catalog /Pages 2 0 R /AcroForm 4 0 R >>" },
        { num: 2, body: "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 300 300] >>" },
        { num: 3, body: "<< /Type /Page /Parent 2 0 R /Annots 7 0 R >>" },
      ],
      [
        {
          num: 8,
          members: [
            { num: 4, body: "<< /Fields 5 0 R /DA (/Helv 0 Tf 0 g) >>" },
            { num: 5, body: "[6 0 R]" },
            { num: 6, body: "<< /FT /Tx /T (Seal1) /Type /Annot /Subtype /Widget /Rect [10 10 60 30] /P 3 0 R >>" },
          ],
        },
        { num: 9, members: [{ num: 7, body: "[6 0 R]" }] },
      ],
    );
    const outside = sealPdf(form, { signer: pki.signerFor("SAMR", "seal"), sealName: "市场监督管理局", sealFont, page: 1, x: 200, y: 80, size: 119, signingTime: SIGNING_TIME });
    await expectRejectedWith(outside, "SEAL_OUTSIDE_PAGE");
    const sealed = await sealPdf(form, { signer: pki.signerFor("SAMR", "seal"), sealName: "市场监督管理局", sealFont, page: 1, x: 100, y: 80, size: 119, signingTime: SIGNING_TIME });
    const update = Buffer.from(sealed.subarray(form.length)).toString("latin1");
    // The indirect /Annots array is replaced by number, holding the old widget and the new one.
    expect(update).to.match(/(^|\n)7 0 obj\n\[ 6 0 R \d+ 0 R \]/);
    const file = save("objstm-form-sealed.pdf", sealed);
    expectAllValid(file, 1);
    expect(pdfsig(nss, file).signatures[0].field).to.equal("Seal2");
  });

  it("countersigns a sealed PDF: two signatures in two fields, both valid", async function () {
    const sealed = await seal(plain, 1);
    const both = await countersignPdf(sealed, {
    ...countersignMark(),
      signer: pki.signerFor("SAMR", "chief"),
      role: "chief",
      signingTime: SIGNING_TIME,
    });
    expect(isPrefix(sealed, both)).to.equal(true);
    const file = save("countersigned.pdf", both);
    expectAllValid(file, 2);
    const sigs = pdfsig(nss, file).signatures;
    expect(sigs.map((s) => s.field)).to.deep.equal(["Seal1", "Chief1"]);
    expect(sigs.map((s) => s.totalDocument)).to.deep.equal([false, true]);
  });

  it("keeps a DocMDP certification valid when a second signature follows", async function () {
    const certified = await sealPdf(plain, {
      signer: pki.signerFor("SAMR", "seal"),
      sealName: "市场监督管理局",
      sealFont,
      page: 1,
      signingTime: SIGNING_TIME,
      certify: true,
    });
    const text = Buffer.from(certified.subarray(plain.length)).toString("latin1");
    expect(text).to.match(/\/TransformMethod \/DocMDP/);
    expect(text).to.match(/\/Perms <<[\s\S]*\/DocMDP \d+ 0 R/);
    const both = await countersignPdf(certified, { ...countersignMark(), signer: pki.signerFor("SAMR", "staff"), role: "staff", signingTime: SIGNING_TIME });
    expectAllValid(save("certified-countersigned.pdf", both), 2);
  });

  it("names a third signature field uniquely when the same role signs again", async function () {
    let pdf = await seal(plain, 1);
    pdf = await countersignPdf(pdf, { ...countersignMark(), signer: pki.signerFor("SAMR", "chief"), role: "chief", signingTime: SIGNING_TIME });
    pdf = await countersignPdf(pdf, { ...countersignMark(), signer: pki.signerFor("SAMR", "chief"), role: "chief", signingTime: SIGNING_TIME });
    const file = save("three.pdf", pdf);
    const { signatures, output } = pdfsig(nss, file);
    expect(signatures.map((s) => s.field)).to.deep.equal(["Seal1", "Chief1", "Chief2"]);
    expect(signatures.map((s) => s.valid), output).to.deep.equal([true, true, true]);
    // poppler 22 + NSS report "Unknown issue with Certificate" for the second signature by the
    // same certificate within one pdfsig run (openssl cms -verify accepts it); trust is therefore
    // asserted for the first use of each certificate only.
    expect(signatures.map((s) => s.trusted).slice(0, 2), output).to.deep.equal([true, true]);
    expect(qpdfCheck(file).status).to.equal(0);
  });

  it("signs with an RSA-2048 key so that pdfsig validates it too", async function () {
    const sealed = await seal(plain, 1, pki.signerFor("SAMR", "seal", "rsa-2048"));
    expectAllValid(save("rsa-sealed.pdf", sealed), 1);
  });
});
