// The demo departments' root CA certificates as one PEM bundle, for trusting them in a PDF reader
// or an NSS database (certutil -A ... -t "CT,C,C").
import { DEMO_DEPARTMENTS } from "../demo/departments";
import { ensureDevPki, type PkiDepartment } from "./dev-pki";
import { derToPem } from "./pem";

/**
 * Returns the root CA certificates of `departments` (default: the demo departments) concatenated
 * as PEM, creating the dev PKI under `dataDir` first if it does not exist yet.
 */
export async function exportCaPem(
  dataDir: string,
  departments: readonly PkiDepartment[] = DEMO_DEPARTMENTS,
): Promise<string> {
  const pki = await ensureDevPki(dataDir, departments);
  return [...pki.caCertificates.values()].map((der) => derToPem(der, "CERTIFICATE")).join("");
}
