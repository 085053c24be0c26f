// POST /api/certificates: issue a certificate (电子证照), commitment letter or sealed document from a
// template, for the operator's department, with its seal key; the signed PDF is stored and queued
// for anchoring. The department comes from the token, never from the body; the certificate
// identifier from the server, always with its random part (an operator may only choose its start).
import { Router } from "express";
import { generateCertificateIdentifier } from "../pdf/certificate-identifier";
import { issueCertificate } from "../pdf/issue-certificate";
import { parseTemplate } from "../pdf/template";
import { TemplateError } from "../pdf/template-error";
import type { RouterDeps } from "./app";
import { requireOperator } from "./auth";
import { acceptDocument } from "./document-view";
import { jsonBody } from "./middleware";
import { IdentifierPrefixSchema } from "./schemas";
import { beijingDate, servedDepartmentOf } from "./staff-access";

export function certificatesRouter(deps: RouterDeps): Router {
  const router = Router();
  router.post("/api/certificates", requireOperator(deps.tokens), jsonBody(deps.limits), async (req, res) => {
    const { department } = servedDepartmentOf(deps, res);
    const nowMs = deps.clock.now();
    const body: unknown = req.body;
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new TemplateError("TEMPLATE_NOT_OBJECT", "", "The body must be a JSON object: the certificate template");
    }
    if ("department" in body) {
      throw new TemplateError("TEMPLATE_FIELD_UNKNOWN", "department", "department is set by the operator token; leave it out");
    }
    if ("certificateIdentifier" in body) {
      throw new TemplateError(
        "TEMPLATE_FIELD_UNKNOWN",
        "certificateIdentifier",
        "certificateIdentifier is generated and always ends in a random part; send identifierPrefix to choose its start",
      );
    }
    const { identifierPrefix, ...given } = body as Record<string, unknown>;
    const prefix = IdentifierPrefixSchema.optional().safeParse(identifierPrefix);
    if (!prefix.success) {
      throw new TemplateError("TEMPLATE_FIELD_INVALID", "identifierPrefix", `identifierPrefix ${prefix.error.issues[0].message}`);
    }
    const issueDate = given.issueDate ?? beijingDate(nowMs);
    const template = parseTemplate({
      ...given,
      issueDate,
      department: { code: department.code, name: department.name },
      certificateIdentifier: generateCertificateIdentifier({
        departmentCode: department.code,
        issueDate: typeof issueDate === "string" ? issueDate : beijingDate(nowMs),
        prefix: prefix.data,
      }),
    });
    const { pdfBytes, certificateIdentifier } = await issueCertificate(template, {
      fonts: deps.fonts,
      publicBaseUrl: deps.publicBaseUrl,
      signer: department.signerFor("seal"),
      signingTime: new Date(nowMs),
    });
    const view = await acceptDocument(
      deps,
      { id: certificateIdentifier, kind: template.kind, departmentCode: department.code, title: template.title, createdAtMs: nowMs },
      pdfBytes,
    );
    res.status(201).location(`/api/documents/${view.id}`).json(view);
  });
  return router;
}
