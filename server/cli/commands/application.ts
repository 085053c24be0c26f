// `zerosign application submit|show|sign|post-check … --service URL`: the approval paths through a
// node's API (POST /api/applications and its sub-resources), for staff at a terminal. The node
// chooses the path with the fewest signatures; the command prints what it chose and why, and waits
// for the certificate of a decision (?wait=issued), which it names.
import { loadCliConfig } from "../../config";
import { parseCommandLine, required } from "../args";
import { EXIT, UsageError, type CliEnv, type CliIo } from "../io";
import { SERVICE_HELP, SERVICE_OPTIONS, serviceOf } from "../service";

const USAGE = `Usage: zerosign application submit --matter CODE --applicant LABEL=VALUE … [--evidence ID …]
                                [--commitment] [--self-review] --service URL [--token TOKEN]
       zerosign application show ID --service URL
       zerosign application sign ID --role staff|chief --service URL
       zerosign application post-check ID (--passed | --failed) --service URL

Submits an application to the node's approvals service, which verifies the evidence, chooses the
path with the fewest signatures the matter's rules allow (秒批, 告知承诺, 自审备案, 签一次, 签两次)
and carries it as far as it goes without a person. GET /api/matters lists the matter codes.

  --matter CODE          the matter's code (e.g. ELDERLY_CARD)
  --applicant L=V        one field of the applicant's data, printed on the certificate (repeat, 1-9)
  --evidence ID          a document on the node the rules read (repeat; e.g. a 户籍证明's id)
  --commitment           the applicant commits to the conditions (告知承诺)
  --self-review          the applicant files a self-review (自审备案)
  --role staff|chief     sign as the resident staff member or the chief representative
  --passed / --failed    the post-check's result (a failure revokes the certificate)
  --json                 print the node's JSON answer
${SERVICE_HELP}
`;

interface ApplicationAnswer {
  id: string;
  matter: { code: string; name: string };
  path: string;
  status: string;
  outcome?: string;
  reasons: Array<{ path: string; chosen: boolean; reason: string }>;
  requiredSignatures: number;
  baselineSignatures: number;
  signatures: Array<{ role: string }>;
  certificateId?: string;
  postCheckDue?: string;
  noticeEnds?: string;
}

export async function applicationCommand(args: string[], io: CliIo, env: CliEnv): Promise<number> {
  const parsed = parseCommandLine(args, io, {
    usage: USAGE,
    positionals: { count: "any", what: "a subcommand" },
    options: {
      ...SERVICE_OPTIONS,
      matter: { type: "string" },
      applicant: { type: "string", multiple: true },
      evidence: { type: "string", multiple: true },
      commitment: { type: "boolean", default: false },
      "self-review": { type: "boolean", default: false },
      role: { type: "string" },
      passed: { type: "boolean", default: false },
      failed: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
    },
  });
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
  const [sub, id, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}`);
  const service = serviceOf(values, loadCliConfig(env));
  if (!service) throw new UsageError("--service URL is required: applications live on a node");
  const needId = () => {
    if (!id || !/^AP-[0-9a-f]{16}$/.test(id)) throw new UsageError(`${sub} takes an application id (AP-…), got ${id ?? "none"}`);
    return encodeURIComponent(id);
  };
  let answer: ApplicationAnswer;
  if (sub === "submit") {
    if (id !== undefined) throw new UsageError(`unexpected argument ${id}`);
    answer = await service.client.requestJson<ApplicationAnswer>("POST", "/api/applications?wait=issued", {
      matter: required(values.matter, "matter"),
      applicant: applicantOf(values.applicant ?? []),
      evidence: (values.evidence ?? []).map((documentId) => ({ documentId })),
      ...(values.commitment ? { commitment: true } : {}),
      ...(values["self-review"] ? { selfReview: true } : {}),
    });
  } else if (sub === "show") {
    answer = await service.client.requestJson<ApplicationAnswer>("GET", `/api/applications/${needId()}`);
  } else if (sub === "sign") {
    const role = required(values.role, "role");
    if (role !== "staff" && role !== "chief") throw new UsageError(`--role is staff or chief, got ${role}`);
    answer = await service.client.requestJson<ApplicationAnswer>("POST", `/api/applications/${needId()}/signatures?wait=issued`, { role });
  } else if (sub === "post-check") {
    if (values.passed === values.failed) throw new UsageError("give exactly one of --passed or --failed");
    answer = await service.client.requestJson<ApplicationAnswer>("POST", `/api/applications/${needId()}/post-check`, { passed: values.passed });
  } else {
    throw new UsageError(sub === undefined ? "give a subcommand: submit, show, sign or post-check" : `unknown subcommand ${sub}`);
  }
  io.stdout.write(values.json ? JSON.stringify(answer, null, 2) + "\n" : describe(answer));
  return EXIT.ok;
}

/** LABEL=VALUE options as the applicant's data. */
function applicantOf(fields: readonly string[]): Record<string, string> {
  if (fields.length === 0) throw new UsageError("--applicant LABEL=VALUE is required (at least one)");
  const out: Record<string, string> = {};
  for (const field of fields) {
    const at = field.indexOf("=");
    if (at <= 0) throw new UsageError(`--applicant takes LABEL=VALUE, got "${field}"`);
    out[field.slice(0, at)] = field.slice(at + 1);
  }
  return out;
}

function describe(a: ApplicationAnswer): string {
  const lines = [
    `Application ${a.id}: ${a.matter.name} (${a.matter.code})`,
    `Path: ${a.path}   status: ${a.status}${a.outcome ? `   outcome: ${a.outcome}` : ""}`,
    `Signatures: ${a.signatures.length} of ${a.requiredSignatures} (today's rule: ${a.baselineSignatures})${a.signatures.length ? " — " + a.signatures.map((s) => s.role).join(", ") : ""}`,
    ...a.reasons.map((r) => `  ${r.chosen ? "✓" : "·"} ${r.path}: ${r.reason}`),
  ];
  if (a.certificateId) lines.push(`Certificate: ${a.certificateId}`);
  if (a.postCheckDue) lines.push(`Post-check due: ${a.postCheckDue}`);
  if (a.noticeEnds) lines.push(`Notice ends: ${a.noticeEnds}`);
  return lines.join("\n") + "\n";
}
