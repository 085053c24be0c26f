// The approvals service as the HTTP layer and main.ts hold it: one object over its parts, each
// method one stage (intake, signatures, post-check, filings, statistics). State lives in the
// application store and on chain; this object holds none.
import type { RevokeOnChain } from "../chain/revoke-document";
import { NotFoundError } from "../errors";
import type { ApplicationRecord } from "../store/application-store";
import type { QueuedIntake } from "../store/intake-queue";
import { completeDecision, createIssueTracker, issueFor, type WaitFor } from "./decide";
import { closeDueFilings, closeFiling, fileObjection, listFilings, resolveObjection, type PublicFiling } from "./filings";
import { reviewQueued, submitApplication, type ApplicationInput } from "./intake";
import { recordPostCheck } from "./post-check";
import type { ApprovalServiceDeps } from "./service-deps";
import { applicationDigest, signApplication, type SignInput } from "./signatures";
import { computeStatistics, type Statistics } from "./statistics";
import type { MatterDefinition } from "./types";

export interface ApprovalService {
  catalog: readonly MatterDefinition[];
  /**
   * Intake; `waitFor` decided: answered once the decision is on chain, the certificate follows.
   * While the chain is unreachable the application is accepted and queued for its review.
   */
  submit(operatorDepartment: string, input: ApplicationInput, opts?: { waitFor?: WaitFor }): Promise<ApplicationRecord | QueuedIntake>;
  /** An application, or one accepted and waiting in the queue for its review. */
  get(id: string): ApplicationRecord | QueuedIntake;
  /** The EIP-712 digest a signer of a waiting application signs (0x-hex). */
  digestOf(app: ApplicationRecord): string;
  sign(id: string, operatorDepartment: string, input: SignInput, opts?: { waitFor?: WaitFor }): Promise<ApplicationRecord>;
  postCheck(id: string, operatorDepartment: string, passed: boolean): Promise<ApplicationRecord>;
  filings(): PublicFiling[];
  object(id: string, text: string): Promise<PublicFiling>;
  resolveObjection(id: string, objectionId: string, operatorDepartment: string, upheld: boolean): Promise<PublicFiling>;
  closeFiling(id: string): Promise<ApplicationRecord>;
  closeDueFilings(): Promise<number>;
  statistics(): Statistics;
  /**
   * Carries on what an outage or a crash left: applications accepted while the chain was away
   * (reviewed now), deciding ones (their decision recorded once, or found on chain) and decided
   * approvals without a certificate. `startup`: every deciding one;
   * otherwise only those whose last attempt failed (one in flight in a request is left alone).
   * Returns how many moved on; one run at a time.
   */
  resume(opts?: { startup?: boolean }): Promise<number>;
}

export function createApprovalService(given: Omit<ApprovalServiceDeps, "issuing"> & { revokeOnChain: RevokeOnChain }): ApprovalService {
  const deps = { ...given, issuing: createIssueTracker() };
  let resuming = false;
  return {
    catalog: deps.catalog,
    submit: (operatorDepartment, input, opts) => submitApplication(deps, operatorDepartment, input, opts),
    get(id) {
      const app = deps.applications.get(id) ?? deps.intakeQueue.get(id);
      if (!app) throw new NotFoundError("APPLICATION_NOT_FOUND", `No application ${id}`);
      return app;
    },
    digestOf: (app) => applicationDigest(deps, app),
    sign: (id, operatorDepartment, input, opts) => signApplication(deps, id, operatorDepartment, input, opts),
    postCheck: (id, operatorDepartment, passed) => recordPostCheck(deps, id, operatorDepartment, passed),
    filings: () => listFilings(deps),
    object: (id, text) => fileObjection(deps, id, text),
    resolveObjection: (id, objectionId, operatorDepartment, upheld) => resolveObjection(deps, id, objectionId, operatorDepartment, upheld),
    closeFiling: (id) => closeFiling(deps, id),
    closeDueFilings: () => closeDueFilings(deps),
    statistics: () => computeStatistics(deps.applications.list(), deps.catalog),
    async resume(opts = {}) {
      if (resuming) return 0;
      resuming = true;
      let resumed = 0;
      try {
        for (const queued of deps.intakeQueue.list()) {
          if (queued.state !== "waiting") continue;
          const moved = await reviewQueued(deps, queued).catch((err: unknown) => {
            deps.log.warn({ err, application: queued.id }, "reviewing a queued application failed");
            return false;
          });
          if (moved) resumed += 1;
        }
        for (const app of deps.applications.listByStatus("deciding")) {
          if (!opts.startup && app.lastError === undefined) continue;
          const after = await completeDecision(deps, app, { waitFor: "issued" }).catch((err: unknown) => {
            deps.log.warn({ err, application: app.id }, "resuming a decision failed");
            return app;
          });
          if (after.status !== "deciding") resumed += 1;
        }
        for (const app of deps.applications.listByStatus("decided")) {
          // The decision is on chain (decided is saved after it is mined): only the certificate is missing.
          // One being issued for a request just now is left to it.
          if (app.outcome !== "approved" || deps.issuing.has(app.id)) continue;
          await deps.issuing.run(app, (a) => issueFor(deps, a));
          resumed += 1;
        }
      } finally {
        resuming = false;
      }
      return resumed;
    },
  };
}
