// The CMS SignedData structure: detached, SHA-256, the four signed attributes, certificate and CA
// included, and a signature that verifies over the DER SET of the signed attributes.
import { expect } from "chai";
import { createHash, createPublicKey, verify, X509Certificate } from "node:crypto";
import path from "node:path";
import * as pkijs from "pkijs";
import { DEMO_DEPARTMENTS } from "../../../server/demo/departments";
import { buildCmsSignature } from "../../../server/pdf/sign/cms";
import { ensureDevPki, type DevPki } from "../../../server/pki/dev-pki";
import { tempDir } from "./signature-tools";

const NOW = new Date("2025-03-01T08:00:00Z");

describe("buildCmsSignature", function () {
  let pki: DevPki;
  before(async function () {
    pki = await ensureDevPki(path.join(tempDir("cms"), "data"), DEMO_DEPARTMENTS.slice(0, 1), {
      now: NOW,
      algorithms: ["ecdsa-p256", "rsa-2048"],
    });
  });

  for (const algorithm of ["ecdsa-p256", "rsa-2048"] as const) {
    it(`builds detached SignedData with the four signed attributes (${algorithm})`, async function () {
      const signer = pki.signerFor("SAMR", "seal", algorithm);
      const digest = createHash("sha256").update("document bytes").digest();
      const der = await buildCmsSignature({ signer, contentDigest: digest, signingTime: NOW });
      const info = pkijs.ContentInfo.fromBER(der);
      expect(info.contentType).to.equal("1.2.840.113549.1.7.2");
      const sd = new pkijs.SignedData({ schema: info.content });
      expect(sd.encapContentInfo.eContent).to.equal(undefined);
      expect(sd.certificates).to.have.length(2);
      const si = sd.signerInfos[0];
      expect(si.digestAlgorithm.algorithmId).to.equal("2.16.840.1.101.3.4.2.1");
      const attrs = si.signedAttrs?.attributes ?? [];
      expect(attrs.map((a) => a.type)).to.deep.equal([
        "1.2.840.113549.1.9.3",
        "1.2.840.113549.1.9.5",
        "1.2.840.113549.1.9.4",
        "1.2.840.113549.1.9.16.2.47",
      ]);
      const md = attrs[2].values[0].valueBlock.valueHexView as Uint8Array;
      expect(Buffer.from(md).equals(digest)).to.equal(true);

      const signedAttrsDer = new Uint8Array(si.signedAttrs?.toSchema().toBER() ?? new ArrayBuffer(0));
      signedAttrsDer[0] = 0x31;
      const cert = new X509Certificate(Buffer.from(signer.certificateDer));
      const key = createPublicKey(cert.publicKey.export({ type: "spki", format: "pem" }));
      const sig = Buffer.from(si.signature.valueBlock.valueHexView);
      expect(verify("sha256", signedAttrsDer, key, sig)).to.equal(true);
      const tampered = Buffer.from(signedAttrsDer);
      tampered[tampered.length - 1] ^= 1;
      expect(verify("sha256", tampered, key, sig)).to.equal(false);
    });
  }
});
