// 签一次 / 签两次: the acting person signs the application's EIP-712 decision with their registered
// P-256 key (ECDSA-P256-SHA256 over the digest, what Signer.sign makes). When the path's count is
// reached the decision goes to the chain, which alone judges role, order and authority: a
// refusal comes back as the contract's code and the signature that completed the set is dropped.
import { X509Certificate } from "node:crypto";
import { getBytes } from "ethers";
import { decisionDigest, decisionSignature } from "../chain/approval-typed-data";
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from "../errors";
import type { ApplicationRecord, ApplicationSignature } from "../store/application-store";
import { ApprovalRefusedError } from "./chain-errors";
import { recordAndIssue, type WaitFor } from "./decide";
import { PATH_SIGNATURES } from "./matter-rules";
import { decisionMessage, departmentOf, type ApprovalServiceDeps } from "./service-deps";

/** The digest the signers of `app` sign (0x-hex). */
export function applicationDigest(deps: ApprovalServiceDeps, app: ApplicationRecord): string {
  return decisionDigest(deps.chain.domain, decisionMessage(app));
}

export interface SignInput {
  role: "staff" | "chief";
  /**
   * A DER ECDSA signature of the digest made by the person's own key elsewhere (a token, a
   * wallet); absent: this node signs with the department's dev key for the role.
   */
  signatureDer?: Uint8Array;
}

export async function signApplication(
  deps: ApprovalServiceDeps,
  id: string,
  operatorDepartment: string,
  input: SignInput,
  opts: { waitFor?: WaitFor } = {},
): Promise<ApplicationRecord> {
  const app = deps.applications.get(id);
  if (!app && deps.intakeQueue.get(id)) {
    throw new ConflictError("APPLICATION_NOT_REVIEWED", `Application ${id} was accepted while the chain was unreachable; it takes signatures once it is reviewed`);
  }
  if (!app) throw new NotFoundError("APPLICATION_NOT_FOUND", `No application ${id}`);
  if (operatorDepartment !== app.departmentCode && operatorDepartment !== deps.hallDepartmentCode) {
    throw new ForbiddenError("MATTER_NOT_HANDLED", `Application ${id} is ${app.departmentCode}'s; only its operators or the hall's sign it`);
  }
  if (app.status !== "awaiting-signatures") {
    throw new ConflictError("APPLICATION_NOT_AWAITING_SIGNATURES", `Application ${id} is ${app.status}; it takes no signature`);
  }
  const signer = departmentOf(deps, operatorDepartment).signerFor(input.role);
  if (signer.algorithm !== "ecdsa-p256") throw new BadRequestError("SIGNER_NOT_P256", "Decisions are signed with a P-256 key");
  const spkiDer = new Uint8Array(new X509Certificate(signer.certificateDer).publicKey.export({ type: "spki", format: "der" }));
  const digest = getBytes(applicationDigest(deps, app));
  const der = input.signatureDer ?? (await signer.sign(digest));
  let point;
  try {
    point = decisionSignature(spkiDer, der, "der");
  } catch (err) {
    throw new BadRequestError("SIGNATURE_MALFORMED", "signature is not a DER ECDSA P-256 signature", { cause: err });
  }
  const signature: ApplicationSignature = { role: input.role, departmentCode: operatorDepartment, keyId: signer.keyId, ...point, signedAtMs: deps.clock.now() };
  const signed: ApplicationRecord = { ...app, signatures: [...app.signatures, signature] };
  if (signed.signatures.length < PATH_SIGNATURES[app.path]) {
    deps.applications.save(signed, deps.clock.now());
    return signed;
  }
  try {
    return await recordAndIssue(deps, signed, "approved", opts);
  } catch (err) {
    // The chain refused the set: keep the application waiting, without the signature just given.
    if (err instanceof ApprovalRefusedError) deps.applications.save(app, deps.clock.now());
    throw err;
  }
}
