// POST /api/certificates: issue a certificate (电子证照), commitment letter or sealed document from a
// template, for the operator's department, with its seal key; the signed PDF is stored and queued
// for anchoring. The department comes from the token, never from the body; the certificate
// identifier from the server, always with its random part (an operator may only choose its start).
import { Router } from "express";
import { newRecordSalt, recordKeyHash } from "../chain/record-key";
import { issueInPool } from "../workers/pool-jobs";
import { templateFromBody } from "../pdf/template-body";
import type { RouterDeps } from "./app";
import { requireOperator } from "./auth";
import { acceptDocument } from "./document-view";
import { jsonBody } from "./middleware";
import { servedDepartmentOf } from "./staff-access";

export function certificatesRouter(deps: RouterDeps): Router {
  const router = Router();
  router.post("/api/certificates", requireOperator(deps.tokens), jsonBody(deps.limits), async (req, res) => {
    const { department } = servedDepartmentOf(deps, res);
    const nowMs = deps.clock.now();
    // One template format for the API and `zerosign issue --template` (pdf/template-body.ts).
    const template = templateFromBody(req.body, { department, nowMs });
    // The QR link's record key, anchored beside the certificate: any node finds it from the link.
    const recordSaltHex = newRecordSalt();
    // Rendering, font subsetting and the seal's signature run in the worker pool.
    const { pdfBytes, certificateIdentifier } = await issueInPool(deps.pool, template, {
      publicBaseUrl: deps.publicBaseUrl,
      signer: department.signerFor("seal"),
      signingTime: new Date(nowMs),
      recordSaltHex,
    });
    const view = await acceptDocument(
      deps,
      { id: certificateIdentifier, kind: template.kind, departmentCode: department.code, title: template.title, createdAtMs: nowMs },
      pdfBytes,
      { recordKeyHex: recordKeyHash(certificateIdentifier, recordSaltHex) },
    );
    res.status(201).location(`/api/documents/${view.id}`).json(view);
  });
  return router;
}
