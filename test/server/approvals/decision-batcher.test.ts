// The decision batcher's scheduling, over send functions the test holds open: a decision alone goes
// out at once; those that arrive while a send is on its way go out together, in order, at most 64
// at a time; a batch the contract refuses is sent again one by one, so each decision gets its own
// answer; an outage fails the whole batch (each is retried later by its application). The
// transactions themselves are covered against a chain in paths.test.ts and outage.test.ts.
import { expect } from "chai";
import type { SentApproval } from "../../../server/approvals/approvals-chain";
import { ApprovalRefusedError } from "../../../server/approvals/chain-errors";
import { createDecisionBatcher, MAX_DECISIONS_PER_BATCH, type DecisionInput } from "../../../server/approvals/decision-batcher";
import { ChainUnavailableError } from "../../../server/errors";

/** A decision input told apart by its application hash. */
const decision = (n: number): DecisionInput => ({
  decision: { applicationHash: `0x${n.toString(16).padStart(64, "0")}`, matter: "0x00", path: 0, ruleVersion: 1, outcome: 1, deadline: 0 },
  evidence: [],
  signatures: [],
});
const numberOf = (input: DecisionInput) => Number(BigInt(input.decision.applicationHash as string));
const mined = (txHash: string): SentApproval => ({ txHash, blockNumber: 1, blockTimeSec: 1, receipt: {} as SentApproval["receipt"] });

/** Send functions that record each call and answer only when the test releases it. */
function heldSends() {
  const calls: Array<{ kind: "one" | "many"; numbers: number[]; settle(result: SentApproval | Error): void }> = [];
  const call = (kind: "one" | "many", inputs: DecisionInput[]) =>
    new Promise<SentApproval>((resolve, reject) => {
      calls.push({ kind, numbers: inputs.map(numberOf), settle: (r) => (r instanceof Error ? reject(r) : resolve(r)) });
    });
  return { calls, sends: { sendOne: (input: DecisionInput) => call("one", [input]), sendMany: (inputs: DecisionInput[]) => call("many", inputs) } };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("decision batcher", function () {
  it("sends a decision alone at once, and the ones that arrive meanwhile together, in order, after it is mined", async function () {
    const { calls, sends } = heldSends();
    const batcher = createDecisionBatcher(sends);
    const first = batcher.record(decision(1));
    await turn();
    expect(calls.map((c) => [c.kind, c.numbers])).to.deep.equal([["one", [1]]]);
    const later = [2, 3, 4].map((n) => batcher.record(decision(n)));
    await turn();
    expect(calls).to.have.length(1);
    calls[0].settle(mined("0xa"));
    expect((await first).txHash).to.equal("0xa");
    await turn();
    await turn();
    expect(calls.map((c) => [c.kind, c.numbers])).to.deep.equal([["one", [1]], ["many", [2, 3, 4]]]);
    calls[1].settle(mined("0xb"));
    expect((await Promise.all(later)).map((s) => s.txHash)).to.deep.equal(["0xb", "0xb", "0xb"]);
  });

  it(`sends at most ${MAX_DECISIONS_PER_BATCH} in one call, the rest in the next`, async function () {
    const { calls, sends } = heldSends();
    const batcher = createDecisionBatcher(sends);
    const all = Array.from({ length: MAX_DECISIONS_PER_BATCH + 5 }, (_, i) => batcher.record(decision(i)));
    await turn();
    expect(calls[0].numbers).to.have.length(MAX_DECISIONS_PER_BATCH);
    calls[0].settle(mined("0x1"));
    await turn();
    await turn();
    expect(calls[1].numbers).to.deep.equal([64, 65, 66, 67, 68]);
    calls[1].settle(mined("0x2"));
    expect(new Set((await Promise.all(all)).map((s) => s.txHash))).to.deep.equal(new Set(["0x1", "0x2"]));
  });

  it("sends a refused batch again one by one: the refused decision gets its own error, the others are recorded", async function () {
    const { calls, sends } = heldSends();
    const batcher = createDecisionBatcher(sends);
    const answers = [1, 2, 3].map((n) => batcher.record(decision(n)).then((s) => s.txHash, (e: unknown) => e));
    await turn();
    calls[0].settle(new ApprovalRefusedError({ name: "ApprovalRulesEvidenceRevoked", args: [] }));
    await turn();
    await turn();
    expect(calls.slice(1).map((c) => [c.kind, c.numbers])).to.deep.equal([["one", [1]], ["one", [2]], ["one", [3]]]);
    calls[1].settle(mined("0xa"));
    calls[2].settle(new ApprovalRefusedError({ name: "ApprovalRulesEvidenceRevoked", args: [] }));
    calls[3].settle(mined("0xc"));
    const [a, b, c] = await Promise.all(answers);
    expect(a).to.equal("0xa");
    expect(b).to.be.instanceOf(ApprovalRefusedError).and.include({ code: "APPROVAL_RULES_EVIDENCE_REVOKED" });
    expect(c).to.equal("0xc");
  });

  it("fails every decision of a batch the chain could not take, and sends the next ones when asked again", async function () {
    const { calls, sends } = heldSends();
    const batcher = createDecisionBatcher(sends);
    const answers = [1, 2].map((n) => batcher.record(decision(n)).catch((e: unknown) => e));
    await turn();
    calls[0].settle(new ChainUnavailableError("CHAIN_UNREACHABLE", "down"));
    for (const answer of await Promise.all(answers)) expect(answer).to.be.instanceOf(ChainUnavailableError);
    const retry = batcher.record(decision(1));
    await turn();
    expect(calls.map((c) => c.kind)).to.deep.equal(["many", "one"]);
    calls[1].settle(mined("0xd"));
    expect((await retry).txHash).to.equal("0xd");
  });
});
