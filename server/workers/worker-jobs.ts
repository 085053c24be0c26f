// The production jobs, run inside a worker: "verify" (verifyPdf) and "sign" (sealPdf,
// countersignPdf, issueCertificate). Each worker keeps what is worth keeping across jobs: its certificate cache
// (department certificates repeat across uploads) and the certificate fonts, parsed on the first
// seal, countersignature or certificate.
import { countersignPdf } from "../pdf/countersign-pdf";
import { issueCertificate } from "../pdf/issue-certificate";
import { loadCertificateFonts, type CertificateFonts } from "../pdf/fonts";
import { sealPdf } from "../pdf/seal-pdf";
import { createCertificateCache, verifyPdf } from "../verify";
import { chainReaderOverHost } from "./chain-proxy";
import type { SignJobInput, VerifyJobInput } from "./pool-jobs";
import { createSignerProxies } from "./signer-proxy";
import type { JobRegistry } from "./worker-runtime";

/** The jobs of one worker, with that worker's own caches. */
export function createWorkerJobs(): JobRegistry {
  const certificates = createCertificateCache();
  const signers = createSignerProxies();
  let fonts: CertificateFonts | undefined;
  return {
    /** Loads what issuing and sealing need, so the first such job does not pay for it. */
    async warm() {
      fonts ??= loadCertificateFonts();
      return { value: undefined };
    },
    async verify(input, callHost) {
      const job = input as VerifyJobInput;
      const chain = job.online ? chainReaderOverHost(callHost) : undefined;
      return { value: await verifyPdf(job.pdfBytes, { chain, certificates, limits: job.limits }) };
    },
    async sign(input, callHost) {
      const job = input as SignJobInput;
      const signed = await signers.during(callHost, async (signerFor): Promise<Uint8Array> => {
        const signer = signerFor(job.signer);
        fonts ??= loadCertificateFonts();
        if (job.operation === "seal") return sealPdf(job.pdfBytes, { ...job, signer, sealFont: fonts.bold });
        if (job.operation === "issue") {
          const { template, operation: _op, signer: _facts, ...params } = job;
          return (await issueCertificate(template, { ...params, fonts, signer })).pdfBytes;
        }
        return countersignPdf(job.pdfBytes, { ...job, signer, font: fonts.regular });
      });
      const own = ownedBytes(signed);
      return { value: own, transfer: [own.buffer] };
    },
  };
}

/** `bytes` over an ArrayBuffer of its own, which can be moved to the main thread without copying the rest of a shared one. */
function ownedBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  if (bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes as Uint8Array<ArrayBuffer>;
  return new Uint8Array(bytes);
}
