// The modifications check against real signed PDFs: sign with our code, tamper with a hand-made
// incremental update (ISA, shadow hide / replace / hide-and-replace), assert the exact code and
// that the reason names what changed; benign updates (countersignature, second seal, empty
// update, DSS-free metadata, form filling under DocMDP P2) stay valid, and pdfsig agrees.
import { expect } from "chai";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { PDFArray, PDFDict, PDFName, PDFRef, type PDFObject } from "pdf-lib";
import { DEMO_DEPARTMENTS } from "../../../../server/demo/departments";
import { countersignPdf } from "../../../../server/pdf/countersign-pdf";
import { countersignMark } from "../../pdf/countersign-mark";
import { loadCertificateFonts, type LoadedFont } from "../../../../server/pdf/fonts";
import { readPdfForVerification } from "../../../../server/pdf/read/read-pdf";
import { sealPdf } from "../../../../server/pdf/seal-pdf";
import { ensureDevPki, type DevPki } from "../../../../server/pki/dev-pki";
import { derToPem } from "../../../../server/pki/pem";
import { createCertificateCache } from "../../../../server/verify/certificate-cache";
import { modificationsCheck } from "../../../../server/verify/checks/modifications";
import { verifyPdf } from "../../../../server/verify/verifier";
import type { VerifyContext } from "../../../../server/verify/context";
import type { CheckResult } from "../../../../server/verify/types";
import { makePdfLibPdf, withObjectStreams } from "../../pdf/fixtures";
import { createTrustedNssDb, pdfsig, tempDir } from "../../pdf/signature-tools";
import {
  appendUpdate,
  body,
  docObjects,
  makeEmptySignatureFieldPdf,
  makeFormPdf,
  makeOverlayPdf,
  sneakyAppearanceBody,
  streamBody,
  withSneakySignatureField,
  type OverlayPdf,
  type UpdateObject,
} from "../fixtures/modification-attacks";

const SIGNING_TIME = new Date("2025-03-01T08:00:00Z");

async function runCheck(pdfBytes: Uint8Array): Promise<CheckResult[]> {
  const pdf = await readPdfForVerification(pdfBytes);
  const memo = new Map<string, Promise<unknown>>();
  const ctx: VerifyContext = {
    pdf,
    certificates: createCertificateCache(),
    earlier: [],
    memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
      if (!memo.has(key)) memo.set(key, compute());
      return memo.get(key) as Promise<T>;
    },
  };
  const out = await modificationsCheck.run(ctx);
  return Array.isArray(out) ? out : [out];
}

describe("modifications check", function () {
  let dir: string;
  let pki: DevPki;
  let nss: string;
  let sealFont: LoadedFont;
  let plain: Uint8Array;
  let sealed: Uint8Array;
  let certified: Uint8Array;

  const seal = (pdf: Uint8Array, opts: { certify?: boolean; x?: number } = {}): Promise<Uint8Array> =>
    sealPdf(pdf, {
      signer: pki.signerFor("SAMR", "seal"),
      sealName: "市场监督管理局",
      sealFont,
      page: 1,
      x: opts.x ?? 380,
      y: 80,
      size: 119,
      signingTime: SIGNING_TIME,
      certify: opts.certify,
    });
  const countersign = (pdf: Uint8Array): Promise<Uint8Array> =>
    countersignPdf(pdf, { ...countersignMark(), signer: pki.signerFor("SAMR", "chief"), role: "chief", signingTime: SIGNING_TIME });

  async function expectInvalid(pdf: Uint8Array, code: string, names: RegExp, signature = 0): Promise<CheckResult> {
    const results = await runCheck(pdf);
    const r = results.find((x) => x.signature === signature);
    expect(r?.status, r?.reason).to.equal("invalid");
    expect(r?.code, r?.reason).to.equal(code);
    expect(r?.reason).to.match(new RegExp(names.source, "i"));
    return r as CheckResult;
  }

  async function expectAllValid(pdf: Uint8Array, count: number): Promise<void> {
    const results = await runCheck(pdf);
    expect(results).to.have.length(count);
    for (const r of results) expect(r.status, r.reason).to.equal("valid");
  }

  function expectPdfsigValid(pdf: Uint8Array, name: string, count: number): void {
    const file = path.join(dir, name);
    writeFileSync(file, pdf);
    const { signatures, output } = pdfsig(nss, file);
    expect(signatures, output).to.have.length(count);
    for (const s of signatures) expect(s.valid, output).to.equal(true);
  }

  before(async function () {
    dir = tempDir("modifications");
    pki = await ensureDevPki(path.join(dir, "data"), DEMO_DEPARTMENTS.slice(0, 1), { now: SIGNING_TIME });
    nss = createTrustedNssDb([...pki.caCertificates.values()].map((der) => derToPem(der, "CERTIFICATE")));
    sealFont = loadCertificateFonts().bold;
    plain = await makePdfLibPdf();
    sealed = await seal(plain);
    certified = await seal(plain, { certify: true });
  });

  describe("permitted updates", function () {
    it("accepts a signature with nothing after it", async function () {
      const [r] = await runCheck(sealed);
      expect(r).to.include({ status: "valid", signature: 0 });
    });

    it("accepts a countersignature after a seal, and pdfsig agrees", async function () {
      const twice = await countersign(sealed);
      await expectAllValid(twice, 2);
      expectPdfsigValid(twice, "countersigned.pdf", 2);
    });

    it("accepts a second visible seal on a sealed document, and pdfsig agrees", async function () {
      const two = await seal(sealed, { x: 100 });
      await expectAllValid(two, 2);
      expectPdfsigValid(two, "two-seals.pdf", 2);
    });

    it("accepts a countersignature after a DocMDP P2 certification", async function () {
      const results = await runCheck(await countersign(certified));
      expect(results.map((r) => r.status)).to.deep.equal(["valid", "valid"]);
      expect(results[0].data).to.include({ docMdpPermission: 2 });
    });

    it("accepts an empty incremental update after the last signature, and pdfsig agrees", async function () {
      const empty = appendUpdate(sealed, {}).bytes;
      await expectAllValid(empty, 1);
      expectPdfsigValid(empty, "empty-update.pdf", 1);
    });

    it("accepts seal and countersignature on a PDF with object streams and xref streams", async function () {
      const objstm = withObjectStreams(plain, dir);
      const twice = await countersign(await seal(objstm));
      await expectAllValid(twice, 2);
      expectPdfsigValid(twice, "objstm-countersigned.pdf", 2);
    });

    it("accepts an update that only replaces /Info (metadata is not what the page shows)", async function () {
      const { info } = await docObjects(sealed);
      const update = appendUpdate(sealed, { objects: [{ num: 900, body: "<< /Producer (Other tool) /ModDate (D:20250302000000Z) >>" }], info: 900 });
      await expectAllValid(update.bytes, 1);
      expect(info).to.be.a("number");
      expectPdfsigValid(update.bytes, "info-only.pdf", 1);
    });
  });

  describe("incremental saving attack (ISA)", function () {
    it("rejects an update that rewrites the page's content stream", async function () {
      const { contents } = await docObjects(sealed);
      const num = contents[0].objectNumber;
      const attacked = appendUpdate(sealed, { objects: [{ num, body: streamBody("BT /F1 18 Tf 72 760 Td (Refund: 1,000,000) Tj ET") }] });
      await expectInvalid(attacked.bytes, "PAGE_CONTENT_CHANGED", new RegExp(`content stream \\(object ${num}\\), drawn by page 1`));
    });

    it("rejects an update that adds a page", async function () {
      const o = await docObjects(sealed);
      const pages = o.doc.context.obj({ Type: "Pages", Kids: [PDFRef.of(o.page1.objectNumber, 0), PDFRef.of(901, 0)], Count: 2 });
      const attacked = appendUpdate(sealed, {
        objects: [
          { num: o.pages, body: body(pages) },
          { num: 901, body: `<< /Type /Page /Parent ${o.pages} 0 R /MediaBox [0 0 595 842] /Contents 902 0 R >>` },
          { num: 902, body: streamBody("BT /F1 18 Tf 72 760 Td (Annex: refund approved) Tj ET") },
        ],
      });
      const r = await expectInvalid(attacked.bytes, "PAGE_CONTENT_CHANGED", new RegExp(`page tree node \\(object ${o.pages}\\) was changed: `));
      expect(r.reason).to.include("/Kids");
    });

    it("rejects an update that gives the catalog an /OpenAction", async function () {
      const o = await docObjects(sealed);
      const catalog = o.doc.catalog.clone();
      catalog.set(PDFName.of("OpenAction"), o.doc.context.obj({ S: "JavaScript", JS: "app.alert(1)" }));
      const attacked = appendUpdate(sealed, { objects: [{ num: o.catalog, body: body(catalog) }] });
      await expectInvalid(attacked.bytes, "CATALOG_CHANGED", /\/OpenAction added/);
    });

    it("rejects an update that rewrites the first signature's dictionary", async function () {
      const twice = await countersign(sealed);
      const o = await docObjects(twice);
      const sigNum = o.sigDict as number;
      const attacked = appendUpdate(twice, { objects: [{ num: sigNum, body: "<< /Type /Sig /Filter /Adobe.PPKLite /Reason (forged) >>" }] });
      await expectInvalid(attacked.bytes, "SIGNED_OBJECT_OVERRIDDEN", new RegExp(`signature dictionary of Seal1 \\(object ${sigNum}\\)`));
    });

    it("rejects an object body redefined in an update without a cross-reference entry", async function () {
      const { contents } = await docObjects(sealed);
      const num = contents[0].objectNumber;
      const attacked = appendUpdate(sealed, { objects: [{ num, body: streamBody("BT (forged) Tj ET"), listed: false }] });
      await expectInvalid(attacked.bytes, "SIGNED_OBJECT_OVERRIDDEN", new RegExp(`object ${num} is defined again in revision 3 without a cross-reference entry`));
    });

    it("blames only the signature before a forbidden change that a later signature covers", async function () {
      const { contents } = await docObjects(sealed);
      const num = contents[0].objectNumber;
      const changed = appendUpdate(sealed, { objects: [{ num, body: streamBody("BT (forged) Tj ET") }] }).bytes;
      const results = await runCheck(await countersign(changed));
      expect(results.map((r) => [r.status, r.code])).to.deep.equal([["invalid", "PAGE_CONTENT_CHANGED"], ["valid", undefined]]);
      expect(results[0].reason).to.match(/in revision 3, after signature 1 \(Seal1\)/);
    });

    it("rejects bytes appended after the last %%EOF", async function () {
      const attacked = new Uint8Array(Buffer.concat([Buffer.from(sealed), Buffer.from("5 0 obj\n<< /Forged true >>\nendobj\n")]));
      await expectInvalid(attacked, "UNSIGNED_CHANGES_AFTER_SIGNATURE", /bytes follow the last revision/);
    });
  });

  describe("shadow attacks", function () {
    let overlay: OverlayPdf;
    let overlaySealed: Uint8Array;

    before(async function () {
      overlay = await makeOverlayPdf();
      overlaySealed = await seal(overlay.bytes);
    });

    it("accepts the staged document itself when nothing follows the signature", async function () {
      await expectAllValid(overlaySealed, 1);
    });

    it("hide: rejects an update that redefines the overlay XObject as empty", async function () {
      const attacked = appendUpdate(overlaySealed, { objects: [{ num: overlay.overlay, body: streamBody("", "/Type /XObject /Subtype /Form /BBox [0 0 595 841]") }] });
      await expectInvalid(attacked.bytes, "PAGE_CONTENT_CHANGED", new RegExp(`form XObject \\(object ${overlay.overlay}\\), drawn by page 1, was changed`));
    });

    it("hide: rejects an xref-only update pointing the overlay at a signed but unlisted body", async function () {
      const attacked = appendUpdate(overlaySealed, { redirect: [{ num: overlay.overlay, offset: overlay.stagedOverlayOffset }] });
      await expectInvalid(attacked.bytes, "PAGE_CONTENT_CHANGED", new RegExp(`form XObject \\(object ${overlay.overlay}\\), drawn by page 1, was changed`));
    });

    it("hide: rejects an update that frees the overlay's xref entry", async function () {
      const attacked = appendUpdate(overlaySealed, { free: [overlay.overlay] });
      await expectInvalid(attacked.bytes, "PAGE_CONTENT_CHANGED", new RegExp(`object ${overlay.overlay}\\), drawn by page 1, was deleted`));
    });

    it("replace: rejects an update that swaps the page's font", async function () {
      const { font } = await docObjects(sealed);
      const attacked = appendUpdate(sealed, { objects: [{ num: font.objectNumber, body: "<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>" }] });
      await expectInvalid(attacked.bytes, "PAGE_CONTENT_CHANGED", new RegExp(`font \\(object ${font.objectNumber}\\), drawn by page 1, was changed`));
    });

    it("replace: rejects a FreeText overlay annotation on an approval signature", async function () {
      const attacked = await withFreeText(sealed);
      await expectInvalid(attacked, "ANNOTATION_CHANGED", /a \/FreeText annotation \(object 950\) was added on page 1/);
    });

    it("replace: rejects a FreeText overlay annotation as a DocMDP P2 violation on a certified document", async function () {
      const attacked = await withFreeText(certified);
      await expectInvalid(attacked, "DOCMDP_VIOLATION", /\/FreeText annotation \(object 950\)/);
    });

    it("replace: rejects a changed form value after an approval signature", async function () {
      const attacked = await withAmount(await seal(await makeFormPdf()), "999");
      await expectInvalid(attacked.bytes, "FORM_VALUE_CHANGED", new RegExp(`value of form field amount \\(object ${attacked.field}\\) was changed`));
    });

    it("accepts form filling after a DocMDP P2 certification (P2 permits it)", async function () {
      const attacked = await withAmount(await seal(await makeFormPdf(), { certify: true }), "999");
      await expectAllValid(attacked.bytes, 1);
    });

    it("hide-and-replace: rejects an update that points the trailer at a staged, hidden catalog", async function () {
      const attacked = appendUpdate(overlaySealed, { root: overlay.hiddenCatalog });
      await expectInvalid(attacked.bytes, "CATALOG_CHANGED", new RegExp(`trailer's /Root now names object ${overlay.hiddenCatalog}`));
    });

    it("hide-and-replace: rejects an update that rewrites every object of the document", async function () {
      const o = await docObjects(sealed);
      const catalog = o.doc.catalog.clone();
      catalog.set(PDFName.of("PageMode"), PDFName.of("UseNone"));
      const page = o.page1Dict.clone();
      page.set(PDFName.of("Rotate"), o.doc.context.obj(0));
      const attacked = appendUpdate(sealed, {
        objects: [
          { num: o.catalog, body: body(catalog) },
          { num: o.page1.objectNumber, body: body(page) },
          { num: o.contents[0].objectNumber, body: streamBody("BT (rewritten) Tj ET") },
          { num: o.font.objectNumber, body: "<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>" },
        ],
      });
      await expectInvalid(attacked.bytes, "CATALOG_CHANGED", /the catalog \(object \d+\): \/PageMode added .* \(and 3 other forbidden changes\)/);
    });
  });

  describe("sneaky signature attack (unsigned signature fields that draw)", function () {
    it("rejects an unsigned signature field drawing over page 1 after a DocMDP P2 certification", async function () {
      await expectInvalid(await withSneakySignatureField(certified), "DOCMDP_VIOLATION", /unsigned signature field "Witness" \(object 960\) with a visible appearance was added/);
    });

    it("rejects the same field after an approval signature as an annotation", async function () {
      await expectInvalid(await withSneakySignatureField(sealed), "ANNOTATION_CHANGED", /unsigned signature field "Witness" \(object 960\) with a visible appearance/);
    });

    it("rejects it when it shows only on rollover (/AP /R), and when its /V is no signature of the update", async function () {
      await expectInvalid(await withSneakySignatureField(certified, { appearance: "R" }), "DOCMDP_VIOLATION", /unsigned signature field "Witness" .* with a visible appearance/);
      await expectInvalid(await withSneakySignatureField(certified, { value: "(x)" }), "FORM_VALUE_CHANGED", /"Witness" \(object 960\) was added with a \/V that is no signature of this revision/);
      await expectInvalid(await withSneakySignatureField(certified, { value: "999 0 R" }), "FORM_VALUE_CHANGED", /was added with a \/V that is no signature/);
    });

    it("accepts an unsigned signature field that shows nothing: no area, or hidden", async function () {
      await expectAllValid(await withSneakySignatureField(certified, { rect: "[0 0 0 0]" }), 1);
      await expectAllValid(await withSneakySignatureField(certified, { hidden: true }), 1);
    });

    describe("on an empty signature field that existed before the certification", function () {
      let base: { pdf: Uint8Array; widget: number; appearance: number };
      let prepared: Uint8Array;

      before(async function () {
        base = await makeEmptySignatureFieldPdf();
        prepared = await seal(base.pdf, { certify: true, x: 100 });
      });

      /** `prepared` plus an update giving the empty field the sneaky appearance (object 961), `value` as its /V if given, and `extra` objects. */
      async function repainted(value?: PDFObject, extra: UpdateObject[] = []): Promise<Uint8Array> {
        const o = await docObjects(prepared);
        const widget = o.doc.context.lookup(PDFRef.of(base.widget), PDFDict).clone();
        widget.set(PDFName.of("AP"), o.doc.context.obj({ N: PDFRef.of(961, 0) }));
        if (value) widget.set(PDFName.of("V"), value);
        return appendUpdate(prepared, { objects: [{ num: base.widget, body: body(widget) }, { num: 961, body: sneakyAppearanceBody }, ...extra] }).bytes;
      }

      it("accepts the certified document with the empty field", async function () {
        await expectAllValid(prepared, 1);
      });

      it("rejects its appearance stream rewritten in place while it stays unsigned", async function () {
        const attacked = appendUpdate(prepared, { objects: [{ num: base.appearance, body: sneakyAppearanceBody }] }).bytes;
        await expectInvalid(attacked, "DOCMDP_VIOLATION", new RegExp(`object ${base.appearance}\\) of unsigned signature field Approver on page 1 was changed`));
      });

      it("rejects a new appearance given to the field while it stays unsigned", async function () {
        await expectInvalid(await repainted(), "DOCMDP_VIOLATION", new RegExp(`appearance of unsigned signature field Approver on page 1 \\(object ${base.widget}\\) was changed`));
      });

      it("rejects a new appearance with a /V that is no signature of the update: a string, a missing object, the certification's own", async function () {
        const certification = (await docObjects(prepared)).sigDict;
        expect(certification).to.be.a("number");
        for (const value of [PDFName.of("x"), PDFRef.of(999, 0), PDFRef.of(certification as number, 0)]) {
          await expectInvalid(await repainted(value), "FORM_VALUE_CHANGED", /signature field Approver on page 1 .* got a \/V that is no signature of this revision/);
        }
      });

      it("rejects a /V naming a new signature dictionary whose signed ranges end in an earlier revision", async function () {
        const [certification] = (await readPdfForVerification(prepared)).signatures;
        // A signature dictionary of this update, but its /ByteRange is the certification's.
        const copied = `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [${certification.byteRange.join(" ")}] /Contents <00> >>`;
        const attacked = await repainted(PDFRef.of(962, 0), [{ num: 962, body: copied }]);
        await expectInvalid(attacked, "FORM_VALUE_CHANGED", /got a \/V that is no signature of this revision/);
      });

      it("accepts the field's appearance replaced in the update that signs it", async function () {
        const signed = await repainted(PDFRef.of(962, 0), [
          { num: 962, body: "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 0 0 0] /Contents <00> >>" },
        ]);
        const results = await runCheck(signed);
        // The certification's result; the new signature's own bytes are other checks' business,
        // and they make the whole report invalid: a made-up signature buys nothing.
        expect(results[0], results[0].reason).to.include({ status: "valid", signature: 0 });
        expect((await verifyPdf(signed)).verdict).to.equal("invalid");
        expect((results[0].data as { permittedChanges: string[] }).permittedChanges.join("\n")).to.match(/empty signature field Approver .* was signed/);
      });
    });
  });

  describe("DocMDP", function () {
    it("rejects a countersignature after a P1 certification", async function () {
      const twice = Buffer.from(await countersign(certified));
      // Only this check reads /P: patching 2 → 1 in the signed dictionary breaks the digest, which
      // is signature-integrity's business, not this test's.
      const at = twice.indexOf("/TransformParams << /Type /TransformParams /P 2");
      expect(at).to.be.greaterThan(0);
      twice.write("1", at + "/TransformParams << /Type /TransformParams /P ".length, "latin1");
      await expectInvalid(new Uint8Array(twice), "DOCMDP_VIOLATION", /widget of a new signature field was added on page 1 in revision 3/);
    });
  });

  async function withFreeText(pdf: Uint8Array): Promise<Uint8Array> {
    const o = await docObjects(pdf);
    const page = o.page1Dict.clone();
    const existing = o.doc.context.lookupMaybe(o.page1Dict.get(PDFName.of("Annots")), PDFArray);
    const annots = o.doc.context.obj([...(existing?.asArray() ?? []), PDFRef.of(950, 0)]);
    page.set(PDFName.of("Annots"), annots);
    return appendUpdate(pdf, {
      objects: [
        { num: o.page1.objectNumber, body: body(page) },
        { num: 950, body: "<< /Type /Annot /Subtype /FreeText /Rect [60 690 540 730] /Contents (Refund approved: 1,000,000 yuan) /DA (/Helv 18 Tf 0 g) >>" },
      ],
    }).bytes;
  }

  async function withAmount(pdf: Uint8Array, value: string): Promise<{ bytes: Uint8Array; field: number }> {
    const o = await docObjects(pdf);
    const field = o.doc.getForm().getTextField("amount");
    const dict = field.acroField.dict.clone();
    dict.set(PDFName.of("V"), o.doc.context.obj(value));
    const fieldNum = field.ref.objectNumber;
    return { bytes: appendUpdate(pdf, { objects: [{ num: fieldNum, body: body(dict) }] }).bytes, field: fieldNum };
  }
});
