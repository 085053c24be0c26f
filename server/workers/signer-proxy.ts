// The Signer across the thread boundary: a sign job gets the signer's public facts (algorithm, key
// id, certificates) as data and a sign() that is a host call, so the private key (or the HSM
// client holding it) never enters a worker.
import { AsyncLocalStorage } from "node:async_hooks";
import type { Signer, SignerAlgorithm } from "../pki/signer";
import type { HostFunctions } from "./worker-pool";
import type { HostCall } from "./worker-runtime";

/** What of a Signer a worker receives: everything but the key. */
export interface SignerFacts {
  algorithm: SignerAlgorithm;
  keyId: string;
  certificateDer: Uint8Array;
  chainDer: Uint8Array[];
}

/** Main thread: the signer's facts for the job's input. */
export function signerFacts(signer: Signer): SignerFacts {
  return { algorithm: signer.algorithm, keyId: signer.keyId, certificateDer: signer.certificateDer, chainDer: [...signer.chainDer] };
}

/** Main thread: the host function a sign job's signer proxy calls. */
export function signerHostFunctions(signer: Signer): HostFunctions {
  return { "signer.sign": (data) => signer.sign(data as Uint8Array) };
}

/** Distinct signers a worker keeps at most (departments × roles; more only drops the oldest). */
const KEPT_SIGNERS = 64;

/** Worker: the signer proxies of one worker; see {@link SignerProxies.during}. */
export interface SignerProxies {
  /**
   * Runs one job's `work` with `signerFor`, which gives the Signer with `facts` whose sign() asks
   * the main thread through this job's `callHost`. The same facts give the same Signer object in
   * every job: cms.ts keeps each Signer's certificates parsed (about 2 ms a signature otherwise,
   * a quarter of issuing a certificate), which a fresh object per job threw away every time.
   */
  during<T>(callHost: HostCall, work: (signerFor: (facts: SignerFacts) => Signer) => Promise<T>): Promise<T>;
}

/** Worker: signer proxies kept across jobs, each sign() routed to the host of the job it runs in. */
export function createSignerProxies(): SignerProxies {
  // The job a sign() belongs to, followed through its awaits: a kept Signer serves many jobs.
  const jobHost = new AsyncLocalStorage<HostCall>();
  const kept = new Map<string, Signer>();
  const sign = (data: Uint8Array): Promise<Uint8Array> => {
    const callHost = jobHost.getStore();
    if (!callHost) return Promise.reject(new Error("a worker's signer was used outside a sign job"));
    return callHost("signer.sign", [data]) as Promise<Uint8Array>;
  };
  const signerFor = (facts: SignerFacts): Signer => {
    const key = [facts.algorithm, facts.keyId, facts.certificateDer, ...facts.chainDer].map((part) => (typeof part === "string" ? part : Buffer.from(part).toString("base64"))).join(":");
    let signer = kept.get(key);
    if (!signer) {
      signer = { algorithm: facts.algorithm, keyId: facts.keyId, certificateDer: facts.certificateDer, chainDer: facts.chainDer, sign };
      kept.set(key, signer);
      if (kept.size > KEPT_SIGNERS) kept.delete(kept.keys().next().value as string);
    }
    return signer;
  };
  return { during: (callHost, work) => jobHost.run(callHost, () => work(signerFor)) };
}
