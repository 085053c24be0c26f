// `zerosign issue (--template FILE | --demo) --out FILE`: render and sign a certificate, here with
// the dev keys (not anchored), or through a node's API with --service (stored and anchored there).
import { loadCliConfig } from "../../config";
import { BadRequestError } from "../../errors";
import { demoTemplate } from "../../pdf/demo-template";
import { loadCertificateFonts } from "../../pdf/fonts";
import { issueCertificate } from "../../pdf/issue-certificate";
import { beijingDate, templateFromBody } from "../../pdf/template-body";
import { parseCommandLine, required } from "../args";
import { readInputFile, writeOutputFile } from "../files";
import { COMMON_HELP, COMMON_OPTIONS, EXIT, UsageError, type CliEnv, type CliIo } from "../io";
import { loadDepartmentPki } from "../keys";
import { NOT_ANCHORED_HELP, NOT_ANCHORED_NOTE, printServiceDocument, SERVICE_HELP, SERVICE_OPTIONS, serviceOf } from "../service";

const DEFAULT_BASE_URL = "http://127.0.0.1:8080";
const MAX_TEMPLATE_BYTES = 64 * 1024;

const USAGE = `Usage: zerosign issue (--template FILE | --demo) --out FILE [--dept CODE] [--base-url URL] [--data DIR]
       zerosign issue --template FILE --out FILE --service URL [--token TOKEN]

Renders a certificate from a JSON template (Chinese text in an embedded subset font, the
department's seal, a QR code to the public verification page) and signs it with the department's
seal key. The template is the body of POST /api/certificates (docs/examples/certificate.json):
no "department" (--dept, or the token's with --service) and no "certificateIdentifier" (generated;
"identifierPrefix" chooses its start); "issueDate" defaults to today in Beijing.

${NOT_ANCHORED_HELP}

  --template FILE   certificate template (JSON, as docs/examples/certificate.json)
  --demo            use a sample 食品经营许可证 of the demo 市场监督管理局 (SAMR) instead
  --out FILE        where to write the signed PDF (required)
  --base-url URL    public verification base URL for the QR code (default ${DEFAULT_BASE_URL};
                    with --service the node's PUBLIC_BASE_URL is used)
${SERVICE_HELP}
${COMMON_HELP}
`;

/** Runs `issue`; returns the exit code. */
export async function issueCommand(args: string[], io: CliIo, env: CliEnv): Promise<number> {
  const parsed = parseCommandLine(args, io, {
    usage: USAGE,
    options: {
      ...COMMON_OPTIONS,
      ...SERVICE_OPTIONS,
      dept: { type: "string" },
      template: { type: "string" },
      demo: { type: "boolean", default: false },
      out: { type: "string" },
      "base-url": { type: "string" },
    },
  });
  if (!parsed) return EXIT.ok;
  const { values } = parsed;
  if ((values.template === undefined) === !values.demo) throw new UsageError("give exactly one of --template FILE or --demo");
  const out = required(values.out, "out");
  const config = loadCliConfig(env);
  const service = serviceOf(values, config);
  if (service && values.dept !== undefined) throw new UsageError("--dept does not go with --service: the token says the department");
  if (service && values["base-url"] !== undefined) throw new UsageError("--base-url does not go with --service: the node's PUBLIC_BASE_URL is used");
  if (values.demo && values.dept !== undefined && values.dept !== "SAMR") {
    throw new UsageError("--demo is a SAMR certificate; use --template FILE for another department");
  }

  const nowMs = Date.now();
  if (service) {
    if (values.template === undefined) throw new UsageError("--service needs --template FILE");
    const doc = await service.client.issueCertificate(parseJson(await readInputFile(values.template, MAX_TEMPLATE_BYTES)));
    const pdfBytes = await service.client.downloadPdf(doc.id);
    await writeOutputFile(out, pdfBytes, values.template);
    printServiceDocument(io, service.url, doc, `Issued certificate ${doc.id}`, out, pdfBytes.length);
    return EXIT.ok;
  }

  const { department, pki } = await loadDepartmentPki(values.data ?? config.dataDir, values.dept ?? "SAMR");
  const template = values.template === undefined
    ? demoTemplate({ issueDate: beijingDate(nowMs) })
    : templateFromBody(parseJson(await readInputFile(values.template, MAX_TEMPLATE_BYTES)), {
        department: { code: department.code, name: department.nameZh },
        nowMs,
      });
  const signer = pki.signerFor(department.code, "seal");
  const issued = await issueCertificate(template, {
    fonts: loadCertificateFonts(),
    publicBaseUrl: values["base-url"] ?? DEFAULT_BASE_URL,
    signer,
    signingTime: new Date(nowMs),
  });
  await writeOutputFile(out, issued.pdfBytes, values.template);
  io.stdout.write(
    `Issued ${template.title} ${template.documentNumber} (identifier ${issued.certificateIdentifier})\n` +
      `Signed with the ${department.nameZh} (${department.code}) seal key ${signer.keyId}\n` +
      `Wrote ${out} (${issued.pdfBytes.length} bytes)\n` +
      NOT_ANCHORED_NOTE,
  );
  return EXIT.ok;
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch (cause) {
    throw new BadRequestError("TEMPLATE_NOT_JSON", "The template file is not valid JSON", { cause });
  }
}
