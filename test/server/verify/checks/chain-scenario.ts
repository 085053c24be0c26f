// Shared parts of the chain-check tests, all real: certificates issued and countersigned by our
// signing code with dev PKI keys in a temp dir, the TrustRegistry and DocumentLedger on the
// Hardhat network (SAMR and MCA with one operator each, from the contract fixtures), keys
// registered and documents anchored with set block times, and the checks run over a context whose
// PDF comes from the verifier's own reader.
import path from "node:path";
import { createHash } from "node:crypto";
import net from "node:net";
import { ethers } from "hardhat";
import { loadFixture, mine, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { createChainReader } from "../../../../server/chain/chain-reader";
import { createHttpJsonRpc, JsonRpcCallError, jsonRpcOver } from "../../../../server/chain/json-rpc";
import { attachZeroSign, type Deployment } from "../../../../server/chain/deploy";
import { KEY_ROLES } from "../../../../server/chain/roles";
import { DEMO_DEPARTMENTS } from "../../../../server/demo/departments";
import { countersignPdf } from "../../../../server/pdf/countersign-pdf";
import { countersignMark } from "../../pdf/countersign-mark";
import { demoTemplate } from "../../../../server/pdf/demo-template";
import { loadCertificateFonts } from "../../../../server/pdf/fonts";
import { issueCertificate } from "../../../../server/pdf/issue-certificate";
import { readPdfForVerification } from "../../../../server/pdf/read/read-pdf";
import { ensureDevPki, type DevPki, type SigningRole } from "../../../../server/pki/dev-pki";
import { createCertificateCache } from "../../../../server/verify/certificate-cache";
import type { ChainReader } from "../../../../server/verify/chain-reader";
import type { Check, VerifyContext } from "../../../../server/verify/context";
import type { CheckResult } from "../../../../server/verify/types";
import { verifyPdf } from "../../../../server/verify/verifier";
import type { DocumentLedger, TrustRegistry } from "../../../../typechain-types";
import { anchorEntries, departmentsFixture, SAMR } from "../../../contracts/fixtures";
import { tempDir } from "../../pdf/signature-tools";

const SIGNING_TIME = new Date("2025-03-01T08:00:00Z");

/** A department whose dev keys are never registered: its signatures are by unknown keys. */
const UNREGISTERED = { code: "ROGUE", nameZh: "未登记单位", nameEn: "Unregistered office", bureau: false };

/** The PDFs every chain-check test uses, made once per test file. */
export interface SignedPdfs {
  pki: DevPki;
  /** A certificate sealed by SAMR's seal key (one revision after the unsigned original). */
  sealed: Uint8Array;
  /** `sealed` countersigned by SAMR's chief representative: one more revision. */
  countersigned: Uint8Array;
  /** The same certificate sealed by a key the registry never heard of. */
  rogueSealed: Uint8Array;
}

/** Issues the test certificates with fresh dev keys in a temp dir (a few seconds: key generation). */
export async function makeSignedPdfs(): Promise<SignedPdfs> {
  const pki = await ensureDevPki(path.join(tempDir("chain-checks"), "data"), [...DEMO_DEPARTMENTS, UNREGISTERED], {
    now: SIGNING_TIME,
  });
  const fonts = loadCertificateFonts();
  const issue = async (departmentCode: string) =>
    (
      await issueCertificate(demoTemplate({ issueDate: "2025-03-01" }), {
        fonts,
        publicBaseUrl: "http://127.0.0.1:8080",
        signer: pki.signerFor(departmentCode, "seal"),
        signingTime: SIGNING_TIME,
      })
    ).pdfBytes;
  const sealed = await issue("SAMR");
  const countersigned = await countersignPdf(sealed, {
    ...countersignMark(),
    signer: pki.signerFor("SAMR", "chief"),
    role: "chief",
    signingTime: SIGNING_TIME,
  });
  return { pki, sealed, countersigned, rogueSealed: await issue(UNREGISTERED.code) };
}

/** Contracts, SAMR and MCA, and a reader over Hardhat's provider; `t0` is the fixture's chain time. */
export async function chainFixture() {
  const base = await departmentsFixture();
  const t0 = await time.latest();
  return { ...base, t0, reader: readerFor(base.deployment) };
}

export type ChainFixture = Awaited<ReturnType<typeof chainFixture>>;

/** A chain reader over Hardhat's in-process provider (read only). */
export function readerFor(deployment: Deployment): ChainReader {
  return createChainReader({ rpc: jsonRpcOver(ethers.provider), deployment });
}

/** A reader whose node answers everything but log searches, which it refuses as a range-capped node does. */
export function logsRefusingReader(deployment: Deployment): ChainReader {
  const inner = jsonRpcOver(ethers.provider);
  return createChainReader({
    rpc: {
      request: (method, params) =>
        method === "eth_getLogs"
          ? Promise.reject(new JsonRpcCallError(method, { code: -32005, message: "Requested range exceeds maximum RPC range limit" }))
          : inner.request(method, params),
    },
    deployment,
  });
}

/** A reader whose node is gone: a port that was bound once and released. */
export async function unreachableReader(deployment: Deployment): Promise<ChainReader> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return createChainReader({ rpc: createHttpJsonRpc(`http://127.0.0.1:${port}`), deployment });
}

/** Registers a dev key for `departmentId` with the window [fromSec, untilSec], as that department's operator. */
export async function registerKey(
  registry: TrustRegistry,
  operator: HardhatEthersSigner,
  pki: DevPki,
  key: { departmentCode: string; role: SigningRole },
  departmentId: string,
  window: { fromSec: number; untilSec: number },
): Promise<string> {
  const found = pki.keys.find((k) => k.departmentCode === key.departmentCode && k.role === key.role && k.algorithm === "ecdsa-p256");
  if (!found) throw new Error(`no dev key ${key.departmentCode}/${key.role}`);
  await registry.connect(operator).registerKey(found.keyId, departmentId, KEY_ROLES[key.role], window.fromSec, window.untilSec);
  return found.keyId;
}

/** A fresh chain with SAMR's seal and chief keys (from `pdfs`' dev PKI) valid for [t0, t0 + 1e6]. */
export async function withSamrKeys(pdfs: SignedPdfs): Promise<ChainFixture> {
  const snapshot = await loadFixture(chainFixture);
  // Blocks after a reverted snapshot follow the wall clock, which may be minutes past the
  // snapshot's time in a long run: t0 is taken from a block mined now.
  await mine();
  const f = { ...snapshot, t0: await time.latest() };
  const window = { fromSec: f.t0, untilSec: f.t0 + 1_000_000 };
  await registerKey(f.registry, f.samrOperator, pdfs.pki, { departmentCode: "SAMR", role: "seal" }, SAMR, window);
  await registerKey(f.registry, f.samrOperator, pdfs.pki, { departmentCode: "SAMR", role: "chief" }, SAMR, window);
  return f;
}

/** SHA-256 of bytes as 0x-hex: what ZeroSign anchors. */
export function sha256Hex(bytes: Uint8Array): string {
  return "0x" + createHash("sha256").update(bytes).digest("hex");
}

/** Anchors SHA-256 of `bytes` as a certificate, in a block with timestamp `atSec`. */
export async function anchorPdf(
  ledger: DocumentLedger,
  operator: HardhatEthersSigner,
  bytes: Uint8Array,
  atSec: number,
): Promise<{ batchId: number; docHashHex: string }> {
  const docHashHex = sha256Hex(bytes);
  await time.setNextBlockTimestamp(atSec);
  const { batchId } = await anchorEntries(ledger, operator, [{ docHashHex, kind: 0 }]);
  return { batchId, docHashHex };
}

/** A verification context over the verifier's reading of `bytes`, with a plain per-run memo. */
export async function contextFor(bytes: Uint8Array, chain: ChainReader | undefined): Promise<VerifyContext> {
  const pdf = await readPdfForVerification(bytes);
  const memo = new Map<string, Promise<unknown>>();
  return {
    pdf,
    chain,
    certificates: createCertificateCache(),
    earlier: [],
    memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
      let found = memo.get(key) as Promise<T> | undefined;
      if (!found) {
        found = compute();
        memo.set(key, found);
      }
      return found;
    },
  };
}

/** Runs one check over `bytes` and returns its results as a list. */
export async function runCheck(check: Check, bytes: Uint8Array, chain: ChainReader | undefined): Promise<CheckResult[]> {
  const out = await check.run(await contextFor(bytes, chain));
  return Array.isArray(out) ? out : [out];
}

/**
 * Verifies `bytes` with every check through verifyPdf, the one place where a thrown error (an
 * outage) becomes a result, and returns the report with the results of check `id`.
 */
export async function verifyAndPick(bytes: Uint8Array, chain: ChainReader | undefined, id: CheckResult["id"]) {
  const report = await verifyPdf(bytes, { chain });
  return { report, results: report.checks.filter((c) => c.id === id) };
}

/** A chain reader that counts the questions it is asked, to show each is asked once. */
export function countingReader(inner: ChainReader): { reader: ChainReader; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const count = (name: string, args: unknown[]) => {
    const key = `${name}(${args.join(",")})`;
    calls.set(key, (calls.get(key) ?? 0) + 1);
  };
  return {
    calls,
    reader: {
      findAnchors: (...a) => (count("findAnchors", a), inner.findAnchors(...a)),
      keyAt: (...a) => (count("keyAt", a), inner.keyAt(...a)),
      revocation: (...a) => (count("revocation", a), inner.revocation(...a)),
      departmentName: (...a) => (count("departmentName", a), inner.departmentName(...a)),
    },
  };
}
