// `zerosign countersign IN.pdf --role chief --out OUT.pdf`: a further signer signs (签两次), under
// the API's rule (pdf/countersign-rule.ts): staff or chief only, and never a revoked document,
// which the CLI asks the chain about unless --offline says not to.
import { loadCliConfig } from "../../config";
import { ChainUnavailableError } from "../../errors";
import { countersignPdf } from "../../pdf/countersign-pdf";
import { assertCountersignable, COUNTERSIGN_ROLES, countersignRoleOf } from "../../pdf/countersign-rule";
import { loadCertificateFonts } from "../../pdf/fonts";
import { verifyPdf } from "../../verify";
import { parseCommandLine, required } from "../args";
import { connectChain } from "../chain";
import { readInputFile, writeOutputFile } from "../files";
import { COMMON_HELP, COMMON_OPTIONS, EXIT, UsageError, type CliEnv, type CliIo } from "../io";
import { loadDepartmentPki } from "../keys";

const USAGE = `Usage: zerosign countersign IN.pdf --role chief --out OUT.pdf [--offline | --rpc URL] [--data DIR] [--dept CODE]

Adds a further signature (e.g. the chief representative's, 签两次) to IN.pdf as an incremental
update in its own signature field, shown on page 1 as a block (role, department, key, time)
beside the seal, covering no earlier mark; signatures already in IN.pdf stay valid. IN.pdf is not changed.
As the API does, it refuses a document its issuer revoked (DOCUMENT_REVOKED): the ledger is asked
first, on the chain of the node in --data, so the chain must answer (CHAIN_UNREACHABLE) unless
--offline skips the question. A file that was never anchored has nothing to revoke.

  --role ROLE    ${COUNTERSIGN_ROLES.join(" | ")} (default chief)
  --out FILE     where to write the signed PDF (required)
  --offline      do not ask the chain whether the document is revoked
  --rpc URL      the chain's JSON-RPC URL (default as for verify)
${COMMON_HELP}
`;

/** Runs `countersign`; returns the exit code. */
export async function countersignCommand(args: string[], io: CliIo, env: CliEnv): Promise<number> {
  const parsed = parseCommandLine(args, io, {
    usage: USAGE,
    options: {
      ...COMMON_OPTIONS,
      role: { type: "string", default: "chief" },
      out: { type: "string" },
      offline: { type: "boolean", default: false },
      rpc: { type: "string" },
    },
    positionals: { count: 1, what: "exactly one input PDF" },
  });
  if (!parsed) return EXIT.ok;
  const { values, positionals } = parsed;
  const input = positionals[0];
  const out = required(values.out, "out");
  const role = countersignRoleOf(values.role);
  if (!role) throw new UsageError(`--role must be one of ${COUNTERSIGN_ROLES.join(", ")} (a seal is not a countersignature)`);
  const dataDir = values.data ?? loadCliConfig(env).dataDir;

  const pdfBytes = await readInputFile(input);
  const { department, pki } = await loadDepartmentPki(dataDir, values.dept ?? "SAMR");
  if (!values.offline) await assertNotRevoked(input, pdfBytes, { rpc: values.rpc, data: dataDir }, env);
  const signer = pki.signerFor(department.code, role);
  const signed = await countersignPdf(pdfBytes, {
    signer,
    role,
    departmentName: department.nameZh,
    font: loadCertificateFonts().regular,
    signingTime: new Date(),
  });
  await writeOutputFile(out, signed, input);
  io.stdout.write(
    `Countersigned ${input} as ${department.nameZh} (${department.code}) ${role}, key ${signer.keyId}` +
      `${values.offline ? " (revocation not checked: --offline)" : ""}\n` +
      `Wrote ${out} (${signed.length} bytes)\n`,
  );
  return EXIT.ok;
}

/** Asks the ledger through the verifier's revocation check, the same answer `verify` gives. */
async function assertNotRevoked(input: string, pdfBytes: Uint8Array, options: { rpc?: string; data: string }, env: CliEnv): Promise<void> {
  const connection = await connectChain(options, env);
  try {
    const report = await verifyPdf(pdfBytes, { chain: connection.chain });
    const revocation = report.checks.find((c) => c.id === "revocation");
    assertCountersignable(input, revocation?.status === "invalid" && revocation.code === "DOCUMENT_REVOKED");
    if (report.checks.some((c) => c.code === "CHAIN_UNREACHABLE")) {
      throw new ChainUnavailableError("CHAIN_UNREACHABLE", "The chain could not be asked whether the document is revoked; start the node, give --rpc URL, or pass --offline");
    }
  } finally {
    connection.close();
  }
}
