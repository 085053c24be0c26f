// A worker's signer proxies: the same signer facts give the same Signer object in every job (so
// what cms.ts keeps per Signer, the parsed certificates, serves every job), and each sign() goes
// to the host of the job it runs in, never another job's; outside a job it refuses.
import { expect } from "chai";
import { createSignerProxies, type SignerFacts } from "../../../server/workers/signer-proxy";
import type { HostCall } from "../../../server/workers/worker-runtime";

const facts = (certificateByte: number): SignerFacts => ({
  algorithm: "ecdsa-p256",
  keyId: "0x" + "ab".repeat(32),
  certificateDer: new Uint8Array([0x30, certificateByte]),
  chainDer: [new Uint8Array([0x30, 0x01])],
});

/** A job's host that answers signer.sign with `mark` followed by the data, and records the calls. */
function host(mark: number): { callHost: HostCall; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    callHost: async (name, args) => {
      calls.push(name);
      return new Uint8Array([mark, ...(args[0] as Uint8Array)]);
    },
  };
}

describe("createSignerProxies: one Signer per signer in a worker, each sign() to its own job's host", function () {
  it("gives the same Signer object for the same facts in two jobs, and another for other facts", async function () {
    const proxies = createSignerProxies();
    const first = await proxies.during(host(1).callHost, async (signerFor) => signerFor(facts(7)));
    // A later job's facts arrive as fresh copies (structured clone): equal bytes, other objects.
    const second = await proxies.during(host(2).callHost, async (signerFor) => signerFor(facts(7)));
    const other = await proxies.during(host(3).callHost, async (signerFor) => signerFor(facts(8)));
    expect(second).to.equal(first);
    expect(other).not.to.equal(first);
  });

  it("sends each sign() to the host of the job it runs in, even with two jobs under way at once", async function () {
    const proxies = createSignerProxies();
    const a = host(0xa);
    const b = host(0xb);
    let releaseA: () => void = () => undefined;
    const aWaits = new Promise<void>((resolve) => (releaseA = resolve));
    const jobA = proxies.during(a.callHost, async (signerFor) => {
      await aWaits;
      return signerFor(facts(7)).sign(new Uint8Array([1]));
    });
    const jobB = proxies.during(b.callHost, async (signerFor) => signerFor(facts(7)).sign(new Uint8Array([2])));
    expect([...(await jobB)]).to.deep.equal([0xb, 2]);
    releaseA();
    expect([...(await jobA)]).to.deep.equal([0xa, 1]);
    expect([a.calls, b.calls]).to.deep.equal([["signer.sign"], ["signer.sign"]]);
  });

  it("refuses a sign() made outside any job", async function () {
    const proxies = createSignerProxies();
    const signer = await proxies.during(host(1).callHost, async (signerFor) => signerFor(facts(7)));
    const err = await signer.sign(new Uint8Array([1])).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as Error).message).to.match(/outside a sign job/);
  });
});
