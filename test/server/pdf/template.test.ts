import { expect } from "chai";
import { BadRequestError } from "../../../server/errors";
import { generateCertificateIdentifier } from "../../../server/pdf/certificate-identifier";
import { demoTemplate } from "../../../server/pdf/demo-template";
import { parseTemplate, TEMPLATE_LIMITS } from "../../../server/pdf/template";
import { TemplateError } from "../../../server/pdf/template-error";

const fixedBytes = (n: number) => new Uint8Array(n).fill(7);

function rejection(json: unknown): TemplateError {
  try {
    parseTemplate(json);
  } catch (err) {
    expect(err).to.be.instanceOf(TemplateError);
    return err as TemplateError;
  }
  throw new Error("parseTemplate accepted an invalid template");
}

function valid(): Record<string, unknown> {
  return JSON.parse(JSON.stringify(demoTemplate({ issueDate: "2026-11-23", randomBytes: fixedBytes })));
}

describe("certificate template", () => {
  it("accepts the demo 食品经营许可证 and returns it unchanged", () => {
    const t = parseTemplate(valid());
    expect(t.title).to.equal("食品经营许可证");
    expect(t.department).to.deep.equal({ code: "SAMR", name: "市场监督管理局" });
    expect(t.validUntil).to.equal("2031-11-22");
    expect(t.certificateIdentifier).to.equal("SAMR-20261123-0W3GE1R70W3GE1R7");
  });

  it("generates a different certificate identifier each time", () => {
    const a = demoTemplate({ issueDate: "2026-11-23" }).certificateIdentifier;
    const b = demoTemplate({ issueDate: "2026-11-23" }).certificateIdentifier;
    expect(a).to.match(/^SAMR-20261123-[0-9A-HJKMNP-TV-Z]{16}$/);
    expect(a).to.not.equal(b);
  });

  it("puts an operator's prefix in place of department and day, never in place of the random part", () => {
    const id = generateCertificateIdentifier({ departmentCode: "SAMR", issueDate: "2026-11-23", prefix: "SAMR0001", randomBytes: fixedBytes });
    expect(id).to.equal("SAMR0001-0W3GE1R70W3GE1R7");
    for (const prefix of ["", "SAMR/1", "-A", "A-", "x".repeat(41)]) {
      expect(() => generateCertificateIdentifier({ departmentCode: "SAMR", issueDate: "2026-11-23", prefix }), prefix).to.throw(RangeError);
    }
  });

  it("rejects a missing title with TEMPLATE_FIELD_MISSING as a 400", () => {
    const t = valid();
    delete t.title;
    const err = rejection(t);
    expect(err.code).to.equal("TEMPLATE_FIELD_MISSING");
    expect(err.field).to.equal("title");
    expect(err).to.be.instanceOf(BadRequestError);
    expect(err.httpStatus).to.equal(400);
  });

  it("rejects a missing department name with TEMPLATE_FIELD_MISSING", () => {
    const t = valid();
    t.department = { code: "SAMR" };
    expect(rejection(t)).to.include({ code: "TEMPLATE_FIELD_MISSING", field: "department.name" });
  });

  it("rejects an over-long holder value with TEMPLATE_FIELD_TOO_LONG", () => {
    const t = valid();
    (t.holder as { value: string }[])[3].value = "京".repeat(TEMPLATE_LIMITS.valueChars + 1);
    expect(rejection(t)).to.include({ code: "TEMPLATE_FIELD_TOO_LONG", field: "holder.3.value" });
  });

  it("accepts a holder value of exactly the maximum length", () => {
    const t = valid();
    (t.holder as { value: string }[])[3].value = "京".repeat(TEMPLATE_LIMITS.valueChars);
    expect(parseTemplate(t).holder[3].value).to.have.length(TEMPLATE_LIMITS.valueChars);
  });

  it("rejects an over-long title with TEMPLATE_FIELD_TOO_LONG", () => {
    const t = valid();
    t.title = "证".repeat(TEMPLATE_LIMITS.titleChars + 1);
    expect(rejection(t)).to.include({ code: "TEMPLATE_FIELD_TOO_LONG", field: "title" });
  });

  it("rejects more holder fields than allowed with TEMPLATE_TOO_MANY_FIELDS", () => {
    const t = valid();
    t.holder = Array.from({ length: TEMPLATE_LIMITS.holderFieldsMax + 1 }, (_, i) => ({ label: `项${i}`, value: "值" }));
    expect(rejection(t)).to.include({ code: "TEMPLATE_TOO_MANY_FIELDS", field: "holder" });
  });

  it("rejects an empty holder list with TEMPLATE_FIELD_MISSING", () => {
    const t = valid();
    t.holder = [];
    expect(rejection(t)).to.include({ code: "TEMPLATE_FIELD_MISSING", field: "holder" });
  });

  it("rejects holder values and body that together exceed the page budget with TEMPLATE_TOO_LONG", () => {
    const t = valid();
    t.holder = Array.from({ length: 6 }, (_, i) => ({ label: `项${i}`, value: "值".repeat(TEMPLATE_LIMITS.valueChars) }));
    expect(rejection(t)).to.include({ code: "TEMPLATE_TOO_LONG", field: "" });
  });

  it("rejects an unknown key with TEMPLATE_FIELD_UNKNOWN", () => {
    const t = valid();
    t.author = "someone";
    expect(rejection(t).code).to.equal("TEMPLATE_FIELD_UNKNOWN");
  });

  it("rejects a bidi override hidden in a value with TEMPLATE_FIELD_INVALID", () => {
    const t = valid();
    (t.holder as { value: string }[])[0].value = "北京\u202E公司";
    expect(rejection(t)).to.include({ code: "TEMPLATE_FIELD_INVALID", field: "holder.0.value" });
  });

  it("rejects an impossible date with TEMPLATE_FIELD_INVALID", () => {
    const t = valid();
    t.issueDate = "2026-02-30";
    expect(rejection(t)).to.include({ code: "TEMPLATE_FIELD_INVALID", field: "issueDate" });
  });

  it("rejects a validity that ends before issue with TEMPLATE_DATE_ORDER", () => {
    const t = valid();
    t.validUntil = "2026-11-22";
    expect(rejection(t)).to.include({ code: "TEMPLATE_DATE_ORDER", field: "validUntil" });
  });

  it("rejects an identifier that is not URL-safe with TEMPLATE_FIELD_INVALID", () => {
    const t = valid();
    t.certificateIdentifier = "SAMR/../../admin";
    expect(rejection(t)).to.include({ code: "TEMPLATE_FIELD_INVALID", field: "certificateIdentifier" });
  });

  it("rejects input that is not an object with TEMPLATE_NOT_OBJECT", () => {
    expect(rejection("食品经营许可证").code).to.equal("TEMPLATE_NOT_OBJECT");
    expect(rejection(null).code).to.equal("TEMPLATE_NOT_OBJECT");
  });
});
