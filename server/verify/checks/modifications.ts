// Modification analysis: after each signature, only permitted incremental updates may follow
// (signature fields with their widgets and appearances, DSS, metadata; form filling and
// annotations only as far as a certification's DocMDP allows). Stops the incremental saving attack
// and the shadow attacks (hide, replace, hide-and-replace). One result per signature; the bytes and
// CMS of each signature are the byte-range and signature-integrity checks' business, not this one's.
import { ZeroSignError } from "../../errors";
import { loadRevisionObjects, type RevisionObjects } from "../../pdf/read/revision-objects";
import type { ParsedPdf, PdfSignature } from "../../pdf/read/types";
import type { Check, VerifyContext } from "../context";
import type { RevisionChange } from "../diff/change";
import { judgeChange, type DocMdpPermission } from "../diff/docmdp";
import { diffRevision } from "../diff/revision-diff";
import type { ReasonCode } from "../reasons";
import type { CheckResult } from "../types";

/** What a modifications result tells about one signature. */
export type ModificationsData = {
  /** The last revision (0-based) the signature covers. */
  signedRevision: number;
  /** How many revisions follow it. */
  laterRevisions: number;
  /** DocMDP permission in force after it (absent: not certified). */
  docMdpPermission?: 1 | 2 | 3;
  /** The permitted changes that followed, in order (at most {@link MAX_LISTED}). */
  permittedChanges: string[];
};

const MAX_LISTED = 20;

/** Outcome of reading one revision transition: its changes, or which revision could not be read and why. */
type Transition = { changes: RevisionChange[] } | { unreadable: string; revision: number };

/** Which code wins when one revision holds several forbidden changes: the widest first. */
const PRIORITY: readonly ReasonCode[] = [
  "CATALOG_CHANGED",
  "PAGE_CONTENT_CHANGED",
  "SIGNED_OBJECT_OVERRIDDEN",
  "FORM_VALUE_CHANGED",
  "ANNOTATION_CHANGED",
  "DOCMDP_VIOLATION",
  "UNSIGNED_CHANGES_AFTER_SIGNATURE",
];

/** The "modifications" check. */
export const modificationsCheck: Check = {
  id: "modifications",
  needsChain: false,
  async run(ctx: VerifyContext): Promise<CheckResult[]> {
    const { pdf } = ctx;
    if (pdf.signatures.length === 0) {
      return [{ id: "modifications", status: "skipped", code: "NO_SIGNATURES", reason: "There is no signature to analyse changes after." }];
    }
    const objects = await ctx.memo("pdf:revision-objects", async () => loadRevisionObjects(pdf.file));
    const transitions = new Map<number, Transition>();
    const transition = (r: number): Transition => {
      let t = transitions.get(r);
      if (!t) {
        const signaturesHere = new Set(pdf.signatures.filter((s) => s.revisionIndex === r && signedRevision(pdf, s) === r).map((s) => s.objectNumber));
        t = readTransition(objects, r, signaturesHere);
        transitions.set(r, t);
      }
      return t;
    };
    const certification = certifyingSignature(pdf);
    return pdf.signatures.map((sig) => judgeSignature(pdf, sig, certification, transition));
  },
};

function readTransition(objects: RevisionObjects, r: number, signaturesHere: ReadonlySet<number>): Transition {
  let revision = r - 1;
  try {
    objects.entries(r - 1);
    revision = r;
    return { changes: diffRevision(objects, r, signaturesHere) };
  } catch (error) {
    // A file past its work budget is refused as a whole (verdict error), not judged in part.
    if (error instanceof ZeroSignError && error.code !== "PDF_WORK_LIMIT") return { unreadable: error.message, revision };
    throw error;
  }
}

/** The first certification (DocMDP) signature: its P governs every revision after its own. */
function certifyingSignature(pdf: ParsedPdf): { revision: number; permission: 1 | 2 | 3 } | undefined {
  const cert = pdf.signatures.find((s) => s.docMdpPermission !== undefined);
  if (!cert?.docMdpPermission) return undefined;
  return { revision: signedRevision(pdf, cert), permission: cert.docMdpPermission };
}

/**
 * The last revision a signature covers: the last one whose "%%EOF" lies within the signed range
 * (the range may stop before the end-of-line after %%EOF). Falls back to the revision that
 * defines the signature dictionary when the range is malformed (the byte-range check reports that).
 */
export function signedRevision(pdf: ParsedPdf, sig: PdfSignature): number {
  const br = sig.byteRange;
  const end = br.length === 4 && br.every(Number.isInteger) ? br[2] + br[3] : undefined;
  if (end === undefined) return sig.revisionIndex;
  let found: number | undefined;
  for (const rev of pdf.revisions) if (rev.eofEnd <= end) found = rev.index;
  return found ?? sig.revisionIndex;
}

function judgeSignature(
  pdf: ParsedPdf,
  sig: PdfSignature,
  certification: { revision: number; permission: 1 | 2 | 3 } | undefined,
  transition: (r: number) => Transition,
): CheckResult<ModificationsData> {
  const signed = signedRevision(pdf, sig);
  const last = pdf.revisions.length - 1;
  const data: ModificationsData = { signedRevision: signed, laterRevisions: Math.max(0, last - signed), permittedChanges: [] };
  if (certification) data.docMdpPermission = certification.permission;
  const base = { id: "modifications" as const, signature: sig.index, data };
  const after = `after signature ${sig.index + 1}${sig.fieldName ? ` (${sig.fieldName})` : ""}`;

  for (let r = signed + 1; r <= last; r++) {
    const t = transition(r);
    const unsigned = !pdf.signatures.some((s) => signedRevision(pdf, s) >= r);
    if ("unreadable" in t) {
      if (t.revision <= signed) return { ...base, status: "error", code: "PDF_MALFORMED", reason: `The signed revision cannot be read: ${t.unreadable}` };
      return invalid(base, "UNSIGNED_CHANGES_AFTER_SIGNATURE", `Revision ${r + 1}, ${after}, cannot be read: ${t.unreadable}`);
    }
    // DocMDP governs every revision after the certifying one.
    const p: DocMdpPermission = certification && certification.revision < r ? certification.permission : undefined;
    const judged = t.changes.map((change) => ({ change, code: judgeChange(change, p) }));
    const forbidden = judged.filter((j): j is { change: RevisionChange; code: ReasonCode } => j.code !== undefined);
    if (forbidden.length > 0) {
      const first = [...forbidden].sort((a, b) => PRIORITY.indexOf(a.code) - PRIORITY.indexOf(b.code))[0];
      const more = forbidden.length - 1;
      const tail = more > 0 ? ` (and ${more} other forbidden change${more === 1 ? "" : "s"})` : "";
      const where = unsigned ? `in an unsigned update ${after}` : `in revision ${r + 1}, ${after}`;
      return invalid(base, first.code, `${capitalize(first.change.what)} ${where}${tail}.`);
    }
    for (const { change } of judged) {
      if (data.permittedChanges.length < MAX_LISTED) data.permittedChanges.push(`revision ${r + 1}: ${change.what}`);
    }
  }
  const trailing = trailingBytes(pdf);
  if (trailing > 0) {
    return invalid(base, "UNSIGNED_CHANGES_AFTER_SIGNATURE", `${trailing} bytes follow the last revision's %%EOF ${after}.`);
  }
  return {
    ...base,
    status: "valid",
    reason: data.laterRevisions === 0 ? "Nothing was added after this signature." : "Only permitted changes followed this signature.",
  };
}

/** Non-whitespace bytes after the end of the last revision (readers may rebuild from them). */
function trailingBytes(pdf: ParsedPdf): number {
  const end = pdf.revisions[pdf.revisions.length - 1]?.endOffset ?? pdf.bytes.length;
  let count = 0;
  for (let i = end; i < pdf.bytes.length; i++) {
    const b = pdf.bytes[i];
    if (b !== 0x0a && b !== 0x0d && b !== 0x20 && b !== 0x09 && b !== 0x00) count++;
  }
  return count;
}

function invalid(
  base: { id: "modifications"; signature: number; data: ModificationsData },
  code: ReasonCode,
  reason: string,
): CheckResult<ModificationsData> {
  return { ...base, status: "invalid", code, reason };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
