// The record finder on a real chain: a certificate is found from its record key alone, whether the
// queue anchored the key in the certificate's batch or closed a batch between them (another
// department's batch in between is skipped); an unknown key is no record; a key not preceded by a
// certificate of its kind is an inconsistency of the ledger's data, not a record.
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { JsonRpcProvider } from "ethers";
import { LedgerDataError } from "../../../server/chain/anchor-lookup";
import { createRecordFinder, type RecordFinder } from "../../../server/chain/find-record";
import { jsonRpcOver } from "../../../server/chain/json-rpc";
import { newRecordSalt, recordKeyHash } from "../../../server/chain/record-key";
import { startLedgerChain, type LedgerChain } from "../../helpers/ledger-chain";

const hash = () => "0x" + randomBytes(32).toString("hex");

describe("findByRecordKey", function () {
  this.timeout(60_000);
  let dir: string;
  let chain: LedgerChain;
  let provider: JsonRpcProvider;
  let finder: RecordFinder;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "zerosign-find-record-"));
    chain = await startLedgerChain(dir, ["SAMR", "MCA"]);
    provider = chain.provider();
    finder = createRecordFinder({ rpc: jsonRpcOver(provider), ledgerAddress: chain.deployment.ledgerAddress, fromBlock: chain.deployment.deployBlock });
  });
  after(async () => {
    await chain?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const anchor = async (code: string, hashes: string[], kind = 0) => {
    await (await chain.ledgerFor(code, provider).anchorBatch(hashes, "0x" + kind.toString(16).padStart(2, "0").repeat(hashes.length))).wait();
    return Number(await chain.contracts.ledger.batchCount());
  };

  it("finds the certificate anchored just before its key in the same batch", async () => {
    const cert = hash();
    const key = recordKeyHash("SAMR-20260105-AAAA", newRecordSalt());
    const batchId = await anchor("SAMR", [hash(), cert, key, hash()]);
    const found = await finder.findByRecordKey(key);
    expect(found?.docHashHex).to.equal(cert);
    expect(found?.anchor).to.include({ batchId, index: 1, batchSize: 4, kind: 0 });
  });

  it("finds the certificate as the last of the department's previous batch when a batch closed between them", async () => {
    const cert = hash();
    const key = recordKeyHash("SAMR-20260105-BBBB", newRecordSalt());
    const certBatch = await anchor("SAMR", [hash(), cert]);
    await anchor("MCA", [hash()]);
    await anchor("SAMR", [key, hash()]);
    const found = await finder.findByRecordKey(key);
    expect(found?.docHashHex).to.equal(cert);
    expect(found?.anchor).to.include({ batchId: certBatch, index: 1, batchSize: 2 });
  });

  it("answers undefined for a key the ledger does not hold", async () => {
    expect(await finder.findByRecordKey(recordKeyHash("SAMR-20260105-CCCC", newRecordSalt()))).to.equal(undefined);
  });

  it("refuses a key whose preceding leaf has another kind: LEDGER_DATA_INCONSISTENT", async () => {
    const key = recordKeyHash("SAMR-20260105-DDDD", newRecordSalt());
    await anchor("SAMR", [hash()], 1);
    await anchor("SAMR", [key], 0);
    let error: unknown;
    try {
      await finder.findByRecordKey(key);
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(LedgerDataError);
    expect((error as LedgerDataError).code).to.equal("LEDGER_DATA_INCONSISTENT");
  });
});
