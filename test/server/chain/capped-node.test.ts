// Every live log search on a node that caps eth_getLogs ranges, as Hyperledger Besu does: a real
// Anvil chain whose ledger is many caps old, behind a proxy that refuses wider searches. The
// verifier's lookup, the record finder, the registry listing, a repeated revocation and the
// queue's settlement search must all find what they look for, and never ask over the cap.
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { encodeBytes32String, JsonRpcProvider, toQuantity } from "ethers";
import { findDocumentAnchors } from "../../../server/chain/anchor-lookup";
import { createChainReader } from "../../../server/chain/chain-reader";
import { EMBEDDED_CHAIN_ID } from "../../../server/devnet/embedded-chain";
import { createRecordFinder } from "../../../server/chain/find-record";
import { createHttpJsonRpc, type HttpJsonRpc } from "../../../server/chain/json-rpc";
import { listDepartments, searchKeyRegistrations } from "../../../server/chain/list-departments";
import { newRecordSalt, recordKeyHash } from "../../../server/chain/record-key";
import { createDocumentRevoker } from "../../../server/chain/revoke-document";
import { KEY_ROLES } from "../../../server/chain/roles";
import { searchLogs } from "../../../server/chain/search-logs";
import { ChainUnavailableError } from "../../../server/errors";
import { startCappedProxy, type CappedProxy } from "../../helpers/json-rpc-nodes";
import { startLedgerChain, type LedgerChain } from "../../helpers/ledger-chain";

const CAP = 50;
const hash = () => "0x" + randomBytes(32).toString("hex");
const kinds = (n: number, kind = 0) => "0x" + kind.toString(16).padStart(2, "0").repeat(n);

describe("live log searches on a range-capped node (Besu's --rpc-max-logs-range)", function () {
  this.timeout(120_000);
  let dir: string;
  let chain: LedgerChain;
  let direct: JsonRpcProvider;
  let proxy: CappedProxy;
  let rpc: HttpJsonRpc;
  const cert = hash();
  const recordKey = recordKeyHash("SAMR-20260105-CAPD", newRecordSalt());
  const keyId = hash();
  let certBlock = 0;

  /** Empty blocks, so what came before is older than the cap several times over. */
  const mine = (blocks: number) => direct.send("anvil_mine", [toQuantity(blocks)]);

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "zerosign-capped-"));
    chain = await startLedgerChain(dir, ["SAMR"]);
    direct = chain.provider();
    const samr = chain.ledgerFor("SAMR", direct);
    await (await chain.contracts.registry.connect(chain.operators.SAMR.connect(direct)).registerKey(keyId, encodeBytes32String("SAMR"), KEY_ROLES.staff, 1, 4_000_000_000)).wait();
    await mine(3 * CAP);
    const receipt = await (await samr.anchorBatch([hash(), hash(), hash(), hash(), hash(), cert, recordKey], kinds(7))).wait();
    certBlock = Number(receipt?.blockNumber);
    await mine(4 * CAP + 7);
    proxy = await startCappedProxy(chain.rpcUrl, CAP);
    rpc = createHttpJsonRpc(proxy.url);
  });
  after(async () => {
    rpc?.close();
    await proxy?.close();
    await chain?.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    proxy.calls.clear();
    proxy.widestAnswered = 0;
    proxy.refused = 0;
  });

  it("the proxy refuses a search wider than its cap, as Besu does", async () => {
    const err = await rpc.request("eth_getLogs", [{ address: chain.deployment.ledgerAddress, fromBlock: toQuantity(chain.deployment.deployBlock), toBlock: "latest" }]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as Error).message).to.match(/range exceeds/);
    expect(proxy.refused).to.equal(1);
  });

  it("searchLogs finds every log from the deployment block in chunks no wider than the range, in block order", async () => {
    const logs = await searchLogs({ rpc, filter: { address: chain.deployment.ledgerAddress.toLowerCase() }, fromBlock: chain.deployment.deployBlock, maxRange: CAP });
    // 7 hashes in two document logs (4 + 3), then BatchAnchored.
    expect(logs).to.have.length(3);
    expect(logs.map((l) => Number.parseInt(String(l.blockNumber), 16))).to.deep.equal([certBlock, certBlock, certBlock]);
    expect(proxy.refused).to.equal(0);
    expect(proxy.widestAnswered).to.equal(CAP);
    const latest = await direct.getBlockNumber();
    expect(proxy.calls.get("eth_getLogs")).to.equal(Math.ceil((latest - chain.deployment.deployBlock + 1) / CAP));
  });

  it("searchLogs asked for wider chunks than the node allows halves them and still finds everything", async () => {
    const logs = await searchLogs({ rpc, filter: { address: chain.deployment.ledgerAddress.toLowerCase() }, fromBlock: chain.deployment.deployBlock, maxRange: 4 * CAP });
    expect(logs).to.have.length(3);
    expect(proxy.refused).to.be.greaterThan(0);
    expect(proxy.widestAnswered).to.be.at.most(CAP);
  });

  it("searchLogs reports a node that refuses even one block as CHAIN_QUERY_REFUSED", async () => {
    const single = await startCappedProxy(chain.rpcUrl, 0);
    const singleRpc = createHttpJsonRpc(single.url);
    try {
      const err = await searchLogs({ rpc: singleRpc, filter: { address: chain.deployment.ledgerAddress }, fromBlock: certBlock, toBlock: certBlock + 3 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(ChainUnavailableError);
      expect(err).to.include({ code: "CHAIN_QUERY_REFUSED" });
    } finally {
      singleRpc.close();
      await single.close();
    }
  });

  it("the verifier's chain reader finds an anchoring far older than the cap", async () => {
    const reader = createChainReader({ rpc, deployment: chain.deployment, logRange: CAP });
    const [anchor] = await reader.findAnchors(cert);
    expect(anchor).to.include({ index: 5, batchSize: 7, blockNumber: certBlock, kind: 0 });
    expect(proxy.refused).to.equal(0);
    expect(proxy.widestAnswered).to.be.at.most(CAP);
  });

  it("takes the block time from the logs when the node sends it, and asks for the block when not", async () => {
    const reader = createChainReader({ rpc, deployment: chain.deployment, logRange: CAP });
    const [withTime] = await reader.findAnchors(cert);
    const logsHadTime = (await direct.send("eth_getLogs", [{ address: chain.deployment.ledgerAddress, fromBlock: toQuantity(certBlock), toBlock: toQuantity(certBlock) }]))[0]
      .blockTimestamp !== undefined;
    expect(proxy.calls.get("eth_getBlockByHash") ?? 0).to.equal(logsHadTime ? 0 : 1);

    const old = await startCappedProxy(chain.rpcUrl, CAP, { stripBlockTimestamp: true });
    const oldRpc = createHttpJsonRpc(old.url);
    try {
      const [withoutTime] = await createChainReader({ rpc: oldRpc, deployment: chain.deployment, logRange: CAP }).findAnchors(cert);
      expect(old.calls.get("eth_getBlockByHash")).to.equal(1);
      expect(withoutTime).to.deep.equal(withTime);
      expect(withTime.anchoredAtSec).to.equal((await direct.getBlock(certBlock))?.timestamp);
    } finally {
      oldRpc.close();
      await old.close();
    }
  });

  it("the record finder finds a certificate from its record key", async () => {
    const finder = createRecordFinder({ rpc, ledgerAddress: chain.deployment.ledgerAddress, fromBlock: chain.deployment.deployBlock, logRange: CAP });
    const found = await finder.findByRecordKey(recordKey);
    expect(found?.docHashHex).to.equal(cert);
    expect(proxy.refused).to.equal(0);
  });

  it("the registry listing finds a key registered long before", async () => {
    const readProvider = new JsonRpcProvider(proxy.url, EMBEDDED_CHAIN_ID, { staticNetwork: true, batchMaxCount: 1 });
    try {
      const registry = chain.contracts.registry.connect(readProvider);
      const [samr] = await listDepartments(registry, searchKeyRegistrations(rpc, chain.deployment.registryAddress, chain.deployment.deployBlock, CAP));
      expect(samr.keys.map((k) => k.keyIdHex)).to.deep.equal([keyId]);
      expect(samr.keys[0]).to.include({ role: "staff", validFromSec: 1, validUntilSec: 4_000_000_000, revokedAtSec: 0 });
      expect(proxy.refused).to.equal(0);
    } finally {
      readProvider.destroy();
    }
  });

  it("a repeated revocation finds the earlier one, and the lookup the queue settles with finds the document", async () => {
    const provider = new JsonRpcProvider(proxy.url, EMBEDDED_CHAIN_ID, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
    try {
      const ledger = chain.ledgerFor("SAMR", provider);
      const revoke = createDocumentRevoker({ ledgerFor: () => ledger, fromBlock: chain.deployment.deployBlock, logRange: CAP });
      const first = await revoke("SAMR", { docHashHex: cert, kind: "certificate" }, 2);
      await mine(2 * CAP);
      const again = await revoke("SAMR", { docHashHex: cert, kind: "certificate" }, 1);
      expect(again).to.deep.equal(first);
      const [anchor] = await findDocumentAnchors(ledger, cert, { fromBlock: chain.deployment.deployBlock, logRange: CAP });
      expect(anchor).to.include({ blockNumber: certBlock, index: 5 });
      expect(proxy.refused).to.equal(0);
    } finally {
      provider.destroy();
    }
  });
});
