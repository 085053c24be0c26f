// signerFacts: one entry per signature from its CMS, the key id equal to the dev PKI's registry key
// id, undefined where the CMS is unusable, and computed once per verification.
import { expect } from "chai";
import { readPdfForVerification } from "../../../server/pdf/read/read-pdf";
import { createCertificateCache } from "../../../server/verify/certificate-cache";
import type { VerifyContext } from "../../../server/verify/context";
import { signerFacts } from "../../../server/verify/signer-facts";
import { makeSignedSamples, withContents, type SignedSamples } from "./fixtures/forgery-fixtures";
import { tempDir } from "../pdf/signature-tools";

async function contextFor(pdfBytes: Uint8Array): Promise<{ ctx: VerifyContext; computed: string[] }> {
  const memos = new Map<string, Promise<unknown>>();
  const computed: string[] = [];
  const ctx: VerifyContext = {
    pdf: await readPdfForVerification(pdfBytes),
    certificates: createCertificateCache(),
    earlier: [],
    memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
      if (!memos.has(key)) {
        computed.push(key);
        memos.set(key, compute());
      }
      return memos.get(key) as Promise<T>;
    },
  };
  return { ctx, computed };
}

describe("signerFacts", function () {
  let s: SignedSamples;

  before(async function () {
    s = await makeSignedSamples(tempDir("signer-facts"));
  });

  it("gives each signature's certificate, key id, subject, algorithm and claimed time", async function () {
    const { ctx } = await contextFor(s.twice);
    const facts = await signerFacts(ctx);
    const staff = s.pki.keys.find((k) => k.role === "staff" && k.algorithm === "ecdsa-p256");
    const chief = s.pki.keys.find((k) => k.role === "chief" && k.algorithm === "rsa-2048");
    expect(facts.map((f) => f?.keyIdHex)).to.deep.equal([staff?.keyId, chief?.keyId]);
    expect(Buffer.from(facts[0]?.certificateDer ?? []).equals(Buffer.from(staff?.certificateDer ?? [1]))).to.equal(true);
    expect(facts.map((f) => f?.algorithm)).to.deep.equal(["ECDSA P-256 with SHA-256", "RSA-2048 PKCS#1 v1.5 with SHA-256"]);
    expect(facts[0]?.subject).to.match(/CN=.* staff$/);
    expect(facts[0]?.signingTime).to.equal("2025-03-01T08:00:00.000Z");
    expect(facts[0]?.otherCertificatesDer).to.have.length(1);
  });

  it("gives undefined for a signature whose CMS cannot be parsed", async function () {
    const { ctx } = await contextFor(withContents(s.ecdsa, "<3006020101020102>"));
    expect(await signerFacts(ctx)).to.deep.equal([undefined]);
  });

  it("parses each CMS once per verification", async function () {
    const { ctx, computed } = await contextFor(s.twice);
    await signerFacts(ctx);
    await signerFacts(ctx);
    expect([...computed].sort()).to.deep.equal(["signed-data:0", "signed-data:1", "signer-facts"]);
  });
});
