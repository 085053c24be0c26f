// `zerosign issue --template FILE --out FILE` (or `--demo`): render and sign a certificate.
import { parseArgs } from "node:util";
import { BadRequestError } from "../../errors";
import { demoTemplate } from "../../pdf/demo-template";
import { loadCertificateFonts } from "../../pdf/fonts";
import { issueCertificate } from "../../pdf/issue-certificate";
import { parseTemplate } from "../../pdf/template";
import { readInputFile, writeOutputFile } from "../files";
import { EXIT, UsageError, type CliIo } from "../io";
import { loadDepartmentPki } from "../keys";

const DEFAULT_BASE_URL = "http://127.0.0.1:8080";
const MAX_TEMPLATE_BYTES = 64 * 1024;

const USAGE = `Usage: zerosign issue (--template FILE | --demo) --out FILE [--base-url URL] [--data DIR]

Renders a certificate from a JSON template (Chinese text in an embedded subset font, the
department's seal, a QR code to the public verification page) and signs it with the issuing
department's seal key. The template's department.code picks the key.

  --template FILE   certificate template (JSON)
  --demo            use a sample 食品经营许可证 of the demo 市场监督管理局 instead
  --out FILE        where to write the signed PDF (required)
  --base-url URL    public verification base URL for the QR code (default ${DEFAULT_BASE_URL})
  --data DIR        data folder with the dev keys (default ./data, created on first use)
  -h, --help        show this help
`;

/** Runs `issue`; returns the exit code. */
export async function issueCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      template: { type: "string" },
      demo: { type: "boolean", default: false },
      out: { type: "string" },
      "base-url": { type: "string", default: DEFAULT_BASE_URL },
      data: { type: "string", default: "./data" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
  if ((values.template === undefined) === !values.demo) throw new UsageError("give exactly one of --template FILE or --demo");
  if (values.out === undefined) throw new UsageError("--out is required");

  const signingTime = new Date();
  const template = values.template === undefined
    ? demoTemplate({ issueDate: beijingDate(signingTime) })
    : parseTemplate(parseJson(await readInputFile(values.template, MAX_TEMPLATE_BYTES)));
  const { department, pki } = await loadDepartmentPki(values.data, template.department.code);
  const signer = pki.signerFor(department.code, "seal");
  const issued = await issueCertificate(template, {
    fonts: loadCertificateFonts(),
    publicBaseUrl: values["base-url"],
    signer,
    signingTime,
  });
  await writeOutputFile(values.out, issued.pdfBytes, values.template);
  io.stdout.write(
    `Issued ${template.title} ${template.documentNumber} (identifier ${issued.certificateIdentifier})\n` +
      `Signed with the ${department.nameZh} (${department.code}) seal key ${signer.keyId}\n` +
      `Wrote ${values.out} (${issued.pdfBytes.length} bytes)\n`,
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

/** Today's date in Beijing (UTC+8), YYYY-MM-DD: the calendar day a certificate is issued on. */
function beijingDate(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

