// The public endpoints against a real node: POST /api/verify with an anchored certificate (valid),
// a tampered one (invalid, still 200), and hostile uploads (no file, not a PDF, truncated,
// encrypted, too large, bad multipart) each with its exact 4xx; GET /api/documents/{id} without
// personal data; GET /api/departments from the registry; rate limiting, request ids, helmet, 404.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { expect } from "chai";
import { demoTemplate } from "../../../server/pdf/demo-template";
import type { Report } from "../../../server/verify";
import { minimalPdf } from "../verify/fixtures/malformed-fixtures";
import { tempDir } from "../pdf/signature-tools";
import { startHttpFixture, type HttpFixture } from "./http-fixture";
import { call, expectError, multipartPdf } from "./http-client";

describe("HTTP public endpoints", function () {
  this.timeout(180_000);
  let f: HttpFixture;
  let id: string;
  let pdf: Uint8Array;

  before(async function () {
    f = await startHttpFixture({ maxPdfBytes: 256 * 1024 });
    const { department: _d, certificateIdentifier: _c, ...body } = demoTemplate({ issueDate: "2026-01-05" });
    const issued = await call<{ id: string; docHashHex: string }>(f.baseUrl, "POST", "/api/certificates", { token: f.tokens.SAMR, json: body });
    expect(issued.status, JSON.stringify(issued.body)).to.equal(201);
    id = issued.body.id;
    await f.queue.drain();
    pdf = (await f.store.documents.readPdf(issued.body.docHashHex)) ?? new Uint8Array();
  });
  after(async function () {
    await f?.close();
  });

  describe("POST /api/verify", function () {
    it("reports an anchored certificate valid, sent raw or as a multipart upload", async function () {
      const raw = await call<Report>(f.baseUrl, "POST", "/api/verify", { raw: pdf, contentType: "application/pdf" });
      expect(raw.status).to.equal(200);
      expect(raw.body.verdict, JSON.stringify(raw.body.checks)).to.equal("valid");
      expect(raw.body.signatures[0]).to.include({ departmentName: "SAMR", role: "seal" });
      const multi = await call<Report>(f.baseUrl, "POST", "/api/verify", { raw: multipartPdf(pdf) });
      expect(multi.status).to.equal(200);
      expect(multi.body.verdict).to.equal("valid");
    });

    it("reads a chunked upload (no Content-Length) arriving in many small pieces as the same file, and refuses a compressed one (415)", async function () {
      // Pieces of 1000 bytes: the reader's buffer grows several times and must keep every byte in order.
      const pieces = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let at = 0; at < pdf.length; at += 1000) controller.enqueue(pdf.slice(at, at + 1000));
          controller.close();
        },
      });
      const res = await fetch(`${f.baseUrl}/api/verify`, { method: "POST", body: pieces, headers: { "content-type": "application/pdf" }, duplex: "half" } as RequestInit);
      expect(res.status).to.equal(200);
      const report = (await res.json()) as Report;
      expect(report.verdict, JSON.stringify(report.checks)).to.equal("valid");
      expectError(
        await call(f.baseUrl, "POST", "/api/verify", { raw: pdf, contentType: "application/pdf", headers: { "content-encoding": "gzip" } }),
        415,
        "ENCODING_UNSUPPORTED",
      );
    });

    it("answers 200 with verdict invalid for a certificate changed after signing", async function () {
      const tampered = Uint8Array.from(pdf);
      const at = Buffer.from(tampered).indexOf("/MediaBox");
      tampered[at + 1] = "N".charCodeAt(0);
      const reply = await call<Report>(f.baseUrl, "POST", "/api/verify", { raw: tampered, contentType: "application/pdf" });
      expect(reply.status).to.equal(200);
      expect(reply.body.verdict).to.equal("invalid");
      expect(reply.body.checks.find((c) => c.id === "signature-integrity")).to.include({ status: "invalid", code: "DIGEST_MISMATCH" });
    });

    it("answers 200 with verdict unknown for a signed PDF that was never anchored", async function () {
      await f.queue.stop();
      try {
        const again = await call<{ docHashHex: string }>(f.baseUrl, "POST", "/api/documents", { token: f.tokens.SAMR, raw: minimalPdf(), contentType: "application/pdf" });
        const bytes = (await f.store.documents.readPdf(again.body.docHashHex)) ?? new Uint8Array();
        const reply = await call<Report>(f.baseUrl, "POST", "/api/verify", { raw: bytes, contentType: "application/pdf" });
        expect(reply.status).to.equal(200);
        expect(reply.body).to.include({ verdict: "unknown", code: "NOT_ANCHORED" });
      } finally {
        await f.queue.start();
      }
    });

    it("refuses no file (400 PDF_MISSING) and an empty body (400 PDF_MISSING)", async function () {
      expectError(await call(f.baseUrl, "POST", "/api/verify"), 400, "PDF_MISSING");
      expectError(await call(f.baseUrl, "POST", "/api/verify", { raw: new Uint8Array(0), contentType: "application/pdf" }), 400, "PDF_MISSING");
    });

    it("refuses a file that is not a PDF (415 PDF_NOT_PDF) and another content type (415 UNSUPPORTED_MEDIA_TYPE)", async function () {
      expectError(await call(f.baseUrl, "POST", "/api/verify", { raw: "<html>not a pdf</html>", contentType: "application/pdf" }), 415, "PDF_NOT_PDF");
      expectError(await call(f.baseUrl, "POST", "/api/verify", { raw: pdf, contentType: "application/octet-stream" }), 415, "UNSUPPORTED_MEDIA_TYPE");
      expectError(await call(f.baseUrl, "POST", "/api/verify", { json: { pdf: "base64" } }), 415, "UNSUPPORTED_MEDIA_TYPE");
    });

    it("refuses a truncated PDF (400 PDF_TRUNCATED) and an encrypted one (415 PDF_ENCRYPTED)", async function () {
      expectError(await call(f.baseUrl, "POST", "/api/verify", { raw: pdf.subarray(0, Math.floor(pdf.length / 2)), contentType: "application/pdf" }), 400, "PDF_TRUNCATED");
      const dir = tempDir("http-encrypted");
      writeFileSync(path.join(dir, "in.pdf"), minimalPdf());
      execFileSync("qpdf", ["--encrypt", "user", "owner", "256", "--", path.join(dir, "in.pdf"), path.join(dir, "out.pdf")]);
      const encrypted = readFileSync(path.join(dir, "out.pdf"));
      expectError(await call(f.baseUrl, "POST", "/api/verify", { raw: encrypted, contentType: "application/pdf" }), 415, "PDF_ENCRYPTED");
    });

    it("answers 400 to an upload cut short of its Content-Length, and keeps answering others", async function () {
      const url = new URL(f.baseUrl);
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(Number(url.port), url.hostname, () => {
          socket.end("POST /api/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/pdf\r\nContent-Length: 5000\r\n\r\n%PDF-1.7 partial");
        });
        let text = "";
        socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
        socket.on("close", () => resolve(text));
        socket.on("error", reject);
      });
      expect(answer).to.match(/^HTTP\/1\.1 400 /);
      const raw = await call<Report>(f.baseUrl, "POST", "/api/verify", { raw: pdf, contentType: "application/pdf" });
      expect(raw.status).to.equal(200);
      expect(raw.body.verdict).to.equal("valid");
    });

    it("refuses an upload over the limit with 413 PDF_TOO_LARGE, raw or multipart, declared or chunked", async function () {
      const big = new Uint8Array(300 * 1024).fill(0x20);
      big.set(Buffer.from("%PDF-1.7\n"));
      expectError(await call(f.baseUrl, "POST", "/api/verify", { raw: big, contentType: "application/pdf" }), 413, "PDF_TOO_LARGE");
      expectError(await call(f.baseUrl, "POST", "/api/verify", { raw: multipartPdf(big) }), 413, "PDF_TOO_LARGE");
      const chunked = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(big);
          controller.close();
        },
      });
      const res = await fetch(`${f.baseUrl}/api/verify`, { method: "POST", body: chunked, headers: { "content-type": "application/pdf" }, duplex: "half" } as RequestInit);
      expect(res.status).to.equal(413);
      expect(await res.json()).to.include({ code: "PDF_TOO_LARGE" });
    });

    it("refuses broken multipart bodies (400 MULTIPART_INVALID): cut off, two files, a file under another name", async function () {
      const boundary = "----zs";
      const cut = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 trunc`;
      expectError(await call(f.baseUrl, "POST", "/api/verify", { raw: cut, contentType: `multipart/form-data; boundary=${boundary}` }), 400, "MULTIPART_INVALID");
      expectError(await call(f.baseUrl, "POST", "/api/verify", { raw: "garbage", contentType: "multipart/form-data" }), 400, "MULTIPART_INVALID");
      const two = multipartPdf(pdf);
      two.append("file", new Blob([pdf]), "b.pdf");
      expectError(await call(f.baseUrl, "POST", "/api/verify", { raw: two }), 400, "MULTIPART_INVALID");
      expectError(await call(f.baseUrl, "POST", "/api/verify", { raw: multipartPdf(pdf, {}, "upload") }), 400, "MULTIPART_INVALID");
    });
  });

  describe("GET /api/documents/{id}", function () {
    it("gives status, kind, department, the anchor with its Merkle proof, and no title or holder data", async function () {
      const reply = await call<Record<string, unknown> & { anchoring: { status: string; anchor: { batchId: number; proof: string[]; txHash: string; anchoredAt: string } } }>(f.baseUrl, "GET", `/api/documents/${id}`);
      expect(reply.status).to.equal(200);
      expect(reply.body).to.include({ id, kind: "certificate", status: "valid" });
      expect(reply.body.department).to.deep.equal({ code: "SAMR", name: "市场监督管理局" });
      expect(reply.body.anchoring.status).to.equal("confirmed");
      expect(reply.body.anchoring.anchor.txHash).to.match(/^0x[0-9a-f]{64}$/);
      expect(reply.body.anchoring.anchor.proof).to.be.an("array");
      expect(Date.parse(reply.body.anchoring.anchor.anchoredAt)).to.be.a("number").and.not.NaN;
      const text = JSON.stringify(reply.body);
      for (const personal of ["食品经营许可证", "青禾餐饮", "李明", "91110108MA01R2KX5Q", "title"]) expect(text).not.to.contain(personal);
    });

    it("answers 404 DOCUMENT_NOT_FOUND for an unknown id and 400 INVALID_REQUEST for a malformed one", async function () {
      expectError(await call(f.baseUrl, "GET", "/api/documents/SAMR-20260105-NOPE"), 404, "DOCUMENT_NOT_FOUND");
      const long = await call(f.baseUrl, "GET", `/api/documents/${"A".repeat(81)}`);
      expectError(long, 400, "INVALID_REQUEST");
      expect(long.body.field).to.equal("params.id");
      expectError(await call(f.baseUrl, "GET", "/api/documents/%E4%BD%A0"), 400, "INVALID_REQUEST");
    });
  });

  describe("GET /api/departments", function () {
    it("lists the registry's departments with their keys, roles and windows", async function () {
      const reply = await call<{ departments: { code: string; active: boolean; keys: { role: string; keyIdHex: string; validUntilSec: number }[] }[] }>(f.baseUrl, "GET", "/api/departments");
      expect(reply.status).to.equal(200);
      const samr = reply.body.departments.find((d) => d.code === "SAMR");
      expect(samr).to.include({ active: true });
      expect(samr?.keys.map((k) => k.role).sort()).to.deep.equal(["chief", "seal", "staff"]);
      const seal = f.pki.keys.find((k) => k.departmentCode === "SAMR" && k.role === "seal");
      expect(samr?.keys.find((k) => k.role === "seal")).to.include({ keyIdHex: seal?.keyId, validUntilSec: seal?.validUntilSec });
    });
  });

  describe("every response", function () {
    it("echoes a client's X-Request-Id, makes one otherwise, and carries helmet's headers", async function () {
      const mine = await call(f.baseUrl, "GET", "/api/departments", { headers: { "x-request-id": "trace-42" } });
      expect(mine.headers.get("x-request-id")).to.equal("trace-42");
      const hostile = await call(f.baseUrl, "GET", "/api/departments", { headers: { "x-request-id": "bad id\twith tab" } });
      expect(hostile.headers.get("x-request-id")).to.match(/^[0-9a-f-]{36}$/);
      expect(hostile.headers.get("x-content-type-options")).to.equal("nosniff");
      expect(hostile.headers.get("content-security-policy")).to.contain("default-src 'self'");
      expect(hostile.headers.get("x-powered-by")).to.equal(null);
    });

    it("answers an unknown route with JSON 404 ROUTE_NOT_FOUND", async function () {
      expectError(await call(f.baseUrl, "GET", "/api/nothing"), 404, "ROUTE_NOT_FOUND");
      expectError(await call(f.baseUrl, "DELETE", "/api/verify"), 404, "ROUTE_NOT_FOUND");
    });
  });

  describe("rate limiting", function () {
    it("answers 429 RATE_LIMITED once a client exceeds the public limit, and leaves staff endpoints alone", async function () {
      const limited = await startHttpFixture({ publicRequestsPerWindow: 3, publicWindowMs: 60_000 });
      try {
        for (let i = 0; i < 3; i++) expect((await call(limited.baseUrl, "GET", "/api/documents/NOPE-1")).status).to.equal(404);
        const over = await call(limited.baseUrl, "POST", "/api/verify", { raw: pdf, contentType: "application/pdf" });
        expectError(over, 429, "RATE_LIMITED");
        expect(over.headers.get("ratelimit-policy")).to.contain("3");
        expect((await call(limited.baseUrl, "GET", "/api/documents", { token: limited.tokens.SAMR })).status).to.equal(200);
      } finally {
        await limited.close();
      }
    });

    it("keys the limit on the client a trusted proxy names in X-Forwarded-For (TRUST_PROXY)", async function () {
      // The test's requests come from 127.0.0.1, standing in for a reverse proxy on the same host.
      const proxied = await startHttpFixture({ publicRequestsPerWindow: 2, publicWindowMs: 60_000, trustProxy: ["loopback"] });
      const from = (client: string) => call(proxied.baseUrl, "GET", "/api/documents/NOPE-1", { headers: { "x-forwarded-for": client } });
      try {
        for (let i = 0; i < 2; i++) expect((await from("203.0.113.7")).status).to.equal(404);
        expectError(await from("203.0.113.7"), 429, "RATE_LIMITED");
        expect((await from("203.0.113.8")).status).to.equal(404);
        // A client may put anything before the address the proxy appends; only that last one counts.
        expect((await from("198.51.100.1, 203.0.113.8")).status).to.equal(404);
        expectError(await from("203.0.113.8"), 429, "RATE_LIMITED");
      } finally {
        await proxied.close();
      }
    });

    it("ignores X-Forwarded-For without TRUST_PROXY: a forged header does not buy a fresh bucket", async function () {
      const direct = await startHttpFixture({ publicRequestsPerWindow: 2, publicWindowMs: 60_000 });
      const from = (client: string) => call(direct.baseUrl, "GET", "/api/documents/NOPE-1", { headers: { "x-forwarded-for": client } });
      try {
        expect((await from("203.0.113.7")).status).to.equal(404);
        expect((await from("203.0.113.8")).status).to.equal(404);
        expectError(await from("203.0.113.9"), 429, "RATE_LIMITED");
        expectError(await call(direct.baseUrl, "GET", "/api/documents/NOPE-1"), 429, "RATE_LIMITED");
      } finally {
        await direct.close();
      }
    });
  });
});
