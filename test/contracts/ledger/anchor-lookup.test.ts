// Finding a document's anchoring from chain data alone. The tests anchor batches, then hand
// findDocumentAnchors nothing but the document hash: batch, position, kind, time and Merkle proof
// must come back from the node's logs, receipts and the ledger's storage, and the proof must check
// against the stored root both off chain and through the ledger's verifyInclusion view.
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { AbiCoder, getBytes, toQuantity } from "ethers";
import { DocumentLedger__factory } from "../../../typechain-types";
import { createVerifiedBatchCache, findDocumentAnchors, LedgerDataError, lookupDocumentAnchors } from "../../../server/chain/anchor-lookup";
import { jsonRpcOver, type JsonRpc } from "../../../server/chain/json-rpc";
import { buildBatchTree, verifyBatchProof, type BatchEntry } from "../../../server/chain/merkle";
import { anchorEntries, departmentsFixture, docHashOf, kindsOf, makeBatch, MCA, REASON, SAMR, seededRandom } from "../fixtures";

interface AnchoredBatch {
  batchId: number;
  departmentId: string;
  entries: BatchEntry[];
  anchoredAtSec: number;
  blockNumber: number;
  txHash: string;
}

const SHARED = { docHashHex: docHashOf("anchored twice"), firstKind: 2, secondKind: 4 };

/**
 * Six batches in six blocks at known times: sizes 5, 7, 33, 1, 18 and 8, from both departments.
 * SHARED is anchored twice: by MCA in batch 2 (index 6, the trailing three-topic log) and by
 * SAMR in batch 5 (index 13) with another kind.
 */
async function anchoredBatchesFixture() {
  const base = await departmentsFixture();
  const plan = [
    { operator: base.samrOperator, departmentId: SAMR, entries: makeBatch("lookup-1", 5) },
    { operator: base.mcaOperator, departmentId: MCA, entries: makeBatch("lookup-2", 7, 1) },
    { operator: base.samrOperator, departmentId: SAMR, entries: makeBatch("lookup-3", 33, 2) },
    { operator: base.mcaOperator, departmentId: MCA, entries: makeBatch("lookup-4", 1, 3) },
    { operator: base.samrOperator, departmentId: SAMR, entries: makeBatch("lookup-5", 18, 4) },
    { operator: base.mcaOperator, departmentId: MCA, entries: makeBatch("lookup-6", 8) },
  ];
  plan[1].entries[6] = { docHashHex: SHARED.docHashHex, kind: SHARED.firstKind };
  plan[4].entries[13] = { docHashHex: SHARED.docHashHex, kind: SHARED.secondKind };

  const batches: AnchoredBatch[] = [];
  let anchoredAtSec = (await time.latest()) + 1_000;
  for (const { operator, departmentId, entries } of plan) {
    anchoredAtSec += 97;
    await time.setNextBlockTimestamp(anchoredAtSec);
    const { batchId, receipt } = await anchorEntries(base.ledger, operator, entries);
    batches.push({ batchId, departmentId, entries, anchoredAtSec, blockNumber: receipt.blockNumber, txHash: receipt.hash });
  }
  // A read-only view: the lookup needs a provider and nothing else.
  const reader = base.ledger.connect(ethers.provider);
  return { ...base, batches, reader };
}

describe("findDocumentAnchors: a document's anchoring from chain data alone", function () {
  it("rebuilds batch, position, kind, time and a verifying proof for randomly chosen documents", async function () {
    const { batches, reader, deployment } = await loadFixture(anchoredBatchesFixture);
    const random = seededRandom(20240611);
    for (let sample = 0; sample < 24; sample++) {
      const batch = batches[random(batches.length)];
      const index = random(batch.entries.length);
      const entry = batch.entries[index];
      if (entry.docHashHex === SHARED.docHashHex) continue;

      const records = await findDocumentAnchors(reader, entry.docHashHex, { fromBlock: deployment.deployBlock });

      expect(records).to.have.length(1);
      const [record] = records;
      const storedRoot = (await reader.batch(batch.batchId)).root;
      expect({ ...record, proof: undefined }).to.deep.equal({
        batchId: batch.batchId,
        departmentId: batch.departmentId,
        kind: entry.kind,
        index,
        batchSize: batch.entries.length,
        rootHex: storedRoot,
        proof: undefined,
        txHash: batch.txHash,
        blockNumber: batch.blockNumber,
        anchoredAtSec: batch.anchoredAtSec,
      });
      expect(storedRoot).to.equal(buildBatchTree(batch.entries).root);
      expect(verifyBatchProof(storedRoot, entry, record.proof)).to.equal(true);
      expect(await reader.verifyInclusion(entry.docHashHex, record.kind, record.batchId, record.proof)).to.equal(true);
    }
  });

  it("finds every document of a seven-document batch, whichever topic position and log holds its hash", async function () {
    const { batches, reader } = await loadFixture(anchoredBatchesFixture);
    const batch = batches[1];
    const found = [];
    for (const entry of batch.entries) {
      const records = await findDocumentAnchors(reader, entry.docHashHex);
      const record = records.find((candidate) => candidate.batchId === batch.batchId);
      if (!record) throw new Error(`batch ${batch.batchId} not found for ${entry.docHashHex}`);
      const included = await reader.verifyInclusion(entry.docHashHex, record.kind, record.batchId, record.proof);
      found.push({ index: record.index, kind: record.kind, anchoredAtSec: record.anchoredAtSec, included });
    }
    expect(found).to.deep.equal(
      batch.entries.map((entry, index) => ({ index, kind: entry.kind, anchoredAtSec: batch.anchoredAtSec, included: true })),
    );
  });

  it("finds the only document of a one-document batch, whose proof is empty", async function () {
    const { batches, reader } = await loadFixture(anchoredBatchesFixture);
    const batch = batches[3];
    const records = await findDocumentAnchors(reader, batch.entries[0].docHashHex);
    expect(records.map((r) => [r.batchId, r.index, r.batchSize, r.proof])).to.deep.equal([[4, 0, 1, []]]);
    expect(await reader.verifyInclusion(batch.entries[0].docHashHex, batch.entries[0].kind, 4, [])).to.equal(true);
  });

  it("returns two records, earliest first, for a hash anchored twice by two departments", async function () {
    const { batches, reader } = await loadFixture(anchoredBatchesFixture);
    const records = await findDocumentAnchors(reader, SHARED.docHashHex);
    expect(records.map((r) => [r.batchId, r.departmentId, r.index, r.kind, r.batchSize, r.anchoredAtSec])).to.deep.equal([
      [2, MCA, 6, SHARED.firstKind, 7, batches[1].anchoredAtSec],
      [5, SAMR, 13, SHARED.secondKind, 18, batches[4].anchoredAtSec],
    ]);
    for (const record of records) {
      expect(await reader.verifyInclusion(SHARED.docHashHex, record.kind, record.batchId, record.proof)).to.equal(true);
    }
  });

  it("orders two anchorings mined in the same block by batch id", async function () {
    const { ledger, samrOperator, mcaOperator } = await loadFixture(departmentsFixture);
    const samrEntries = [...makeBatch("same-block-samr", 2), { docHashHex: SHARED.docHashHex, kind: 0 }];
    const mcaEntries = [{ docHashHex: SHARED.docHashHex, kind: 1 }, ...makeBatch("same-block-mca", 4)];
    await network.provider.send("evm_setAutomine", [false]);
    try {
      const sent = [
        await ledger.connect(samrOperator).anchorBatch(samrEntries.map((e) => e.docHashHex), kindsOf(samrEntries)),
        await ledger.connect(mcaOperator).anchorBatch(mcaEntries.map((e) => e.docHashHex), kindsOf(mcaEntries)),
      ];
      await network.provider.send("evm_mine", []);
      const receipts = await Promise.all(sent.map((tx) => tx.wait()));
      expect(receipts[0]?.blockNumber).to.equal(receipts[1]?.blockNumber);
    } finally {
      await network.provider.send("evm_setAutomine", [true]);
    }

    const records = await findDocumentAnchors(ledger.connect(ethers.provider), SHARED.docHashHex);
    expect(records.map((r) => r.batchId)).to.deep.equal([1, 2]);
    expect(records[0].blockNumber).to.equal(records[1].blockNumber);
    const byDepartment = Object.fromEntries(records.map((r) => [r.departmentId, [r.index, r.kind, r.batchSize]]));
    expect(byDepartment).to.deep.equal({ [SAMR]: [2, 0, 3], [MCA]: [0, 1, 5] });
  });

  it("returns one record per position when a batch holds the same hash twice", async function () {
    const { ledger, samrOperator } = await loadFixture(departmentsFixture);
    const entries = makeBatch("duplicate", 6);
    entries[4] = { docHashHex: entries[1].docHashHex, kind: 3 };
    await anchorEntries(ledger, samrOperator, entries);
    const reader = ledger.connect(ethers.provider);
    const records = await findDocumentAnchors(reader, entries[1].docHashHex);
    expect(records.map((r) => [r.batchId, r.index, r.kind])).to.deep.equal([
      [1, 1, entries[1].kind],
      [1, 4, 3],
    ]);
    for (const record of records) {
      expect(await reader.verifyInclusion(entries[1].docHashHex, record.kind, 1, record.proof)).to.equal(true);
    }
  });

  it("returns no record for a hash never anchored, or one that is only a department id topic", async function () {
    const { reader } = await loadFixture(anchoredBatchesFixture);
    expect(await findDocumentAnchors(reader, docHashOf("never anchored"))).to.deep.equal([]);
    // SAMR's id is topic 2 of every SAMR BatchAnchored log, which is no document log.
    expect(await findDocumentAnchors(reader, SAMR)).to.deep.equal([]);
  });

  it("still finds a revoked document's anchoring, not its DocumentRevoked log", async function () {
    const { ledger, samrOperator, batches, reader } = await loadFixture(anchoredBatchesFixture);
    const entry = batches[0].entries[2];
    const [before] = await findDocumentAnchors(reader, entry.docHashHex);
    await ledger.connect(samrOperator).revoke(entry.docHashHex, entry.kind, before.batchId, before.proof, REASON.cancelled);
    expect(await findDocumentAnchors(reader, entry.docHashHex)).to.deep.equal([before]);
  });

  it("accepts the hash in upper-case hex", async function () {
    const { batches, reader } = await loadFixture(anchoredBatchesFixture);
    const entry = batches[2].entries[17];
    const upper = `0x${entry.docHashHex.slice(2).toUpperCase()}`;
    const records = await findDocumentAnchors(reader, upper);
    expect(records.map((r) => [r.batchId, r.index])).to.deep.equal([[3, 17]]);
  });
});

describe("Document leaves from raw JSON-RPC data", function () {
  it("recovers a batch's leaves and kinds from eth_getLogs and the receipt's logs alone, matching the stored root", async function () {
    const { ledger, batches, deployment } = await loadFixture(anchoredBatchesFixture);
    const batch = batches[2];
    const wanted = batch.entries[30].docHashHex;
    const address = (await ledger.getAddress()).toLowerCase();

    // Index 30 of 33 sits in the ninth log at topic position 2.
    const found: Array<{ transactionHash: string }> = await ethers.provider.send("eth_getLogs", [
      { address, fromBlock: toQuantity(deployment.deployBlock), toBlock: "latest", topics: [null, null, wanted] },
    ]);
    expect(found.map((log) => log.transactionHash)).to.deep.equal([batch.txHash]);

    const receipt: { logs: Array<{ address: string; topics: string[]; data: string }> } = await ethers.provider.send(
      "eth_getTransactionReceipt",
      [batch.txHash],
    );
    const ledgerLogs = receipt.logs.filter((log) => log.address.toLowerCase() === address);
    const hashes = ledgerLogs.filter((log) => log.data === "0x").flatMap((log) => log.topics);
    const anchored = ledgerLogs.filter((log) => log.data !== "0x");
    expect(anchored).to.have.length(1);
    expect(anchored[0].topics[0]).to.equal(ethers.id("BatchAnchored(uint256,bytes32,bytes32,uint256,bytes)"));
    const batchId = Number(BigInt(anchored[0].topics[1]));
    const departmentId = anchored[0].topics[2];
    const [root, size, kindsHex] = AbiCoder.defaultAbiCoder().decode(["bytes32", "uint256", "bytes"], anchored[0].data);
    const kinds = getBytes(kindsHex);
    const recovered = hashes.map((docHashHex, i) => ({ docHashHex, kind: kinds[i] }));

    expect({ batchId, departmentId, size: Number(size), recovered }).to.deep.equal({
      batchId: batch.batchId,
      departmentId: SAMR,
      size: 33,
      recovered: batch.entries,
    });
    const rebuilt = buildBatchTree(recovered);
    expect(rebuilt.root).to.equal(root);
    expect((await ledger.batch(batchId)).root).to.equal(rebuilt.root);
    expect(await ledger.verifyInclusion(wanted, recovered[30].kind, batchId, rebuilt.getProof(30))).to.equal(true);
  });
});

describe("VerifiedBatchCache: a checked batch is reused only in the block it was checked in", function () {
  /** A JsonRpc over Hardhat's provider that counts methods and can fail one method once. */
  function countingRpc(failOnce?: string) {
    const asked: string[] = [];
    let failing = failOnce;
    const inner = jsonRpcOver(ethers.provider);
    const rpc: JsonRpc = {
      request: (method, params) => {
        asked.push(method);
        if (method === failing) {
          failing = undefined;
          return Promise.reject(new Error(`${method} failed once`));
        }
        return inner.request(method, params);
      },
    };
    return { rpc, asked };
  }

  it("answers a second document of a checked transaction from the cache: no receipt, block or root asked again", async function () {
    const { batches, deployment } = await loadFixture(anchoredBatchesFixture);
    const { rpc, asked } = countingRpc();
    const lookup = { rpc, ledgerAddress: deployment.ledgerAddress, fromBlock: deployment.deployBlock, batches: createVerifiedBatchCache() };
    const batch = batches[2];
    const first = await lookupDocumentAnchors(lookup, batch.entries[3].docHashHex);
    const asFirst = asked.splice(0);
    const second = await lookupDocumentAnchors(lookup, batch.entries[29].docHashHex);
    // The latest block bounds the chunked searches (search-logs.ts); Hardhat's logs carry no blockTimestamp.
    expect(asFirst.filter((m) => m !== "eth_getLogs" && m !== "eth_blockNumber")).to.have.members(["eth_getTransactionReceipt", "eth_getBlockByHash", "eth_call"]);
    expect(asked).to.deep.equal(["eth_blockNumber", "eth_getLogs", "eth_getLogs", "eth_getLogs", "eth_getLogs"]);
    expect(second).to.deep.equal(await findDocumentAnchors(ledgerAt(deployment), batch.entries[29].docHashHex));
    expect([first[0].index, second[0].index]).to.deep.equal([3, 29]);
  });

  it("reads the new block after a reorganisation mines the same transaction later", async function () {
    const { ledger, samrOperator, deployment } = await loadFixture(departmentsFixture);
    const entries = makeBatch("reorg", 5);
    const lookup = { rpc: jsonRpcOver(ethers.provider), ledgerAddress: deployment.ledgerAddress, fromBlock: deployment.deployBlock, batches: createVerifiedBatchCache() };
    // The same transaction (same sender, nonce, gas and data, so the same hash) mined twice: in a
    // block that is then undone, and again in another block at another time.
    const fields = {
      to: deployment.ledgerAddress,
      data: ledger.interface.encodeFunctionData("anchorBatch", [entries.map((e) => e.docHashHex), kindsOf(entries)]),
      nonce: await samrOperator.getNonce(),
      gasLimit: 1_000_000,
      maxFeePerGas: 10_000_000_000n,
      maxPriorityFeePerGas: 1_000_000_000n,
    };
    const snapshot = await network.provider.send("evm_snapshot", []);
    const t = (await time.latest()) + 100;
    await time.setNextBlockTimestamp(t);
    const firstTx = await samrOperator.sendTransaction(fields);
    await firstTx.wait();
    const [before] = await lookupDocumentAnchors(lookup, entries[2].docHashHex);
    await network.provider.send("evm_revert", [snapshot]);
    await time.setNextBlockTimestamp(t + 500);
    const secondTx = await samrOperator.sendTransaction(fields);
    await secondTx.wait();

    const [after] = await lookupDocumentAnchors(lookup, entries[2].docHashHex);
    expect(secondTx.hash).to.equal(firstTx.hash);
    expect([before.anchoredAtSec, after.anchoredAtSec]).to.deep.equal([t, t + 500]);
    expect(after).to.deep.equal((await findDocumentAnchors(ledgerAt(deployment), entries[2].docHashHex))[0]);
  });

  it("does not keep a rebuild that failed: the next lookup asks again and succeeds", async function () {
    const { batches, deployment } = await loadFixture(anchoredBatchesFixture);
    const { rpc, asked } = countingRpc("eth_getTransactionReceipt");
    const lookup = { rpc, ledgerAddress: deployment.ledgerAddress, fromBlock: deployment.deployBlock, batches: createVerifiedBatchCache() };
    const docHash = batches[0].entries[1].docHashHex;
    await expect(lookupDocumentAnchors(lookup, docHash)).to.be.rejectedWith("failed once");
    const records = await lookupDocumentAnchors(lookup, docHash);
    expect(records.map((r) => [r.batchId, r.index])).to.deep.equal([[1, 1]]);
    expect(asked.filter((m) => m === "eth_getTransactionReceipt")).to.have.length(2);
  });

  it("keeps at most maxEntries transactions, evicting the least recently used", async function () {
    const { batches, deployment } = await loadFixture(anchoredBatchesFixture);
    const { rpc, asked } = countingRpc();
    const lookup = { rpc, ledgerAddress: deployment.ledgerAddress, fromBlock: deployment.deployBlock, batches: createVerifiedBatchCache({ maxEntries: 2 }) };
    const receipts = async (batch: AnchoredBatch) => {
      asked.length = 0;
      await lookupDocumentAnchors(lookup, batch.entries[0].docHashHex);
      return asked.filter((m) => m === "eth_getTransactionReceipt").length;
    };
    // 0 and 1 kept; 0 used again; 2 evicts 1; 0 still kept; 1 read again.
    expect([await receipts(batches[0]), await receipts(batches[1]), await receipts(batches[0])]).to.deep.equal([1, 1, 0]);
    expect([await receipts(batches[2]), await receipts(batches[0]), await receipts(batches[1])]).to.deep.equal([1, 0, 1]);
  });
});

function ledgerAt(deployment: { ledgerAddress: string }) {
  return DocumentLedger__factory.connect(deployment.ledgerAddress, ethers.provider);
}

describe("lookupDocumentAnchors against a node whose answers contradict the ledger", function () {
  /** Hardhat's node, with one method's answer rewritten by `tamper`. */
  function tamperingRpc(method: string, tamper: (answer: unknown, params: readonly unknown[]) => unknown): JsonRpc {
    const inner = jsonRpcOver(ethers.provider);
    return { request: async (m, params) => (m === method ? tamper(await inner.request(m, params), params) : inner.request(m, params)) };
  }
  const lookupWith = async (rpc: JsonRpc) => {
    const { batches, deployment } = await loadFixture(anchoredBatchesFixture);
    return lookupDocumentAnchors({ rpc, ledgerAddress: deployment.ledgerAddress, fromBlock: deployment.deployBlock }, batches[2].entries[5].docHashHex);
  };
  const flipLastHexDigit = (hex: string) => hex.slice(0, -1) + (hex.endsWith("0") ? "1" : "0");

  /** batch() returns (root, departmentId): a node changing word 0 lies about the root, word 1 about the department. */
  const batchWordChanged = (word: number) =>
    tamperingRpc("eth_call", (answer) => {
      const words = String(answer).slice(2).match(/.{64}/g) ?? [];
      words[word] = flipLastHexDigit(String(words[word]));
      return "0x" + words.join("");
    });

  it("refuses a stored root that differs from the one rebuilt from the logs (LEDGER_DATA_INCONSISTENT)", async function () {
    await expect(lookupWith(batchWordChanged(0))).to.be.rejectedWith(LedgerDataError, /differs from the ledger's/);
  });

  it("refuses a stored department other than the one in the BatchAnchored log", async function () {
    await expect(lookupWith(batchWordChanged(1))).to.be.rejectedWith(LedgerDataError, /differs from the ledger's/);
  });

  it("refuses a receipt from another block than the log's, an undecodable root, and malformed logs", async function () {
    const otherBlock = tamperingRpc("eth_getTransactionReceipt", (answer) => ({ ...(answer as object), blockHash: `0x${"ab".repeat(32)}` }));
    await expect(lookupWith(otherBlock)).to.be.rejectedWith(LedgerDataError, /no longer in block/);
    const garbageRoot = tamperingRpc("eth_call", () => "0x1234");
    await expect(lookupWith(garbageRoot)).to.be.rejectedWith(LedgerDataError, /cannot be decoded/);
    const notAList = tamperingRpc("eth_getLogs", () => ({ logs: [] }));
    await expect(lookupWith(notAList)).to.be.rejectedWith(LedgerDataError, /did not return a list/);
    const badTopic = tamperingRpc("eth_getLogs", (answer) => (answer as Array<{ topics: unknown[] }>).map((log) => ({ ...log, topics: [42] })));
    await expect(lookupWith(badTopic)).to.be.rejectedWith(LedgerDataError, /malformed log/);
  });
});
