// The human form of a verification Report: a short table with Chinese and English labels. It only
// renders what the report says (web/ and HTTP return the same Report); it never judges.
import type { CheckResult, CheckStatus, Report, Verdict } from "../verify";

const VERDICT_LABEL: Record<Verdict, string> = {
  valid: "有效 VALID",
  invalid: "无效 INVALID",
  unknown: "无法确认 UNKNOWN",
  error: "文件错误 ERROR",
};

const STATUS_LABEL: Record<CheckStatus, string> = {
  valid: "✓ 通过 valid",
  invalid: "✗ 失败 invalid",
  unknown: "? 未定 unknown",
  skipped: "- 跳过 skipped",
  error: "! 错误 error",
};

const CHECK_LABEL: Record<CheckResult["id"], string> = {
  structure: "文件结构 structure",
  "byte-range": "签名范围 byte range",
  "signature-integrity": "签名完整 signature",
  modifications: "签后修改 modifications",
  anchor: "链上存证 anchor",
  "signer-key": "签名密钥 signer key",
  revocation: "吊销状态 revocation",
};

/** Renders `report` for a terminal; `file` names the input. */
export function formatReport(file: string, report: Report): string {
  const lines = [
    `ZeroSign 验证报告 / verification report: ${file}`,
    `结论 Verdict: ${VERDICT_LABEL[report.verdict]} — ${report.reason}${report.code ? ` (${report.code})` : ""}`,
  ];
  if (report.document) {
    const d = report.document;
    lines.push(`文件 File: SHA-256 ${d.sha256Hex}, ${d.bytes} bytes, ${d.pages} page(s), ${d.revisions} revision(s)`);
  }
  lines.push("");
  const rows = report.checks.map((c) => [
    CHECK_LABEL[c.id] + (c.signature === undefined ? "" : ` #${c.signature + 1}`),
    STATUS_LABEL[c.status],
    c.status === "valid" ? "" : `${c.code ?? ""}${c.reason ? ` ${c.reason}` : ""}`,
  ]);
  lines.push(...table(["检查 Check", "状态 Status", "原因 Reason"], rows));
  if (report.signatures.length > 0) {
    lines.push("", "签名 Signatures");
    for (const s of report.signatures) {
      const who = [s.departmentName, s.role].filter(Boolean).join(" ");
      lines.push(
        `  #${s.index + 1} ${s.fieldName ?? "(unnamed)"}  ${s.signerSubject ?? "unknown signer"}` +
          `${who ? `  → ${who}` : ""}${s.signingTime ? `  signed ${s.signingTime}` : ""}` +
          `${s.coversWholeFile ? "" : "  (covers an earlier revision)"}`,
      );
      if (s.keyIdHex) lines.push(`     key ${s.keyIdHex}`);
    }
  }
  const data = report.certificateData;
  if (data) {
    // Only present when the seal covers it; the verdict above still says whether to rely on it.
    lines.push("", `证照数据 Certificate data (${data.schema}, signed by the seal)`);
    lines.push(`  ${data.templateId}  ${data.certificateIdentifier}  ${data.issuingDepartment}  issued ${data.issuedAt}`);
    lines.push(...table(["字段 Field", "值 Value"], Object.entries(data.fields)).map((l) => `  ${l}`));
  }
  return lines.join("\n") + "\n";
}

function table(header: string[], rows: string[][]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => displayWidth(r[c]))));
  const line = (r: string[]) =>
    r.map((cell, c) => (c === r.length - 1 ? cell : cell + " ".repeat(widths[c] - displayWidth(cell)))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)];
}

/** Terminal columns: CJK characters take two. */
function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return width;
}
