// Small request helpers for the HTTP tests: JSON and PDF requests with an optional operator
// token, returning status, headers and the parsed body.
import { expect } from "chai";

export interface Reply<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export async function call<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  opts: { token?: string; json?: unknown; raw?: RequestInit["body"]; contentType?: string; headers?: Record<string, string> } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
  let body: RequestInit["body"] = opts.raw;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers["content-type"] = "application/json";
  }
  if (opts.contentType) headers["content-type"] = opts.contentType;
  const res = await fetch(baseUrl + path, { method, headers, body });
  const text = await res.text();
  const type = res.headers.get("content-type") ?? "";
  return { status: res.status, headers: res.headers, body: (type.includes("json") ? JSON.parse(text) : text) as T };
}

/** Asserts an error reply: exact status and code, and the `{ code, reason }` shape. */
export function expectError(reply: Reply, status: number, code: string): void {
  expect(reply.body, JSON.stringify(reply.body)).to.include({ code });
  expect(reply.status, JSON.stringify(reply.body)).to.equal(status);
  expect(reply.body.reason).to.be.a("string").and.not.empty;
}

/** A multipart body with the PDF as `field` (default `file`) and text fields. */
export function multipartPdf(pdfBytes: Uint8Array, fields: Record<string, string> = {}, field = "file"): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append(field, new Blob([pdfBytes], { type: "application/pdf" }), "upload.pdf");
  return form;
}
