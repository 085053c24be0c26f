// The chain reader against real contracts on the Hardhat network, and against nodes that do not
// answer: a closed port and a socket that accepts but never replies must both come back as
// ChainUnavailableError CHAIN_UNREACHABLE, while a contract's own answers (a revert, garbage from
// an address without code) must not be mistaken for an outage.
import { expect } from "chai";
import net from "node:net";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { createChainReader, createFallbackChainReader } from "../../../server/chain/chain-reader";
import type { Deployment } from "../../../server/chain/deploy";
import { createHttpJsonRpc, jsonRpcOver } from "../../../server/chain/json-rpc";
import { KEY_ROLES } from "../../../server/chain/roles";
import { ChainUnavailableError } from "../../../server/errors";
import type { ChainReader } from "../../../server/verify/chain-reader";
import { expectUnreachable, serveRangeCappedNode, urlOf } from "../../helpers/json-rpc-nodes";
import { anchorEntries, departmentsFixture, docHashOf, keyIdOf, MCA, REASON, SAMR, SAMR_NAME } from "../../contracts/fixtures";

const KEY = keyIdOf("samr staff key");
const DOC = { docHashHex: docHashOf("certificate 1"), kind: 0 };

/** SAMR with one staff key valid for [T+100, T+1000], revoked from T+800; DOC anchored at T+500. */
async function readerFixture() {
  const base = await departmentsFixture();
  const t0 = await time.latest();
  await base.registry.connect(base.samrOperator).registerKey(KEY, SAMR, KEY_ROLES.staff, t0 + 100, t0 + 1_000);
  await base.registry.connect(base.samrOperator).revokeKey(KEY, t0 + 800);
  await time.setNextBlockTimestamp(t0 + 500);
  const { batchId } = await anchorEntries(base.ledger, base.samrOperator, [DOC]);
  const reader = createChainReader({ rpc: jsonRpcOver(ethers.provider), deployment: base.deployment });
  return { ...base, t0, batchId, reader };
}

/** A port nothing listens on: bound once by us, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function readerAt(url: string, deployment: Deployment, timeoutMs?: number): ChainReader {
  return createChainReader({ rpc: createHttpJsonRpc(url), deployment, timeoutMs });
}

describe("createChainReader: the verifier's questions to the chain", function () {
  it("finds an anchoring with its batch, department, checked proof and block time", async function () {
    const { reader, t0, batchId } = await loadFixture(readerFixture);
    const anchors = await reader.findAnchors(DOC.docHashHex);
    expect(anchors).to.have.length(1);
    expect(anchors[0]).to.include({ batchId, departmentId: SAMR, kind: 0, index: 0, anchoredAtSec: t0 + 500 });
    expect(await reader.findAnchors(docHashOf("never anchored"))).to.deep.equal([]);
  });

  it("reports the key's record and its status at the asked time, edges included", async function () {
    const { reader, t0 } = await loadFixture(readerFixture);
    const record = { departmentId: SAMR, role: "staff", validFromSec: t0 + 100, validUntilSec: t0 + 1_000, revokedAtSec: t0 + 800 };
    expect(await reader.keyAt(KEY, t0 + 99)).to.deep.equal({ ...record, status: "not-yet-valid" });
    expect(await reader.keyAt(KEY, t0 + 100)).to.deep.equal({ ...record, status: "valid" });
    expect(await reader.keyAt(KEY, t0 + 799)).to.deep.equal({ ...record, status: "valid" });
    expect(await reader.keyAt(KEY, t0 + 800)).to.deep.equal({ ...record, status: "revoked" });
    const unknown = await reader.keyAt(keyIdOf("never registered"), t0 + 500);
    expect(unknown).to.include({ status: "unknown-key", role: undefined, departmentId: ethers.ZeroHash });
  });

  it("reports a key past its window as expired and a deactivated department's key as such", async function () {
    const { reader, registry, bureau, samrOperator, t0 } = await loadFixture(readerFixture);
    const other = keyIdOf("samr chief key");
    await registry.connect(samrOperator).registerKey(other, SAMR, KEY_ROLES.chief, t0 + 100, t0 + 10_000);
    expect((await reader.keyAt(other, t0 + 10_001)).status).to.equal("expired");
    await time.setNextBlockTimestamp(t0 + 2_000);
    await registry.connect(bureau).deactivateDepartment(SAMR);
    expect((await reader.keyAt(other, t0 + 1_999)).status).to.equal("valid");
    expect((await reader.keyAt(other, t0 + 2_000)).status).to.equal("department-inactive");
  });

  it("returns the issuer's revocation with reason and time, and nothing for another department", async function () {
    const { reader, ledger, samrOperator, batchId, t0 } = await loadFixture(readerFixture);
    expect(await reader.revocation(DOC.docHashHex, SAMR)).to.equal(undefined);
    const [anchor] = await reader.findAnchors(DOC.docHashHex);
    await time.setNextBlockTimestamp(t0 + 3_000);
    await ledger.connect(samrOperator).revoke(DOC.docHashHex, DOC.kind, batchId, anchor.proof, REASON.sanctioned);
    expect(await reader.revocation(DOC.docHashHex, SAMR)).to.deep.equal({
      revokedAtSec: t0 + 3_000,
      reasonCode: REASON.sanctioned,
      batchId,
    });
    expect(await reader.revocation(DOC.docHashHex, MCA)).to.equal(undefined);
  });

  it("names a registered department and returns undefined for an unregistered one (a revert is an answer)", async function () {
    const { reader } = await loadFixture(readerFixture);
    expect(await reader.departmentName(SAMR)).to.equal(SAMR_NAME);
    expect(await reader.departmentName(ethers.encodeBytes32String("NOPE"))).to.equal(undefined);
  });

  it("does not take a wrong answer for an outage: contracts at an address without code", async function () {
    const { deployment, outsider } = await loadFixture(readerFixture);
    const nowhere = { ...deployment, registryAddress: outsider.address, ledgerAddress: outsider.address };
    const reader = createChainReader({ rpc: jsonRpcOver(ethers.provider), deployment: { ...nowhere, deployBlock: 0 } });
    const err = await reader.keyAt(KEY, 0).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(Error);
    expect(err).not.to.be.instanceOf(ChainUnavailableError);
  });

  it("reports every question as CHAIN_UNREACHABLE when nothing listens on the port", async function () {
    const { deployment } = await loadFixture(readerFixture);
    const reader = readerAt(`http://127.0.0.1:${await closedPort()}`, deployment);
    await expectUnreachable(reader.findAnchors(DOC.docHashHex));
    await expectUnreachable(reader.keyAt(KEY, 0));
    await expectUnreachable(reader.revocation(DOC.docHashHex, SAMR));
    await expectUnreachable(reader.departmentName(SAMR));
  });

  it("reports a node that accepts but never answers as CHAIN_UNREACHABLE after its time limit", async function () {
    const { deployment } = await loadFixture(readerFixture);
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = silent.address() as net.AddressInfo;
      await expectUnreachable(readerAt(`http://127.0.0.1:${port}`, deployment, 300).keyAt(KEY, 0));
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it("reports a node that refuses the log search (a range cap) as CHAIN_QUERY_REFUSED, not as a fault of the document", async function () {
    const { deployment } = await loadFixture(readerFixture);
    const capped = await serveRangeCappedNode();
    try {
      const reader = readerAt(urlOf(capped), deployment);
      const err = await reader.findAnchors(DOC.docHashHex).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(ChainUnavailableError);
      expect(err).to.include({ code: "CHAIN_QUERY_REFUSED" });
      expect((err as Error).message).to.match(/range exceeds/);
    } finally {
      capped.close();
    }
  });

  it("reads the latest block once per round, when the round starts, for every lookup of the round", async function () {
    const { deployment } = await loadFixture(readerFixture);
    const asked: string[] = [];
    const inner = jsonRpcOver(ethers.provider);
    const reader = createChainReader({ rpc: { request: (method, params) => (asked.push(method), inner.request(method, params)) }, deployment });
    const round = reader.round?.();
    expect(asked).to.deep.equal(["eth_blockNumber"]);
    expect(await round?.findAnchors(DOC.docHashHex)).to.have.length(1);
    expect(await round?.findAnchors(docHashOf("never anchored"))).to.deep.equal([]);
    expect(asked.filter((m) => m === "eth_blockNumber")).to.have.length(1);
    asked.length = 0;
    await reader.findAnchors(DOC.docHashHex);
    await reader.findAnchors(docHashOf("never anchored"));
    expect(asked.filter((m) => m === "eth_blockNumber")).to.have.length(2);
  });

  it("a round's lookups do not see what was anchored after the round read the latest block", async function () {
    const { reader, ledger, samrOperator } = await loadFixture(readerFixture);
    const round = reader.round?.();
    const later = { docHashHex: docHashOf("anchored after the round began"), kind: 0 };
    await anchorEntries(ledger, samrOperator, [later]);
    expect(await round?.findAnchors(later.docHashHex)).to.deep.equal([]);
    expect(await reader.round?.().findAnchors(later.docHashHex)).to.have.length(1);
  });

  it("falls back to the next endpoint when one is unreachable, and fails only when all are", async function () {
    const { deployment, reader, t0 } = await loadFixture(readerFixture);
    const dead = readerAt(`http://127.0.0.1:${await closedPort()}`, deployment);
    const fallback = createFallbackChainReader([dead, reader]);
    expect((await fallback.keyAt(KEY, t0 + 500)).status).to.equal("valid");
    expect(await fallback.findAnchors(DOC.docHashHex)).to.have.length(1);
    await expectUnreachable(createFallbackChainReader([dead, dead]).keyAt(KEY, t0 + 500));
    const round = fallback.round?.();
    expect(await round?.findAnchors(DOC.docHashHex)).to.have.length(1);
    await expectUnreachable(createFallbackChainReader([dead, dead]).round?.().findAnchors(DOC.docHashHex) ?? Promise.resolve());
  });
});
