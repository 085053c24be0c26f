// `zerosign seal IN.pdf --page N [--x X --y Y --size S] --out OUT.pdf`: stamp and sign an existing
// PDF, here with the dev keys (not anchored), or through a node's API with --service.
import { loadCliConfig } from "../../config";
import { loadCertificateFonts } from "../../pdf/fonts";
import { DEFAULT_SEAL_SIZE_PT, sealPdf } from "../../pdf/seal-pdf";
import { parseCommandLine, required } from "../args";
import { readInputFile, writeOutputFile } from "../files";
import { COMMON_HELP, COMMON_OPTIONS, EXIT, numberOption, UsageError, type CliEnv, type CliIo } from "../io";
import { loadDepartmentPki } from "../keys";
import { NOT_ANCHORED_HELP, NOT_ANCHORED_NOTE, printServiceDocument, SERVICE_HELP, SERVICE_OPTIONS, serviceOf } from "../service";

const USAGE = `Usage: zerosign seal IN.pdf --page N --out OUT.pdf [--x X --y Y --size S] [--data DIR] [--dept CODE]
       zerosign seal IN.pdf --page N --out OUT.pdf [--x X --y Y --size S] --service URL [--token TOKEN]

Stamps the department's electronic seal on page N of IN.pdf and signs it with the department's
seal key, as an incremental update: IN.pdf is not changed, and its bytes start OUT.pdf unchanged.

${NOT_ANCHORED_HELP}

  --page N       1-based page number (required)
  --x X --y Y    lower-left corner of the seal in points from the page's lower-left corner
                 (default: bottom right, the margin shrunk on a page too small for it)
  --size S       seal diameter in points (default ${DEFAULT_SEAL_SIZE_PT}, a 42 mm seal)
  --out FILE     where to write the sealed PDF (required)
${SERVICE_HELP}
${COMMON_HELP}
`;

/** Runs `seal`; returns the exit code. */
export async function sealCommand(args: string[], io: CliIo, env: CliEnv): Promise<number> {
  const parsed = parseCommandLine(args, io, {
    usage: USAGE,
    options: {
      ...COMMON_OPTIONS,
      ...SERVICE_OPTIONS,
      page: { type: "string" },
      x: { type: "string" },
      y: { type: "string" },
      size: { type: "string" },
      out: { type: "string" },
    },
    positionals: { count: 1, what: "exactly one input PDF" },
  });
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
  const input = positionals[0];
  const out = required(values.out, "out");
  const page = required(numberOption("page", values.page), "page");
  const placement = { x: numberOption("x", values.x), y: numberOption("y", values.y), size: numberOption("size", values.size) };
  const config = loadCliConfig(env);
  const service = serviceOf(values, config);
  if (service && values.dept !== undefined) throw new UsageError("--dept does not go with --service: the token says the department");

  const pdfBytes = await readInputFile(input);
  if (service) {
    const doc = await service.client.sealDocument(pdfBytes, { page, ...placement });
    const sealed = await service.client.downloadPdf(doc.id);
    await writeOutputFile(out, sealed, input);
    printServiceDocument(io, service.url, doc, `Sealed page ${page} of ${input}`, out, sealed.length);
    return EXIT.ok;
  }
  const { department, pki } = await loadDepartmentPki(values.data ?? config.dataDir, values.dept ?? "SAMR");
  const signer = pki.signerFor(department.code, "seal");
  const sealed = await sealPdf(pdfBytes, {
    signer,
    sealName: department.nameZh,
    sealFont: loadCertificateFonts().bold,
    page,
    ...placement,
    signingTime: new Date(),
  });
  await writeOutputFile(out, sealed, input);
  io.stdout.write(
    `Sealed page ${page} of ${input} with the ${department.nameZh} (${department.code}) seal key ${signer.keyId}\n` +
      `Wrote ${out} (${sealed.length} bytes; original ${pdfBytes.length} bytes kept as its prefix)\n` +
      NOT_ANCHORED_NOTE,
  );
  return EXIT.ok;
}
