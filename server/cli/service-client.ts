// `issue` and `seal` through a node's HTTP API (--service URL): the node signs with its keys,
// stores the document and queues it for anchoring, so `verify` later finds it on the ledger.
// The API's { code, reason } errors come back as typed errors with the same code.
import { ZeroSignError } from "../errors";

/** The part of the API's document view the CLI prints (docs/api.md, StaffDocumentView). */
export interface ServiceDocument {
  id: string;
  docHashHex: string;
  departmentCode: string;
  anchoring: { status: string };
}

/** A node's API as the CLI calls it: base URL and an operator token. */
export interface ServiceClient {
  /** POST /api/certificates with a template body; resolves to the stored document. */
  issueCertificate(body: unknown): Promise<ServiceDocument>;
  /** POST /api/documents with the PDF and the seal's placement; resolves to the stored document. */
  sealDocument(pdfBytes: Uint8Array, options: Record<string, number | undefined>): Promise<ServiceDocument>;
  /** GET /api/documents/{id}/pdf: the signed file the node stored. */
  downloadPdf(id: string): Promise<Uint8Array>;
  /** Any JSON endpoint (applications, statistics): the parsed answer. */
  requestJson<T>(method: "GET" | "POST", pathAndQuery: string, body?: unknown): Promise<T>;
}

/** A client of the node at `baseUrl` acting with `token` (undefined: public endpoints only). */
export function createServiceClient(baseUrl: string, token: string | undefined): ServiceClient {
  const base = baseUrl.replace(/\/+$/, "");
  const call = async (pathAndQuery: string, init: RequestInit): Promise<Response> => {
    let res: Response;
    try {
      res = await fetch(`${base}${pathAndQuery}`, { ...init, headers: { ...init.headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) } });
    } catch (cause) {
      throw new ZeroSignError("SERVICE_UNREACHABLE", `No ZeroSign node answers at ${base}`, { cause, httpStatus: 503 });
    }
    if (res.ok) return res;
    const body: unknown = await res.json().catch(() => undefined);
    const { code, reason } = (typeof body === "object" && body !== null ? body : {}) as { code?: unknown; reason?: unknown };
    throw new ZeroSignError(
      typeof code === "string" ? code : "SERVICE_ERROR",
      typeof reason === "string" ? `${base}: ${reason}` : `${base} answered HTTP ${res.status}`,
      { httpStatus: res.status },
    );
  };
  const documentOf = async (res: Response) => (await res.json()) as ServiceDocument;
  return {
    issueCertificate: async (body) =>
      documentOf(await call("/api/certificates", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })),
    sealDocument: async (pdfBytes, options) => {
      const query = new URLSearchParams();
      for (const [name, value] of Object.entries(options)) if (value !== undefined) query.set(name, String(value));
      return documentOf(await call(`/api/documents?${query}`, { method: "POST", headers: { "Content-Type": "application/pdf" }, body: pdfBytes }));
    },
    requestJson: async <T>(method: "GET" | "POST", pathAndQuery: string, body?: unknown) =>
      (await (
        await call(pathAndQuery, body === undefined ? { method } : { method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
      ).json()) as T,
    downloadPdf: async (id) => new Uint8Array(await (await call(`/api/documents/${encodeURIComponent(id)}/pdf`, { method: "GET" })).arrayBuffer()),
  };
}
