// What every staff route decides the same way: the operator's department must be one this node
// serves (it holds that department's keys), and a document may be acted on only by an operator of
// the department that issued it.
import type { Response } from "express";
import { ForbiddenError, NotFoundError } from "../errors";
import type { DocumentRecord, OperatorIdentity } from "../store/types";
import type { RouterDeps, ServedDepartment } from "./app";
import { operatorOf } from "./auth";

/** The operator's department, or 403 DEPARTMENT_NOT_SERVED. */
export function servedDepartmentOf(deps: RouterDeps, res: Response): { operator: OperatorIdentity; department: ServedDepartment } {
  const operator = operatorOf(res);
  const department = deps.departments.find((d) => d.code === operator.departmentCode);
  if (!department) {
    throw new ForbiddenError("DEPARTMENT_NOT_SERVED", `This node does not sign for department ${operator.departmentCode}`);
  }
  return { operator, department };
}

/** The document `id`, or 404 DOCUMENT_NOT_FOUND; 403 DOCUMENT_NOT_ISSUER when another department issued it. */
export function ownDocument(deps: RouterDeps, operator: OperatorIdentity, id: string): DocumentRecord {
  const record = deps.documents.getDocument(id);
  if (!record) throw new NotFoundError("DOCUMENT_NOT_FOUND", `No document ${id}`);
  if (record.departmentCode !== operator.departmentCode) {
    throw new ForbiddenError("DOCUMENT_NOT_ISSUER", `Document ${id} was issued by another department; only its issuer may act on it`);
  }
  return record;
}

/** Today's date in Beijing (UTC+8, no daylight saving), YYYY-MM-DD: the calendar a certificate is dated by. */
export function beijingDate(nowMs: number): string {
  return new Date(nowMs + 8 * 3_600_000).toISOString().slice(0, 10);
}
