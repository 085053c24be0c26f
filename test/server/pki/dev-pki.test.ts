// The dev key store: files and modes, reuse across runs, key ids as the registry computes them,
// certificate contents, and reissue when a certificate has expired.
import { expect } from "chai";
import { X509Certificate } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { keyIdFromSpki } from "../../../server/chain/key-id";
import { DEMO_DEPARTMENTS } from "../../../server/demo/departments";
import { ZeroSignError } from "../../../server/errors";
import { ensureDevPki } from "../../../server/pki/dev-pki";
import { exportCaPem } from "../../../server/pki/export-ca";
import { tempDir } from "../pdf/signature-tools";

const NOW = new Date("2025-03-01T08:00:00Z");

describe("ensureDevPki", function () {
  it("creates a CA and staff, chief and seal keys per department, in 0700 directories and 0600 files", async function () {
    const data = tempDir("pki");
    const pki = await ensureDevPki(data, DEMO_DEPARTMENTS, { now: NOW });
    expect(pki.keys).to.have.length(DEMO_DEPARTMENTS.length * 3);
    expect(statSync(path.join(data, "pki")).mode & 0o777).to.equal(0o700);
    for (const d of DEMO_DEPARTMENTS) {
      const dir = path.join(data, "pki", d.code);
      expect(statSync(dir).mode & 0o777).to.equal(0o700);
      const files = readdirSync(dir).sort();
      expect(files).to.deep.equal(
        ["ca", "chief", "seal", "staff"].flatMap((n) => [`${n}.cert.pem`, `${n}.key.pem`]).sort(),
      );
      for (const f of files) expect(statSync(path.join(dir, f)).mode & 0o777, f).to.equal(0o600);
    }
  });

  it("reuses the stored keys on the next call (same key ids)", async function () {
    const data = tempDir("pki");
    const first = await ensureDevPki(data, DEMO_DEPARTMENTS, { now: NOW });
    const second = await ensureDevPki(data, DEMO_DEPARTMENTS, { now: new Date(NOW.getTime() + 86_400_000) });
    expect(second.keys.map((k) => k.keyId)).to.deep.equal(first.keys.map((k) => k.keyId));
  });

  it("derives each key id with keyIdFromSpki and issues subject O=<name>, CN=<name> <role>", async function () {
    const pki = await ensureDevPki(tempDir("pki"), DEMO_DEPARTMENTS.slice(0, 1), { now: NOW });
    const seal = pki.keys.find((k) => k.role === "seal");
    if (!seal) throw new Error("no seal key");
    const cert = new X509Certificate(Buffer.from(seal.certificateDer));
    const spki = new Uint8Array(cert.publicKey.export({ type: "spki", format: "der" }));
    expect(seal.keyId).to.equal(keyIdFromSpki(spki));
    expect(seal.keyId).to.match(/^0x[0-9a-f]{64}$/);
    expect(cert.subject).to.equal("O=市场监督管理局\nCN=市场监督管理局 seal");
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).to.equal("prime256v1");
    expect(seal.validFromSec).to.be.at.most(NOW.getTime() / 1000);
    expect(seal.validUntilSec - NOW.getTime() / 1000).to.be.within(3 * 365 * 86400, 3 * 366 * 86400);
    const ca = new X509Certificate(Buffer.from(pki.caCertificates.get("SAMR") ?? new Uint8Array()));
    expect(cert.checkIssued(ca)).to.equal(true);
    expect(cert.verify(ca.publicKey)).to.equal(true);
  });

  it("provides RSA-2048 keys beside the P-256 ones when asked", async function () {
    const pki = await ensureDevPki(tempDir("pki"), DEMO_DEPARTMENTS.slice(0, 1), { now: NOW, algorithms: ["ecdsa-p256", "rsa-2048"] });
    const rsa = pki.signerFor("SAMR", "chief", "rsa-2048");
    const cert = new X509Certificate(Buffer.from(rsa.certificateDer));
    expect(cert.publicKey.asymmetricKeyType).to.equal("rsa");
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).to.equal(2048);
    expect(rsa.keyId).not.to.equal(pki.signerFor("SAMR", "chief").keyId);
  });

  it("reissues a certificate that has expired, with a new key id", async function () {
    const data = tempDir("pki");
    const first = await ensureDevPki(data, DEMO_DEPARTMENTS.slice(0, 1), { now: NOW });
    const later = new Date(NOW.getTime() + 4 * 365 * 86_400_000);
    const second = await ensureDevPki(data, DEMO_DEPARTMENTS.slice(0, 1), { now: later });
    const staff = (p: typeof first) => p.keys.find((k) => k.role === "staff")?.keyId;
    expect(staff(second)).not.to.equal(staff(first));
    expect(second.keys[0].validUntilSec).to.be.greaterThan(later.getTime() / 1000);
  });

  it("throws PKI_UNKNOWN_KEY for a department or algorithm it does not hold", async function () {
    const pki = await ensureDevPki(tempDir("pki"), DEMO_DEPARTMENTS.slice(0, 1), { now: NOW });
    for (const call of [() => pki.signerFor("NOPE", "seal"), () => pki.signerFor("SAMR", "seal", "rsa-2048")]) {
      let caught: unknown;
      try {
        call();
      } catch (err) {
        caught = err;
      }
      expect(caught).to.be.instanceOf(ZeroSignError);
      expect((caught as ZeroSignError).code).to.equal("PKI_UNKNOWN_KEY");
    }
  });

  it("exports every demo department's CA certificate as one PEM bundle", async function () {
    const data = tempDir("pki");
    const pem = await exportCaPem(data);
    const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g) ?? [];
    expect(blocks).to.have.length(DEMO_DEPARTMENTS.length);
    const subjects = blocks.map((b) => new X509Certificate(b).subject);
    expect(subjects[0]).to.equal("O=市场监督管理局\nCN=市场监督管理局 ZeroSign Dev Root CA");
    expect(blocks.every((b) => new X509Certificate(b).ca)).to.equal(true);
  });
});
