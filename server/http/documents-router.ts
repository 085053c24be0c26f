// /api/documents: seal an uploaded PDF (staff), list the department's documents with their
// anchoring status (staff), download a document's PDF (staff, own department: the file holds
// personal data), and the public record of one document (status, kind, department, anchor,
// revocation; never the title or content).
import { Router } from "express";
import { NotFoundError } from "../errors";
import { generateCertificateIdentifier } from "../pdf/certificate-identifier";
import { sealInPool } from "../workers/pool-jobs";
import type { RouterDeps } from "./app";
import { requireOperator } from "./auth";
import { acceptDocument, publicView, staffView } from "./document-view";
import { pdfUpload, uploadOf } from "./pdf-upload";
import { DocumentIdParamsSchema, ListDocumentsQuerySchema, SealOptionsSchema } from "./schemas";
import { beijingDate, ownDocument, servedDepartmentOf } from "./staff-access";
import { parseRequest } from "./validate";

export function documentsRouter(deps: RouterDeps): Router {
  const router = Router();
  const staff = requireOperator(deps.tokens);

  router.post("/api/documents", staff, pdfUpload(deps.limits.maxPdfBytes), async (req, res) => {
    const { department } = servedDepartmentOf(deps, res);
    const upload = uploadOf(res);
    // A raw body carries the options in the query string; a multipart upload may use form fields.
    const options = upload.multipart
      ? parseRequest(SealOptionsSchema, { ...req.query, ...upload.fields }, "fields")
      : parseRequest(SealOptionsSchema, req.query, "query");
    const nowMs = deps.clock.now();
    // In a worker, lettered with the worker's own bold font; the key stays on this thread.
    const pdfBytes = await sealInPool(deps.pool, upload.pdfBytes, {
      signer: department.signerFor("seal"),
      sealName: department.name,
      page: options.page,
      x: options.x,
      y: options.y,
      size: options.size,
      signingTime: new Date(nowMs),
      maxPdfBytes: deps.limits.maxPdfBytes,
    });
    const id = generateCertificateIdentifier({ departmentCode: department.code, issueDate: beijingDate(nowMs) });
    const view = await acceptDocument(
      deps,
      { id, kind: "sealed-document", departmentCode: department.code, title: options.title, createdAtMs: nowMs },
      pdfBytes,
    );
    res.status(201).location(`/api/documents/${view.id}`).json(view);
  });

  router.get("/api/documents", staff, (req, res) => {
    const { operator } = servedDepartmentOf(deps, res);
    const query = parseRequest(ListDocumentsQuerySchema, req.query, "query");
    const records = deps.documents.listDocuments({ departmentCode: operator.departmentCode, limit: query.limit, beforeId: query.before });
    const documents = records.map((r) => staffView(r, deps.anchors.state(r.docHashHex)));
    const last = records.at(-1);
    res.json({ documents, ...(records.length === query.limit && last ? { nextBefore: last.id } : {}) });
  });

  router.get("/api/documents/:id", deps.publicLimiter, (req, res) => {
    const { id } = parseRequest(DocumentIdParamsSchema, req.params, "params");
    const record = deps.documents.getDocument(id);
    if (!record) throw new NotFoundError("DOCUMENT_NOT_FOUND", `No document ${id}`);
    const name = deps.departments.find((d) => d.code === record.departmentCode)?.name;
    res.json(publicView(record, deps.anchors.state(record.docHashHex), name));
  });

  router.get("/api/documents/:id/pdf", staff, async (req, res) => {
    const { operator } = servedDepartmentOf(deps, res);
    const { id } = parseRequest(DocumentIdParamsSchema, req.params, "params");
    const record = ownDocument(deps, operator, id);
    const pdfBytes = await deps.documents.readPdf(record.docHashHex);
    if (!pdfBytes) throw new NotFoundError("DOCUMENT_FILE_MISSING", `The file of document ${id} is not in this node's store`);
    res.type("application/pdf").setHeader("Content-Disposition", `attachment; filename="${record.id}.pdf"`);
    res.send(Buffer.from(pdfBytes.buffer, pdfBytes.byteOffset, pdfBytes.length));
  });

  return router;
}
