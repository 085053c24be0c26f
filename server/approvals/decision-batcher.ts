// One department's decision transactions, batched by the chain's own pace: a decision that finds
// none of the department's decisions on the way goes out at once, alone; those that arrive while
// one is being mined wait for it and then go out together in one recordDecisions call. At low load
// every decision is sent as soon as it is made; under load there is one transaction per block
// whatever the number of applications. The contract records a batch all or none, so a refused
// batch is sent again one decision at a time: each gets its own answer, the others are recorded.
import type { IApprovalRules } from "../../typechain-types";
import type { SentApproval } from "./approvals-chain";
import { ApprovalRefusedError } from "./chain-errors";

/** The most decisions in one call: the contract's MAX_DECISIONS_PER_CALL. */
export const MAX_DECISIONS_PER_BATCH = 64;

/** What one decision sends: recordDecision's arguments, and one entry of recordDecisions. */
export type DecisionInput = IApprovalRules.DecisionInputStruct;

export interface DecisionBatcher {
  /** Resolves once the decision is mined (alone or in a batch); rejects with its own refusal. */
  record(input: DecisionInput): Promise<SentApproval>;
}

interface Waiting {
  input: DecisionInput;
  resolve(sent: SentApproval): void;
  reject(err: unknown): void;
}

export function createDecisionBatcher(send: {
  sendOne(input: DecisionInput): Promise<SentApproval>;
  sendMany(inputs: DecisionInput[]): Promise<SentApproval>;
}): DecisionBatcher {
  const waiting: Waiting[] = [];
  let sending = false;
  let scheduled = false;

  const one = (w: Waiting) => send.sendOne(w.input).then(w.resolve, w.reject);

  const sendBatch = async (batch: Waiting[]) => {
    if (batch.length === 1) return one(batch[0]);
    try {
      const sent = await send.sendMany(batch.map((w) => w.input));
      for (const w of batch) w.resolve(sent);
    } catch (err) {
      if (!(err instanceof ApprovalRefusedError)) {
        for (const w of batch) w.reject(err);
        return;
      }
      // One of them is refused (or a revocation raced the batch): each on its own.
      await Promise.all(batch.map(one));
    }
  };

  const flush = () => {
    scheduled = false;
    if (sending || waiting.length === 0) return;
    sending = true;
    void sendBatch(waiting.splice(0, MAX_DECISIONS_PER_BATCH)).finally(() => {
      sending = false;
      schedule();
    });
  };

  // Decisions made in the same turn of the loop join the same batch.
  const schedule = () => {
    if (scheduled || sending || waiting.length === 0) return;
    scheduled = true;
    setImmediate(flush);
  };

  return {
    record(input) {
      return new Promise<SentApproval>((resolve, reject) => {
        waiting.push({ input, resolve, reject });
        schedule();
      });
    },
  };
}
