// Loads the dev PKI for a CLI run and picks the department's signer, with a typed error for a
// department code that is not one of the demo departments.
import { DEMO_DEPARTMENTS, type DemoDepartment } from "../demo/departments";
import { NotFoundError } from "../errors";
import { ensureDevPki, type DevPki } from "../pki/dev-pki";

/** The department named by --dept, and the dev PKI loaded (created on first use) from --data. */
export async function loadDepartmentPki(dataDir: string, code: string): Promise<{ department: DemoDepartment; pki: DevPki }> {
  const department = DEMO_DEPARTMENTS.find((d) => d.code === code);
  if (!department) {
    throw new NotFoundError(
      "UNKNOWN_DEPARTMENT",
      `No department ${code}; known: ${DEMO_DEPARTMENTS.map((d) => d.code).join(", ")}`,
    );
  }
  return { department, pki: await ensureDevPki(dataDir, DEMO_DEPARTMENTS) };
}
