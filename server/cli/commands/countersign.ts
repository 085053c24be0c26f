// `zerosign countersign IN.pdf --role chief --out OUT.pdf`: a further signer signs (签两次).
import { parseArgs } from "node:util";
import { countersignPdf } from "../../pdf/countersign-pdf";
import { SIGNING_ROLES, type SigningRole } from "../../pki/dev-pki";
import { readInputFile, writeOutputFile } from "../files";
import { COMMON_HELP, COMMON_OPTIONS, EXIT, UsageError, type CliIo } from "../io";
import { loadDepartmentPki } from "../keys";

const USAGE = `Usage: zerosign countersign IN.pdf --role chief --out OUT.pdf [--data DIR] [--dept CODE]

Adds a further signature (e.g. the chief representative's, 签两次) to IN.pdf as an incremental
update in its own signature field; signatures already in IN.pdf stay valid. IN.pdf is not changed.

  --role ROLE    ${SIGNING_ROLES.join(" | ")} (default chief)
  --out FILE     where to write the signed PDF (required)
${COMMON_HELP}
`;

/** Runs `countersign`; returns the exit code. */
export async function countersignCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...COMMON_OPTIONS, role: { type: "string", default: "chief" }, out: { type: "string" } },
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  const input = positionals[0];
  if (positionals.length !== 1 || input === undefined) throw new UsageError("countersign takes exactly one input PDF");
  if (values.out === undefined) throw new UsageError("--out is required");
  const role = SIGNING_ROLES.find((r) => r === values.role);
  if (!role) throw new UsageError(`--role must be one of ${SIGNING_ROLES.join(", ")}`);

  const pdfBytes = await readInputFile(input);
  const { department, pki } = await loadDepartmentPki(values.data, values.dept);
  const signer = pki.signerFor(department.code, role as SigningRole);
  const signed = await countersignPdf(pdfBytes, { signer, role, signingTime: new Date() });
  await writeOutputFile(values.out, signed, input);
  io.stdout.write(
    `Countersigned ${input} as ${department.nameZh} (${department.code}) ${role}, key ${signer.keyId}\n` +
      `Wrote ${values.out} (${signed.length} bytes)\n`,
  );
  return EXIT.ok;
}
