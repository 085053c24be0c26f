// `zerosign seal IN.pdf --page N [--x X --y Y --size S] --out OUT.pdf`: stamp and sign an existing PDF.
import { parseArgs } from "node:util";
import { loadCertificateFonts } from "../../pdf/fonts";
import { DEFAULT_SEAL_SIZE_PT, sealPdf } from "../../pdf/seal-pdf";
import { readInputFile, writeOutputFile } from "../files";
import { COMMON_HELP, COMMON_OPTIONS, EXIT, numberOption, UsageError, type CliIo } from "../io";
import { loadDepartmentPki } from "../keys";

const USAGE = `Usage: zerosign seal IN.pdf --page N --out OUT.pdf [--x X --y Y --size S] [--data DIR] [--dept CODE]

Stamps the department's electronic seal on page N of IN.pdf and signs it with the department's
seal key, as an incremental update: IN.pdf is not changed, and its bytes start OUT.pdf unchanged.

  --page N       1-based page number (required)
  --x X --y Y    lower-left corner of the seal in points from the page's lower-left corner
                 (default: bottom right)
  --size S       seal diameter in points (default ${DEFAULT_SEAL_SIZE_PT}, a 42 mm seal)
  --out FILE     where to write the sealed PDF (required)
${COMMON_HELP}
`;

/** Runs `seal`; returns the exit code. */
export async function sealCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...COMMON_OPTIONS,
      page: { type: "string" },
      x: { type: "string" },
      y: { type: "string" },
      size: { type: "string" },
      out: { type: "string" },
    },
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  const input = positionals[0];
  if (positionals.length !== 1 || input === undefined) throw new UsageError("seal takes exactly one input PDF");
  if (values.out === undefined) throw new UsageError("--out is required");
  const page = numberOption("page", values.page);
  if (page === undefined) throw new UsageError("--page is required");

  const pdfBytes = await readInputFile(input);
  const { department, pki } = await loadDepartmentPki(values.data, values.dept);
  const signer = pki.signerFor(department.code, "seal");
  const sealed = await sealPdf(pdfBytes, {
    signer,
    sealName: department.nameZh,
    sealFont: loadCertificateFonts().bold,
    page,
    x: numberOption("x", values.x),
    y: numberOption("y", values.y),
    size: numberOption("size", values.size),
    signingTime: new Date(),
  });
  await writeOutputFile(values.out, sealed, input);
  io.stdout.write(
    `Sealed page ${page} of ${input} with the ${department.nameZh} (${department.code}) seal key ${signer.keyId}\n` +
      `Wrote ${values.out} (${sealed.length} bytes; original ${pdfBytes.length} bytes kept as its prefix)\n`,
  );
  return EXIT.ok;
}
