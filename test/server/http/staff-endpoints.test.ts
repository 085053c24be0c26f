// The staff endpoints against a real node (Anvil chain, SQLite, anchoring queue, port 0): issue,
// seal, countersign, list, download and revoke, each with its refusals by exact status and code —
// no token, a bad token, another department's document, a document not yet anchored, hostile bodies.
import { expect } from "chai";
import { PDFDocument } from "pdf-lib";
import { findDocumentAnchors } from "../../../server/chain/anchor-lookup";
import { countersignPdf } from "../../../server/pdf/countersign-pdf";
import { demoTemplate } from "../../../server/pdf/demo-template";
import { verifyPdf } from "../../../server/verify";
import { countersignMark } from "../pdf/countersign-mark";
import { apart, inside, widgetRects, type Rect } from "../pdf/widget-rects";
import { minimalPdf } from "../verify/fixtures/malformed-fixtures";
import { startHttpFixture, type HttpFixture } from "./http-fixture";
import { call, expectError, multipartPdf, type Reply } from "./http-client";

type Doc = { id: string; docHashHex: string; kind: string; departmentCode: string; title: string; parentId?: string; anchoring: { status: string; anchor?: { batchId: number; proof: string[] } }; revocation?: { reasonCode: number; txHash: string } };

/** A template body as a client sends it: no department (the token's) and no identifier (generated). */
function templateBody(): Record<string, unknown> {
  const { department: _d, certificateIdentifier: _c, ...rest } = demoTemplate({ issueDate: "2026-01-05" });
  return rest;
}

describe("HTTP staff endpoints", function () {
  this.timeout(180_000);
  let f: HttpFixture;
  let issued: Doc;

  before(async function () {
    f = await startHttpFixture();
    const reply = await call<Doc>(f.baseUrl, "POST", "/api/certificates", { token: f.tokens.SAMR, json: templateBody() });
    expect(reply.status, JSON.stringify(reply.body)).to.equal(201);
    issued = reply.body;
  });
  after(async function () {
    await f?.close();
  });

  describe("authentication", function () {
    for (const [method, path] of [["POST", "/api/certificates"], ["POST", "/api/documents"], ["GET", "/api/documents"], ["POST", "/api/documents/X-1/countersignatures"], ["POST", "/api/documents/X-1/revocation"], ["GET", "/api/documents/X-1/pdf"]]) {
      it(`refuses ${method} ${path} without a token (401 TOKEN_MISSING) and with a bad one (401 TOKEN_INVALID)`, async function () {
        const none = await call(f.baseUrl, method, path);
        expectError(none, 401, "TOKEN_MISSING");
        expect(none.headers.get("www-authenticate")).to.match(/^Bearer/);
        expectError(await call(f.baseUrl, method, path, { token: "zs_nope_nope" }), 401, "TOKEN_INVALID");
        expectError(await call(f.baseUrl, method, path, { headers: { authorization: `Basic ${f.tokens.SAMR}` } }), 401, "TOKEN_INVALID");
        expectError(await call(f.baseUrl, method, path, { token: "x".repeat(5000) }), 401, "TOKEN_INVALID");
      });
    }

    it("refuses an expired token (401 TOKEN_EXPIRED) and a revoked one (401 TOKEN_REVOKED), but not to a guesser", async function () {
      const lapsed = f.store.tokens.createToken("SAMR", "lapsed");
      expect((await call(f.baseUrl, "GET", "/api/documents", { token: lapsed.secret })).status).to.equal(200);
      f.store.db.prepare("UPDATE api_tokens SET expires_at_ms = ? WHERE id = ?").run(Date.now() - 1, lapsed.tokenId);
      expectError(await call(f.baseUrl, "GET", "/api/documents", { token: lapsed.secret }), 401, "TOKEN_EXPIRED");
      const guess = lapsed.secret.slice(0, -1) + (lapsed.secret.endsWith("A") ? "B" : "A");
      expectError(await call(f.baseUrl, "GET", "/api/documents", { token: guess }), 401, "TOKEN_INVALID");

      const left = f.store.tokens.createToken("SAMR", "left the department");
      expect((await call(f.baseUrl, "GET", "/api/documents", { token: left.secret })).status).to.equal(200);
      f.store.tokens.revokeToken(left.tokenId);
      expectError(await call(f.baseUrl, "POST", "/api/certificates", { token: left.secret, json: templateBody() }), 401, "TOKEN_REVOKED");
    });

    it("refuses a token of a department this node does not sign for (403 DEPARTMENT_NOT_SERVED)", async function () {
      expectError(await call(f.baseUrl, "POST", "/api/certificates", { token: f.tokens.unserved, json: templateBody() }), 403, "DEPARTMENT_NOT_SERVED");
    });
  });

  describe("POST /api/certificates", function () {
    it("issues a certificate for the token's department, stored and queued, with a verifiable PDF", async function () {
      expect(issued).to.include({ kind: "certificate", departmentCode: "SAMR", title: "食品经营许可证" });
      expect(issued.id).to.match(/^SAMR-20260105-[0-9A-Z]{16}$/);
      expect(issued.docHashHex).to.match(/^0x[0-9a-f]{64}$/);
      expect(["pending", "submitted", "confirmed"]).to.include(issued.anchoring.status);
      const pdf = await f.store.documents.readPdf(issued.docHashHex);
      expect(pdf).to.be.instanceOf(Uint8Array);
      const report = await verifyPdf(pdf ?? new Uint8Array());
      expect(report.verdict).to.equal("unknown"); // offline: intact, chain checks skipped
      expect(report.signatures[0].signerSubject).to.contain("市场监督管理局");
    });

    it("refuses a chosen certificate identifier (400 TEMPLATE_FIELD_UNKNOWN): ids always end in their random part", async function () {
      for (const certificateIdentifier of [issued.id, "SAMR0001"]) {
        const reply = await call(f.baseUrl, "POST", "/api/certificates", { token: f.tokens.SAMR, json: { ...templateBody(), certificateIdentifier } });
        expectError(reply, 400, "TEMPLATE_FIELD_UNKNOWN");
        expect(reply.body.field).to.equal("body.certificateIdentifier");
      }
      expectError(await call(f.baseUrl, "GET", "/api/documents/SAMR0001"), 404, "DOCUMENT_NOT_FOUND");
    });

    it("starts the identifier with the operator's identifierPrefix and still ends it with 16 random characters", async function () {
      const ids: string[] = [];
      for (let i = 0; i < 2; i++) {
        // MCA's token: SAMR's document list is asserted exactly below.
        const reply = await call<Doc>(f.baseUrl, "POST", "/api/certificates", { token: f.tokens.MCA, json: { ...templateBody(), identifierPrefix: "MCA0001", documentNumber: `JY${i}` } });
        expect(reply.status, JSON.stringify(reply.body)).to.equal(201);
        expect(reply.body.id).to.match(/^MCA0001-[0-9A-HJKMNP-TV-Z]{16}$/);
        expect((await call(f.baseUrl, "GET", `/api/documents/${reply.body.id}`)).status).to.equal(200);
        ids.push(reply.body.id);
      }
      expect(ids[0]).not.to.equal(ids[1]);
    });

    for (const identifierPrefix of ["", "-SAMR", "SAMR/../x", "SAMR.", "x".repeat(41), 42]) {
      it(`refuses the identifierPrefix ${JSON.stringify(identifierPrefix).slice(0, 12)} (400 TEMPLATE_FIELD_INVALID)`, async function () {
        const reply = await call(f.baseUrl, "POST", "/api/certificates", { token: f.tokens.SAMR, json: { ...templateBody(), identifierPrefix } });
        expectError(reply, 400, "TEMPLATE_FIELD_INVALID");
        expect(reply.body.field).to.equal("body.identifierPrefix");
      });
    }

    const bad: [string, (b: Record<string, unknown>) => unknown, string, string][] = [
      ["a missing title", ({ title: _t, ...rest }) => rest, "TEMPLATE_FIELD_MISSING", "body.title"],
      ["a title of the wrong type", (b) => ({ ...b, title: 42 }), "TEMPLATE_FIELD_INVALID", "body.title"],
      ["an over-long holder value", (b) => ({ ...b, holder: [{ label: "名称", value: "长".repeat(121) }] }), "TEMPLATE_FIELD_TOO_LONG", "body.holder.0.value"],
      ["an unknown field", (b) => ({ ...b, extra: 1 }), "TEMPLATE_FIELD_UNKNOWN", "body"],
      ["a department in the body", (b) => ({ ...b, department: { code: "MCA", name: "民政局" } }), "TEMPLATE_FIELD_UNKNOWN", "body.department"],
      ["an array", () => [1, 2], "TEMPLATE_NOT_OBJECT", "body"],
      ["a character the font lacks", (b) => ({ ...b, title: "许可证\u{1F600}" }), "TEMPLATE_UNSUPPORTED_CHARACTER", "body.title"],
    ];
    for (const [what, mutate, code, field] of bad) {
      it(`refuses ${what} (400 ${code}, field ${field})`, async function () {
        const reply = await call(f.baseUrl, "POST", "/api/certificates", { token: f.tokens.SAMR, json: mutate(templateBody()) });
        expectError(reply, 400, code);
        expect(reply.body.field).to.equal(field);
      });
    }

    it("refuses a JSON string as a body (400 INVALID_JSON: only objects and arrays are JSON bodies)", async function () {
      expectError(await call(f.baseUrl, "POST", "/api/certificates", { token: f.tokens.SAMR, json: "certificate" }), 400, "INVALID_JSON");
    });

    it("refuses malformed JSON (400 INVALID_JSON), another content type (415) and a huge body (413 BODY_TOO_LARGE)", async function () {
      expectError(await call(f.baseUrl, "POST", "/api/certificates", { token: f.tokens.SAMR, raw: '{"kind": "certificate",', contentType: "application/json" }), 400, "INVALID_JSON");
      expectError(await call(f.baseUrl, "POST", "/api/certificates", { token: f.tokens.SAMR, raw: "kind=certificate", contentType: "application/x-www-form-urlencoded" }), 415, "UNSUPPORTED_MEDIA_TYPE");
      expectError(await call(f.baseUrl, "POST", "/api/certificates", { token: f.tokens.SAMR, raw: JSON.stringify({ title: "x".repeat(200_000) }), contentType: "application/json" }), 413, "BODY_TOO_LARGE");
      expectError(await call(f.baseUrl, "POST", "/api/certificates", { token: f.tokens.SAMR, raw: "{}", contentType: "application/json", headers: { "content-encoding": "gzip" } }), 415, "ENCODING_UNSUPPORTED");
    });
  });

  describe("POST /api/documents (seal an upload)", function () {
    it("seals a raw PDF body at the given position, and a multipart upload with form fields", async function () {
      const raw = await call<Doc>(f.baseUrl, "POST", "/api/documents?page=1&x=100&y=100&size=90&title=%E5%AE%A1%E6%89%B9%E8%A1%A8", { token: f.tokens.MCA, raw: minimalPdf(), contentType: "application/pdf" });
      expect(raw.status, JSON.stringify(raw.body)).to.equal(201);
      expect(raw.body).to.include({ kind: "sealed-document", departmentCode: "MCA", title: "审批表" });
      expect(raw.headers.get("location")).to.equal(`/api/documents/${raw.body.id}`);
      const multi = await call<Doc>(f.baseUrl, "POST", "/api/documents", { token: f.tokens.MCA, raw: multipartPdf(minimalPdf(), { page: "1", title: "申请书" }) });
      expect(multi.status, JSON.stringify(multi.body)).to.equal(201);
      expect(multi.body).to.include({ title: "申请书" });
    });

    it("refuses bad options by field: page out of the document, a non-number, an unknown option", async function () {
      const pdf = minimalPdf();
      expectError(await call(f.baseUrl, "POST", "/api/documents?page=7", { token: f.tokens.MCA, raw: pdf, contentType: "application/pdf" }), 400, "PAGE_OUT_OF_RANGE");
      const nan = await call(f.baseUrl, "POST", "/api/documents?page=abc", { token: f.tokens.MCA, raw: pdf, contentType: "application/pdf" });
      expectError(nan, 400, "INVALID_REQUEST");
      expect(nan.body.field).to.equal("query.page");
      expectError(await call(f.baseUrl, "POST", "/api/documents?colour=red", { token: f.tokens.MCA, raw: pdf, contentType: "application/pdf" }), 400, "INVALID_REQUEST");
      expectError(await call(f.baseUrl, "POST", "/api/documents?x=99999", { token: f.tokens.MCA, raw: pdf, contentType: "application/pdf" }), 400, "INVALID_REQUEST");
    });

    it("refuses not-a-PDF (415), a truncated PDF (400), no file (400), a file under another field name (400)", async function () {
      expectError(await call(f.baseUrl, "POST", "/api/documents", { token: f.tokens.MCA, raw: "hello", contentType: "application/pdf" }), 415, "PDF_NOT_PDF");
      const pdf = minimalPdf();
      expectError(await call(f.baseUrl, "POST", "/api/documents", { token: f.tokens.MCA, raw: pdf.subarray(0, pdf.length - 40), contentType: "application/pdf" }), 400, "PDF_TRUNCATED");
      expectError(await call(f.baseUrl, "POST", "/api/documents", { token: f.tokens.MCA }), 400, "PDF_MISSING");
      expectError(await call(f.baseUrl, "POST", "/api/documents", { token: f.tokens.MCA, raw: multipartPdf(pdf, {}, "document") }), 400, "MULTIPART_INVALID");
    });
  });

  describe("countersign, list, download", function () {
    let countersigned: Doc;

    it("countersigns a stored document as the chief representative: a new document whose parent is the first", async function () {
      const reply = await call<Doc>(f.baseUrl, "POST", `/api/documents/${issued.id}/countersignatures`, { token: f.tokens.SAMR, json: { role: "chief" } });
      expect(reply.status, JSON.stringify(reply.body)).to.equal(201);
      countersigned = reply.body;
      expect(countersigned).to.include({ parentId: issued.id, kind: "certificate", departmentCode: "SAMR" });
      const pdf = await f.store.documents.readPdf(countersigned.docHashHex);
      const report = await verifyPdf(pdf ?? new Uint8Array());
      expect(report.signatures).to.have.length(2);
      expect(report.checks.filter((c) => c.id === "signature-integrity").map((c) => c.status)).to.deep.equal(["valid", "valid"]);
    });

    it("seals a 300 x 144 pt receipt at the default place and countersigns it beside the seal, inside the page, where the CLI's countersignPdf puts it", async function () {
      const doc = await PDFDocument.create();
      doc.addPage([300, 144]);
      const receipt = await doc.save({ useObjectStreams: false });
      const sealed = await call<Doc>(f.baseUrl, "POST", "/api/documents", { token: f.tokens.MCA, raw: receipt, contentType: "application/pdf" });
      expect(sealed.status, JSON.stringify(sealed.body)).to.equal(201);
      const both = await call<Doc>(f.baseUrl, "POST", `/api/documents/${sealed.body.id}/countersignatures`, { token: f.tokens.MCA, json: { role: "staff" } });
      expect(both.status, JSON.stringify(both.body)).to.equal(201);
      const sealedPdf = (await f.store.documents.readPdf(sealed.body.docHashHex)) ?? new Uint8Array();
      const rects = await widgetRects((await f.store.documents.readPdf(both.body.docHashHex)) ?? new Uint8Array());
      const seal = rects.get("Seal1") as Rect;
      const block = rects.get("Staff1") as Rect;
      for (const r of [seal, block]) expect(inside(r, { width: 300, height: 144 }), `${r}`).to.equal(true);
      expect(apart(seal, block), `${seal} vs ${block}`).to.equal(true);
      // One placement rule: the CLI signs in process with countersignPdf, the API in a worker.
      const local = await countersignPdf(sealedPdf, { ...countersignMark("民政局"), signer: f.pki.signerFor("MCA", "staff"), role: "staff", signingTime: new Date() });
      expect((await widgetRects(local)).get("Staff1")).to.deep.equal(block);
    });

    it("refuses to countersign another department's document (403 DOCUMENT_NOT_ISSUER), an unknown one (404), a bad role (400)", async function () {
      expectError(await call(f.baseUrl, "POST", `/api/documents/${issued.id}/countersignatures`, { token: f.tokens.MCA, json: { role: "chief" } }), 403, "DOCUMENT_NOT_ISSUER");
      expectError(await call(f.baseUrl, "POST", "/api/documents/SAMR-NOPE/countersignatures", { token: f.tokens.SAMR, json: { role: "chief" } }), 404, "DOCUMENT_NOT_FOUND");
      const role = await call(f.baseUrl, "POST", `/api/documents/${issued.id}/countersignatures`, { token: f.tokens.SAMR, json: { role: "seal" } });
      expectError(role, 400, "INVALID_REQUEST");
      expect(role.body.field).to.equal("body.role");
      expectError(await call(f.baseUrl, "POST", "/api/documents/..%2F..%2Fetc/countersignatures", { token: f.tokens.SAMR, json: { role: "chief" } }), 400, "INVALID_REQUEST");
    });

    it("lists only the token's department's documents, newest first, one page at a time", async function () {
      const first = await call<{ documents: Doc[]; nextBefore?: string }>(f.baseUrl, "GET", "/api/documents?limit=1", { token: f.tokens.SAMR });
      expect(first.status).to.equal(200);
      expect(first.body.documents.map((d) => d.id)).to.deep.equal([countersigned.id]);
      expect(first.body.nextBefore).to.equal(countersigned.id);
      const second = await call<{ documents: Doc[]; nextBefore?: string }>(f.baseUrl, "GET", `/api/documents?limit=5&before=${first.body.nextBefore}`, { token: f.tokens.SAMR });
      expect(second.body.documents.map((d) => d.id)).to.deep.equal([issued.id]);
      expect(second.body.nextBefore).to.equal(undefined);
      const mca = await call<{ documents: Doc[] }>(f.baseUrl, "GET", "/api/documents", { token: f.tokens.MCA });
      expect(mca.body.documents.every((d) => d.departmentCode === "MCA")).to.equal(true);
      expectError(await call(f.baseUrl, "GET", "/api/documents?limit=0", { token: f.tokens.SAMR }), 400, "INVALID_REQUEST");
      expectError(await call(f.baseUrl, "GET", "/api/documents?limit=1000", { token: f.tokens.SAMR }), 400, "INVALID_REQUEST");
      expectError(await call(f.baseUrl, "GET", `/api/documents?before=${issued.id}`, { token: f.tokens.MCA }), 404, "DOCUMENT_NOT_FOUND");
    });

    it("downloads the department's own PDF, and refuses another department's (403)", async function () {
      const res = await fetch(`${f.baseUrl}/api/documents/${issued.id}/pdf`, { headers: { authorization: `Bearer ${f.tokens.SAMR}` } });
      expect(res.status).to.equal(200);
      expect(res.headers.get("content-type")).to.equal("application/pdf");
      expect(Buffer.from(await res.arrayBuffer()).subarray(0, 5).toString("latin1")).to.equal("%PDF-");
      expectError(await call(f.baseUrl, "GET", `/api/documents/${issued.id}/pdf`, { token: f.tokens.MCA }), 403, "DOCUMENT_NOT_ISSUER");
    });
  });

  describe("POST /api/documents/{id}/revocation", function () {
    it("refuses a document not yet anchored (409 DOCUMENT_NOT_ANCHORED)", async function () {
      await f.queue.stop();
      try {
        const fresh = await call<Doc>(f.baseUrl, "POST", "/api/certificates", { token: f.tokens.SAMR, json: templateBody() });
        expect(fresh.body.anchoring.status).to.equal("pending");
        expectError(await call(f.baseUrl, "POST", `/api/documents/${fresh.body.id}/revocation`, { token: f.tokens.SAMR, json: { reasonCode: 1 } }), 409, "DOCUMENT_NOT_ANCHORED");
      } finally {
        await f.queue.start();
      }
    });

    it("lets only the issuing department revoke (403 DOCUMENT_NOT_ISSUER for another's token), then is final (409)", async function () {
      await f.queue.drain();
      const anchored = await call<Doc>(f.baseUrl, "GET", `/api/documents/${issued.id}`);
      expect(anchored.body.anchoring.status).to.equal("confirmed");

      expectError(await call(f.baseUrl, "POST", `/api/documents/${issued.id}/revocation`, { token: f.tokens.MCA, json: { reasonCode: 2 } }), 403, "DOCUMENT_NOT_ISSUER");
      for (const body of [{}, { reasonCode: 0 }, { reasonCode: 70_000 }, { reasonCode: "2" }, { reasonCode: 1.5 }]) {
        const reply: Reply = await call(f.baseUrl, "POST", `/api/documents/${issued.id}/revocation`, { token: f.tokens.SAMR, json: body });
        expectError(reply, 400, "INVALID_REQUEST");
        expect(reply.body.field).to.equal("body.reasonCode");
      }

      const revoked = await call<Doc>(f.baseUrl, "POST", `/api/documents/${issued.id}/revocation`, { token: f.tokens.SAMR, json: { reasonCode: 2 } });
      expect(revoked.status, JSON.stringify(revoked.body)).to.equal(200);
      expect(revoked.body.revocation).to.include({ reasonCode: 2 });
      expect(revoked.body.revocation?.txHash).to.match(/^0x[0-9a-f]{64}$/);
      const onChain = await f.chain.contracts.ledger.revocation(issued.docHashHex, "0x" + Buffer.from("SAMR").toString("hex").padEnd(64, "0"));
      expect(onChain.reasonCode).to.equal(2n);

      expectError(await call(f.baseUrl, "POST", `/api/documents/${issued.id}/revocation`, { token: f.tokens.SAMR, json: { reasonCode: 1 } }), 409, "DOCUMENT_ALREADY_REVOKED");
      expectError(await call(f.baseUrl, "POST", `/api/documents/${issued.id}/countersignatures`, { token: f.tokens.SAMR, json: { role: "staff" } }), 409, "DOCUMENT_REVOKED");
      const publicView = await call<Doc & { status: string }>(f.baseUrl, "GET", `/api/documents/${issued.id}`);
      expect(publicView.body.status).to.equal("revoked");
    });
  });

  describe("POST /api/documents/{id}/revocation after a revocation the node did not record", function () {
    it("records the ledger's reason code, not the repeated request's", async function () {
      const fresh = await call<Doc>(f.baseUrl, "POST", "/api/certificates", { token: f.tokens.SAMR, json: templateBody() });
      await f.queue.drain();
      // The first request revoked on chain and crashed before recording it: the ledger holds reason 2.
      const provider = f.chain.provider();
      try {
        const ledger = f.chain.ledgerFor("SAMR", provider);
        const [anchor] = await findDocumentAnchors(ledger, fresh.body.docHashHex, { fromBlock: f.chain.deployment.deployBlock });
        await (await ledger.revoke(fresh.body.docHashHex, 0, anchor.batchId, anchor.proof, 2)).wait();
      } finally {
        provider.destroy();
      }
      const again = await call<Doc>(f.baseUrl, "POST", `/api/documents/${fresh.body.id}/revocation`, { token: f.tokens.SAMR, json: { reasonCode: 1 } });
      expect(again.status, JSON.stringify(again.body)).to.equal(200);
      expect(again.body.revocation).to.include({ reasonCode: 2 });
      const listed = await call<Doc>(f.baseUrl, "GET", `/api/documents/${fresh.body.id}`);
      expect(listed.body.revocation).to.include({ reasonCode: 2 });
    });
  });

  describe("afterwards", function () {
    it("never answered 500 and logged no internal error", function () {
      const requests = f.logs().filter((l) => typeof l.res === "object");
      expect(requests.length).to.be.greaterThan(30);
      expect(requests.filter((l) => (l.res as { statusCode: number }).statusCode >= 500)).to.have.length(0);
      expect(f.logs().filter((l) => l.msg === "request failed")).to.have.length(0);
    });
  });
});
