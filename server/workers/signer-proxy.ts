// The Signer across the thread boundary: a sign job gets the signer's public facts (algorithm, key
// id, certificates) as data and a sign() that is a host call, so the private key (or the HSM
// client holding it) never enters a worker.
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

/** Worker: a Signer with `facts` whose sign() asks the main thread's signer. */
export function signerOverHost(facts: SignerFacts, callHost: HostCall): Signer {
  return { ...facts, sign: (data) => callHost("signer.sign", [data]) as Promise<Uint8Array> };
}
