// The reader's object parser: pdf-lib's, with hex strings read in one step. Its values must be
// exactly pdf-lib's own (digits as written, white space and odd length kept), and a hex string
// without its ">" must still be refused as PDF_MALFORMED.
import { expect } from "chai";
import { PDFContext, PDFDict, PDFObjectParser } from "pdf-lib";
import { parseValueAt } from "../../../../server/pdf/read/parse-object";
import { PdfReadError } from "../../../../server/pdf/read/read-pdf";

const latin1 = (text: string) => new Uint8Array(Buffer.from(text, "latin1"));

describe("parseValueAt", function () {
  it("reads hex strings, top-level and nested, exactly as pdf-lib's own parser does", function () {
    const text = "<< /Contents <0a1B 2c\n3> /A [<ff> <>] /D << /H <414> >> /S (a<b>) >>";
    const context = PDFContext.create();
    const ours = parseValueAt(latin1(text), 0, text.length, 64, context).value;
    const theirs = PDFObjectParser.forBytes(latin1(text), context).parseObject();
    expect(ours).to.be.instanceOf(PDFDict);
    expect(ours.toString()).to.equal(theirs.toString());
    expect(ours.toString()).to.contain("<0a1B 2c\n3>");
  });

  it("refuses a hex string without its closing > with PDF_MALFORMED", function () {
    const text = "[<0a1b 2c";
    let code: string | undefined;
    try {
      parseValueAt(latin1(text), 0, text.length, 64, PDFContext.create());
    } catch (err) {
      if (err instanceof PdfReadError) code = err.reasonCode;
      else throw err;
    }
    expect(code).to.equal("PDF_MALFORMED");
  });
});
