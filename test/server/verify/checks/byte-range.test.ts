// The byte-range check against signature wrapping and the ByteRange variants of universal
// signature forgery: each forgery is built from a signature our code made and must come back
// invalid with its exact code, while the untouched signature stays valid.
import { expect } from "chai";
import { createHash } from "node:crypto";
import { DEMO_DEPARTMENTS } from "../../../../server/demo/departments";
import { countersignPdf } from "../../../../server/pdf/countersign-pdf";
import { countersignMark } from "../../pdf/countersign-mark";
import { buildCmsSignature } from "../../../../server/pdf/sign/cms";
import { verifyPdf } from "../../../../server/verify";
import {
  appendUpdate,
  makeSignedSamples,
  objectBody,
  signatureObjectNumber,
  signatureSpans,
  withByteRange,
  withContentsBytes,
  withoutByteRange,
  withWidenedGap,
  type SignedSamples,
} from "../fixtures/forgery-fixtures";
import { brief, resultFor } from "../fixtures/report-tools";
import { tempDir } from "../../pdf/signature-tools";

const SIGNED_AT = new Date("2025-03-01T08:00:00Z");

describe("byte-range check", function () {
  let s: SignedSamples;

  before(async function () {
    s = await makeSignedSamples(tempDir("byte-range"));
  });

  async function byteRangeOf(pdf: Uint8Array, index = 0) {
    const report = await verifyPdf(pdf);
    return { report, result: resultFor(report, "byte-range", index) };
  }

  it("accepts our signature: gap is the /Contents string, ranges end at the revision end", async function () {
    const { result, report } = await byteRangeOf(s.ecdsa);
    expect(result.status, brief(report)).to.equal("valid");
    expect(result.data).to.include({ revision: 1, coversWholeFile: true });
  });

  it("accepts both signatures of a countersigned file; the first covers revision 1 only", async function () {
    const report = await verifyPdf(s.twice);
    expect(resultFor(report, "byte-range", 0)).to.deep.include({ status: "valid" });
    expect(resultFor(report, "byte-range", 0).data).to.include({ revision: 1, coversWholeFile: false });
    expect(resultFor(report, "byte-range", 1).data).to.include({ revision: 2, coversWholeFile: true });
  });

  it("accepts a range ending right after %%EOF when the end of line belongs to the next update (node-signpdf's second signature)", async function () {
    // The signed revision ends with "%%EOF" and no end of line; the countersignature's update
    // starts with the newline, which a reader assigns to the earlier revision's end.
    const stripped = s.ecdsa.subarray(0, s.ecdsa.length - 1);
    const br = signatureSpans(s.ecdsa).byteRange;
    const rewritten = withByteRange(stripped, `[${[br[0], br[1], br[2], br[3] - 1].join(" ")}]`);
    const spans = signatureSpans(rewritten);
    const digest = createHash("sha256").update(rewritten.subarray(0, spans.contentsStart)).update(rewritten.subarray(spans.contentsEnd)).digest();
    const signer = s.pki.signerFor(DEMO_DEPARTMENTS[0].code, "staff");
    const resigned = withContentsBytes(rewritten, await buildCmsSignature({ signer, contentDigest: digest, signingTime: SIGNED_AT }));
    const twice = await countersignPdf(resigned, { ...countersignMark(), signer: s.pki.signerFor(DEMO_DEPARTMENTS[0].code, "chief"), role: "chief", signingTime: SIGNED_AT });
    expect(Buffer.from(twice.subarray(resigned.length - 5, resigned.length + 1)).toString("latin1")).to.equal("%%EOF\n");

    const report = await verifyPdf(twice);
    for (const check of ["byte-range", "signature-integrity", "modifications"] as const) {
      expect(resultFor(report, check, 0).status, `${check}: ${brief(report)}`).to.equal("valid");
      expect(resultFor(report, check, 1).status, `${check}: ${brief(report)}`).to.equal("valid");
    }
    expect(resultFor(report, "byte-range", 0).data).to.include({ revision: 1, coversWholeFile: false });
  });

  const forgeries: { name: string; build: () => Uint8Array; code: string }[] = [
    { name: "a missing /ByteRange", build: () => withoutByteRange(s.ecdsa), code: "BYTE_RANGE_MISSING" },
    { name: "/ByteRange null", build: () => withByteRange(s.ecdsa, "null"), code: "BYTE_RANGE_MISSING" },
    { name: "an empty /ByteRange []", build: () => withByteRange(s.ecdsa, "[]"), code: "BYTE_RANGE_MISSING" },
    { name: "three numbers", build: () => withByteRange(s.ecdsa, "[0 10 20]"), code: "BYTE_RANGE_MALFORMED" },
    { name: "a negative length", build: () => withByteRange(s.ecdsa, "[0 -10 20 30]"), code: "BYTE_RANGE_MALFORMED" },
    { name: "a non-number entry", build: () => withByteRange(s.ecdsa, "[0 /a 20 30]"), code: "BYTE_RANGE_MALFORMED" },
    { name: "a second range that starts inside the first", build: () => wrapped([0, 500, 400, 100]), code: "BYTE_RANGE_MALFORMED" },
    { name: "a range not starting at 0", build: () => shifted((br) => [5, br[1] - 5, br[2], br[3]]), code: "BYTE_RANGE_NOT_AT_START" },
    { name: "a range reaching past the end of the file", build: () => shifted((br) => [0, br[1], br[2], br[3] + 1000]), code: "BYTE_RANGE_OUT_OF_FILE" },
    { name: "a gap smaller than /Contents", build: () => shifted((br) => [0, br[1] + 10, br[2], br[3]]), code: "BYTE_RANGE_GAP_NOT_CONTENTS" },
    { name: "a gap larger than /Contents", build: () => shifted((br) => [0, br[1] - 10, br[2], br[3]]), code: "BYTE_RANGE_GAP_NOT_CONTENTS" },
    { name: "a signed end short of the revision end", build: () => shifted((br) => [0, br[1], br[2], br[3] - 10]), code: "BYTE_RANGE_NOT_REVISION_END" },
    { name: "a widened gap hiding injected text (wrapping)", build: () => withWidenedGap(s.ecdsa, "\n/Injected (unsigned text hidden in the gap)"), code: "BYTE_RANGE_GAP_NOT_CONTENTS" },
  ];

  function wrapped(br: number[]): Uint8Array {
    return withByteRange(s.ecdsa, `[${br.join(" ")}]`);
  }

  function shifted(f: (br: number[]) => number[]): Uint8Array {
    return wrapped(f(signatureSpans(s.ecdsa).byteRange));
  }

  for (const f of forgeries) {
    it(`rejects ${f.name} with ${f.code}`, async function () {
      const { result, report } = await byteRangeOf(f.build());
      expect(result.status, brief(report)).to.equal("invalid");
      expect(result.code, brief(report)).to.equal(f.code);
      expect(report.verdict).to.equal("invalid");
    });
  }

  it("rejects the signature dictionary copied into a later revision (its gap is the old /Contents)", async function () {
    const num = signatureObjectNumber(s.ecdsa);
    const forged = appendUpdate(s.ecdsa, [{ objectNumber: num, body: objectBody(s.ecdsa, num) }]);
    const report = await verifyPdf(forged);
    expect(resultFor(report, "byte-range", 0).status, brief(report)).to.equal("valid");
    expect(resultFor(report, "byte-range", 1)).to.deep.include({ status: "invalid", code: "BYTE_RANGE_GAP_NOT_CONTENTS" });
    expect(report.verdict).to.equal("invalid");
  });

  it("rejects a copy of the signature in a new object of a later revision", async function () {
    const num = signatureObjectNumber(s.ecdsa);
    const forged = appendUpdate(s.ecdsa, [{ objectNumber: 90, body: objectBody(s.ecdsa, num) }]);
    const report = await verifyPdf(forged);
    expect(resultFor(report, "byte-range", 1)).to.deep.include({ status: "invalid", code: "BYTE_RANGE_GAP_NOT_CONTENTS" });
  });

  it("skips with NO_SIGNATURES on an unsigned file", async function () {
    const report = await verifyPdf(s.unsigned);
    expect(report.checks.filter((c) => c.id === "byte-range")).to.deep.equal([
      { id: "byte-range", status: "skipped", code: "NO_SIGNATURES", reason: "The PDF carries no signature." },
    ]);
  });
});
