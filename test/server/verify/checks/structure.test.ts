// The structure check: a signed file is well formed; an unsigned one has NO_SIGNATURES (and the
// per-signature checks are skipped); signature dictionaries no /ByteRange can protect are invalid.
import { expect } from "chai";
import { verifyPdf } from "../../../../server/verify";
import { makeSignedSamples, signatureSpans, overwrite, withContents, type SignedSamples } from "../fixtures/forgery-fixtures";
import { brief, resultsOf } from "../fixtures/report-tools";
import { tempDir } from "../../pdf/signature-tools";

describe("structure check", function () {
  let s: SignedSamples;

  before(async function () {
    s = await makeSignedSamples(tempDir("structure"));
  });

  it("accepts a signed file and reports its shape", async function () {
    const report = await verifyPdf(s.twice);
    expect(resultsOf(report, "structure")).to.deep.equal([
      { id: "structure", status: "valid", data: { revisions: 3, pages: 1, signatures: 2 } },
    ]);
  });

  it("reports NO_SIGNATURES as unknown on an unsigned file and skips the per-signature checks", async function () {
    const report = await verifyPdf(s.unsigned);
    expect(resultsOf(report, "structure")[0]).to.deep.include({ status: "unknown", code: "NO_SIGNATURES" });
    for (const id of ["byte-range", "signature-integrity"] as const) {
      expect(resultsOf(report, id)[0], brief(report)).to.deep.include({ status: "skipped", code: "NO_SIGNATURES" });
    }
    expect(report.verdict).to.equal("unknown");
  });

  it("rejects /Contents written as a literal string with SIGNATURE_DICT_MALFORMED", async function () {
    const forged = withContents(s.ecdsa, "(a literal string)");
    const report = await verifyPdf(forged);
    expect(resultsOf(report, "structure"), brief(report)).to.deep.equal([
      {
        id: "structure",
        status: "invalid",
        code: "SIGNATURE_DICT_MALFORMED",
        reason: "A signature dictionary's /Contents is not a hexadecimal string.",
        signature: 0,
        data: { defect: "contents-not-hex-string" },
      },
    ]);
    expect(report.verdict).to.equal("invalid");
  });

  it("rejects a second /Contents key in the same dictionary with SIGNATURE_DICT_MALFORMED", async function () {
    const sp = signatureSpans(s.ecdsa);
    // Overwrite the /M date entry that follows /Contents with a second, empty /Contents.
    const text = Buffer.from(s.ecdsa).toString("latin1");
    const m = text.indexOf("/M (D:", sp.contentsEnd);
    const end = text.indexOf(")", m) + 1;
    const report = await verifyPdf(overwrite(s.ecdsa, m, end, "/Contents <00>"));
    expect(resultsOf(report, "structure")[0]).to.deep.include({ status: "invalid", code: "SIGNATURE_DICT_MALFORMED", data: { defect: "duplicate-key" } });
  });
});
