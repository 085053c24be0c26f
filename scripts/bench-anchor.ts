// Gas per anchored document at batch sizes 1, 16, 256 and 1024 on the Hardhat network, next to
// the calldata floor of the network's hardfork (32 bytes a leaf: 16 gas a byte before Prague,
// EIP-7623's 10 gas a token = 40 gas a non-zero byte from Prague on). For each size it also looks
// a document up from chain data alone and checks its proof, so the figure is for leaves that stay
// recoverable. Run: npm run bench:anchor
import hre from "hardhat";
import { encodeBytes32String, hexlify, randomBytes } from "ethers";
import { findDocumentAnchors } from "../server/chain/anchor-lookup";
import { deployZeroSign } from "../server/chain/deploy";
import { verifyBatchProof } from "../server/chain/merkle";

const BATCH_SIZES = [1, 16, 256, 1024];
const BATCHES_PER_SIZE = 3;
const LEAF_BYTES = 32;
const EIP7623_FORKS = new Set(["prague", "osaka"]);

async function main(): Promise<void> {
  const hardfork = String((hre.network.config as { hardfork?: string }).hardfork ?? "unknown");
  const floorPerDoc = EIP7623_FORKS.has(hardfork) ? LEAF_BYTES * 40 : LEAF_BYTES * 16;
  const [admin, operator] = await hre.ethers.getSigners();
  const { registry, ledger, deployment } = await deployZeroSign(admin, admin.address);
  const departmentId = encodeBytes32String("SAMR");
  await (await registry.registerDepartment(departmentId, "市场监督管理局")).wait();
  await (await registry.addOperator(departmentId, operator.address)).wait();
  const operatorLedger = ledger.connect(operator);

  const rows: { size: number; gasPerTx: number; gasPerDoc: number; ratio: number; found: string }[] = [];
  for (const size of BATCH_SIZES) {
    let gas = 0n;
    let lastHashes: string[] = [];
    for (let b = 0; b < BATCHES_PER_SIZE; b++) {
      lastHashes = Array.from({ length: size }, () => hexlify(randomBytes(32)));
      const kinds = Uint8Array.from({ length: size }, (_, i) => i % 5);
      const receipt = await (await operatorLedger.anchorBatch(lastHashes, kinds)).wait();
      if (!receipt) throw new Error("anchorBatch produced no receipt");
      gas += receipt.gasUsed;
    }
    const probeIndex = Math.floor(size / 2);
    const [anchor] = await findDocumentAnchors(ledger, lastHashes[probeIndex], { fromBlock: deployment.deployBlock });
    const found =
      anchor?.index === probeIndex &&
      verifyBatchProof(anchor.rootHex, { docHashHex: lastHashes[probeIndex], kind: probeIndex % 5 }, anchor.proof);
    const gasPerTx = Number(gas) / BATCHES_PER_SIZE;
    rows.push({ size, gasPerTx, gasPerDoc: gasPerTx / size, ratio: gasPerTx / size / floorPerDoc, found: found ? "yes" : "NO" });
    process.stderr.write(`  batch ${size}: done\n`);
  }

  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`Anchoring gas on the Hardhat network (hardfork ${hardfork}), ${BATCHES_PER_SIZE} batches a size`);
  out(`Calldata floor per document: ${floorPerDoc} gas (${LEAF_BYTES} bytes, ${floorPerDoc / LEAF_BYTES} gas a byte)`);
  out("");
  out("| batch | gas / tx   | gas / doc | floor / doc | ratio | found from chain data |");
  out("|------:|-----------:|----------:|------------:|------:|:---------------------:|");
  for (const r of rows) {
    out(
      `| ${String(r.size).padStart(5)} | ${r.gasPerTx.toFixed(0).padStart(10)} | ${r.gasPerDoc.toFixed(0).padStart(9)} | ` +
        `${String(floorPerDoc).padStart(11)} | ${r.ratio.toFixed(2).padStart(5)} | ${r.found.padStart(11).padEnd(21)} |`,
    );
  }
  const at256 = rows.find((r) => r.size === 256);
  if (!at256) throw new Error("no row for batch size 256");
  out("");
  out(`RESULT gas256=${at256.gasPerDoc.toFixed(0)} floor=${floorPerDoc} ratio256=${at256.ratio.toFixed(3)}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
