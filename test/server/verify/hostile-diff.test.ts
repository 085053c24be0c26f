// The revision diff on files crafted to make it quadratic or worse, each built here: one update
// of 160 000 tiny objects after a signature, fields whose /Kids name one child twice 32 levels
// deep (2^32 paths), pages sharing one /Annots array, new signature fields sharing one /Kids
// array, a long flat page tree. Each asserts the code it gets and, where the walk assigns roles,
// that they are the ones a tree walk gives. No timing: a regression shows as a test timeout and
// in the benchmark.
import { expect } from "chai";
import { readPdfForVerification } from "../../../server/pdf/read/read-pdf";
import { loadRevisionObjects } from "../../../server/pdf/read/revision-objects";
import { createCertificateCache } from "../../../server/verify/certificate-cache";
import { revisionView } from "../../../server/verify/diff/pdf-values";
import { assignRoles } from "../../../server/verify/diff/roles";
import type { Report } from "../../../server/verify/types";
import { verifyPdf } from "../../../server/verify/verifier";
import { tempDir } from "../pdf/signature-tools";
import { appendUpdate, makeSignedSamples } from "./fixtures/forgery-fixtures";
import { assemblePdf } from "./fixtures/malformed-fixtures";
import { brief, resultFor } from "./fixtures/report-tools";

/** A signature dictionary whose /ByteRange ends in no revision: it signs revision 0, its CMS is junk. */
const FAKE_SIGNATURE = "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 1 2 3] /Contents <3000> >>";

function verify(pdf: Uint8Array): Promise<Report> {
  return verifyPdf(pdf, { certificates: createCertificateCache() });
}

/** The trailer values an update chains to: /Root, /Size and the last startxref. */
function lastTrailer(pdf: Uint8Array): { root: string; size: number; prev: number } {
  const text = Buffer.from(pdf).toString("latin1");
  const trailers = [...text.matchAll(/trailer\s*<<([\s\S]*?)>>\s*startxref/g)];
  const last = trailers[trailers.length - 1]?.[1] ?? "";
  const root = /\/Root\s+(\d+ \d+ R)/.exec(last)?.[1];
  const size = Number(/\/Size\s+(\d+)/.exec(last)?.[1]);
  const prev = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)?.[1]);
  if (!root || !Number.isInteger(size) || !Number.isInteger(prev)) throw new Error("no classic trailer to chain to");
  return { root, size, prev };
}

/**
 * `pdf` with one update defining `count` new objects ("null"), numbered from its /Size in one
 * xref subsection; `unlisted`, when given, is written among them (after the first half) with no
 * xref entry.
 */
function withTinyObjects(pdf: Uint8Array, count: number, unlisted?: string): Uint8Array {
  const { root, size, prev } = lastTrailer(pdf);
  const parts: string[] = ["\n"];
  const rows: string[] = [];
  let at = pdf.length + 1;
  for (let i = 0; i < count; i++) {
    if (unlisted !== undefined && i === count >> 1) {
      parts.push(unlisted);
      at += unlisted.length;
    }
    const obj = `${size + i} 0 obj\nnull\nendobj\n`;
    rows.push(`${String(at).padStart(10, "0")} 00000 n \n`);
    parts.push(obj);
    at += obj.length;
  }
  parts.push(`xref\n0 1\n0000000000 65535 f \n${size} ${count}\n${rows.join("")}`);
  parts.push(`trailer\n<< /Size ${size + count} /Root ${root} /Prev ${prev} >>\nstartxref\n${at}\n%%EOF\n`);
  return new Uint8Array(Buffer.concat([Buffer.from(pdf), Buffer.from(parts.join(""), "latin1")]));
}

const refs = (from: number, count: number): string => Array.from({ length: count }, (_, i) => `${from + i} 0 R`).join(" ");

describe("revision diff on hostile files", function () {
  describe("a signature, then one update of 160 000 tiny objects", function () {
    const COUNT = 160_000;
    let signed: Uint8Array;

    before(async function () {
      signed = (await makeSignedSamples(tempDir("hostile-diff"))).ecdsa;
    });

    it("keeps the signature intact and finds only permitted additions (new unreferenced objects)", async function () {
      const pdf = withTinyObjects(signed, COUNT);
      expect(pdf.length).to.be.greaterThan(7_000_000);
      const report = await verify(pdf);
      expect(resultFor(report, "signature-integrity", 0).status, brief(report)).to.equal("valid");
      const modifications = resultFor(report, "modifications", 0);
      expect(modifications.status, brief(report)).to.equal("valid");
      expect(modifications.data).to.deep.include({ signedRevision: 1, laterRevisions: 1 });
      expect(report.verdict).to.equal("unknown");
      expect(report.code).to.equal("OFFLINE");
    });

    it("still finds the one signed object redefined without an xref entry among them (SIGNED_OBJECT_OVERRIDDEN)", async function () {
      const catalog = Number(lastTrailer(signed).root.split(" ")[0]);
      const pdf = withTinyObjects(signed, COUNT, `${catalog} 0 obj\n<< /Type /Catalog >>\nendobj\n`);
      const report = await verify(pdf);
      const modifications = resultFor(report, "modifications", 0);
      expect(modifications.status, brief(report)).to.equal("invalid");
      expect(modifications.code).to.equal("SIGNED_OBJECT_OVERRIDDEN");
      expect(report.verdict).to.equal("invalid");
    });
  });

  it("walks fields whose /Kids name one child twice, 32 levels deep, once per field", async function () {
    // 1 catalog, 2 pages, 3 signature, 4 page, 5 AcroForm, 6… fields; field k's /Kids [k+1 k+1].
    const DEPTH = 32;
    const bodies = ["<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R >>", "<< /Type /Pages /Kids [4 0 R] /Count 1 >>", FAKE_SIGNATURE, "<< /Type /Page /Parent 2 0 R >>", "<< /Fields [6 0 R] >>"];
    for (let k = 0; k < DEPTH; k++) bodies.push(`<< /T (f${k}) /Kids [${k + 7} 0 R ${k + 7} 0 R] >>`);
    bodies.push("<< /T (leaf) /V (signed value) >>");
    const base = assemblePdf(bodies);
    const leaf = 6 + DEPTH;
    // The leaf is a plain field (depth 32, the deepest walked): changing its /V is form filling.
    const report = await verify(appendUpdate(base, [{ objectNumber: leaf, body: "<< /T (leaf) /V (changed) >>" }]));
    const modifications = resultFor(report, "modifications", 0);
    expect(modifications.status, brief(report)).to.equal("invalid");
    expect(modifications.code).to.equal("FORM_VALUE_CHANGED");
    const roles = await rolesOf(base, [leaf]);
    expect(roles.get(6)).to.deep.equal({ role: "field", label: "f0" });
    expect(roles.get(leaf)).to.deep.equal({ role: "field", label: "leaf" });
  });

  it("walks an /Annots array shared by 2 000 pages once, giving each annotation the first page's role", async function () {
    // 1 catalog, 2 pages, 3 signature, 4 the shared /Annots, 5… annotations, then the pages.
    const PAGES = 2_000;
    const ANNOTS = 2_000;
    const firstPage = 5 + ANNOTS;
    const bodies = ["<< /Type /Catalog /Pages 2 0 R >>", `<< /Type /Pages /Kids [${refs(firstPage, PAGES)}] /Count ${PAGES} >>`, FAKE_SIGNATURE, `[${refs(5, ANNOTS)}]`];
    for (let i = 0; i < ANNOTS; i++) bodies.push(`<< /Type /Annot /Subtype /Text /Rect [0 0 1 1] /Contents (note ${i}) >>`);
    for (let i = 0; i < PAGES; i++) bodies.push("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] /Annots 4 0 R >>");
    const base = assemblePdf(bodies);
    const last = 4 + ANNOTS;
    const report = await verify(appendUpdate(base, [{ objectNumber: last, body: "<< /Type /Annot /Subtype /Text /Rect [0 0 1 1] /Contents (edited) >>" }]));
    const modifications = resultFor(report, "modifications", 0);
    expect(modifications.status, brief(report)).to.equal("invalid");
    expect(modifications.code).to.equal("ANNOTATION_CHANGED");
    const roles = await rolesOf(base, [last]);
    expect(roles.get(4)).to.deep.equal({ role: "annots", page: 1 });
    expect(roles.get(last)).to.deep.equal({ role: "annotation", page: 1, label: undefined });
  });

  it("numbers 20 000 pages of a flat page tree in order", async function () {
    const PAGES = 20_000;
    const bodies = ["<< /Type /Catalog /Pages 2 0 R >>", `<< /Type /Pages /Kids [${refs(4, PAGES)}] /Count ${PAGES} >>`, FAKE_SIGNATURE];
    for (let i = 0; i < PAGES; i++) bodies.push("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>");
    const base = assemblePdf(bodies);
    const lastPage = 3 + PAGES;
    const report = await verify(appendUpdate(base, [{ objectNumber: lastPage, body: "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 99 99] >>" }]));
    const modifications = resultFor(report, "modifications", 0);
    expect(modifications.status, brief(report)).to.equal("invalid");
    expect(modifications.code).to.equal("PAGE_CONTENT_CHANGED");
    const roles = await rolesOf(base, [lastPage]);
    expect(roles.get(4)).to.deep.equal({ role: "page", page: 1 });
    expect(roles.get(lastPage)).to.deep.equal({ role: "page", page: PAGES });
  });

  describe("2 000 new signature fields sharing one /Kids array of 2 000 widgets", function () {
    const FIELDS = 2_000;
    const WIDGETS = 2_000;

    /** Revision 0 with an empty form; the update adds the fields, the shared /Kids (6) and the widgets. */
    function withSharedKids(widget: (i: number) => string): Uint8Array {
      const base = assemblePdf(["<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R >>", "<< /Type /Pages /Kids [4 0 R] /Count 1 >>", FAKE_SIGNATURE, "<< /Type /Page /Parent 2 0 R >>", "<< /Fields [] >>"]);
      const firstWidget = 7;
      const firstField = firstWidget + WIDGETS;
      const objects = [
        { objectNumber: 5, body: `<< /Fields [${refs(firstField, FIELDS)}] >>` },
        { objectNumber: 6, body: `[${refs(firstWidget, WIDGETS)}]` },
        ...Array.from({ length: WIDGETS }, (_, i) => ({ objectNumber: firstWidget + i, body: widget(i) })),
        ...Array.from({ length: FIELDS }, (_, i) => ({ objectNumber: firstField + i, body: `<< /FT /Sig /T (f${i}) /Kids 6 0 R >>` })),
      ];
      return appendUpdate(base, objects);
    }

    it("permits them as signing when no widget shows anything", async function () {
      const report = await verify(withSharedKids(() => "<< /Subtype /Widget /AP << /N 3 0 R >> >>"));
      expect(resultFor(report, "modifications", 0).status, brief(report)).to.equal("valid");
    });

    it("judges every one an annotation (ANNOTATION_CHANGED) when the last shared widget is visible", async function () {
      const report = await verify(
        withSharedKids((i) => (i === WIDGETS - 1 ? "<< /Subtype /Widget /Rect [0 0 50 20] /AP << /N 3 0 R >> >>" : "<< /Subtype /Widget /AP << /N 3 0 R >> >>")),
      );
      const modifications = resultFor(report, "modifications", 0);
      expect(modifications.status, brief(report)).to.equal("invalid");
      expect(modifications.code).to.equal("ANNOTATION_CHANGED");
    });
  });
});

/** The roles revision 0 of `pdf` gives, walked until `wanted` all have one. */
async function rolesOf(pdf: Uint8Array, wanted: number[]): Promise<ReturnType<typeof assignRoles>> {
  const parsed = await readPdfForVerification(pdf);
  return assignRoles(revisionView(loadRevisionObjects(parsed.file), 0), new Set(wanted));
}
