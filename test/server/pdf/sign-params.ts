// The signPdf parameters the input tests (bad-input, sign-input) sign with: SAMR's dev seal key in
// a fresh temp folder and a visible 100 pt box at (100, 100) on page 1, so that reading the page's
// /MediaBox and /Annots is part of every signing those tests try.
import path from "node:path";
import { DEMO_DEPARTMENTS } from "../../../server/demo/departments";
import type { SignPdfParams } from "../../../server/pdf/sign/sign-pdf";
import { ensureDevPki } from "../../../server/pki/dev-pki";
import { tempDir } from "./signature-tools";

/** The signing time of the input tests. */
export const INPUT_TEST_TIME = new Date("2025-03-01T08:00:00Z");

/** A fresh temp folder named after `label` and the parameters that sign with its dev PKI. */
export async function inputTestParams(label: string): Promise<{ dir: string; params: SignPdfParams }> {
  const dir = tempDir(label);
  const pki = await ensureDevPki(path.join(dir, "data"), DEMO_DEPARTMENTS.slice(0, 1), { now: INPUT_TEST_TIME });
  return {
    dir,
    params: {
      signer: pki.signerFor("SAMR", "seal"),
      page: 1,
      appearance: { x: 100, y: 100, width: 100, height: 100, operators: "" },
      fieldNamePrefix: "Seal",
      certify: false,
      signingTime: INPUT_TEST_TIME,
    },
  };
}
