// Deploying the approval contracts: deployZeroSign wires them to its registry and ledger, and a
// deployment.json written before they existed still loads — ensureDeployment keeps its registry
// and ledger, deploys the approval contracts next to them once, and records their addresses.
// Also the gas of recordDecision per path, measured (not asserted) for docs/approvals.md.
import { expect } from "chai";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { attachZeroSign, deployZeroSign } from "../../../server/chain/deploy";
import { ensureDeployment, readDeployment } from "../../../server/chain/deployment-file";
import { DocumentLedger__factory, TrustRegistry__factory } from "../../../typechain-types";
import { approvalsFixture, MATTER, PATH, propose, record, signAndRecord } from "./approvals-fixture";

describe("Approvals deployment", function () {
  let dataDir: string;
  beforeEach(async function () {
    dataDir = await mkdtemp(path.join(tmpdir(), "zerosign-approvals-deploy-"));
  });
  afterEach(async function () {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("deploys the approval contracts reading deployZeroSign's registry and ledger", async function () {
    const [deployer] = await ethers.getSigners();
    const { registry, ledger, approvals, deployment } = await deployZeroSign(deployer, deployer.address);
    const sources = await approvals.approvalRules.sources();
    expect([...sources]).to.deep.equal([
      await registry.getAddress(),
      await ledger.getAddress(),
      deployment.approvals.matterCatalogAddress,
      deployment.approvals.delegatedAuthorityAddress,
    ]);
    expect(await approvals.catalog.registry()).to.equal(await registry.getAddress());
    expect([...(await approvals.authority.sources())]).to.deep.equal([
      await registry.getAddress(),
      deployment.approvals.matterCatalogAddress,
    ]);
    expect(deployment.approvals.deployBlock).to.be.at.least(deployment.deployBlock);
  });

  it("completes a deployment.json recorded before the approval contracts, once, keeping its registry and ledger", async function () {
    const [deployer] = await ethers.getSigners();
    const registry = await new TrustRegistry__factory(deployer).deploy(deployer.address);
    const ledger = await new DocumentLedger__factory(deployer).deploy(await registry.getAddress());
    const receipt = await ledger.deploymentTransaction()?.wait();
    const old = {
      registryAddress: await registry.getAddress(),
      ledgerAddress: await ledger.getAddress(),
      chainId: Number((await ethers.provider.getNetwork()).chainId),
      deployBlock: receipt?.blockNumber ?? 0,
    };
    const file = path.join(dataDir, "deployment.json");
    await writeFile(file, JSON.stringify(old));
    expect(await readDeployment(file)).to.deep.equal(old);

    const lines: string[] = [];
    const opts = { dataDir, provider: ethers.provider, deployer, log: (line: string) => lines.push(line) };
    const first = await ensureDeployment(opts);
    expect(first.fresh).to.equal(false);
    expect({ ...first.deployment, approvals: undefined }).to.deep.equal({ ...old, approvals: undefined });
    const approvals = first.deployment.approvals;
    if (!approvals) throw new Error("no approval contracts recorded");
    expect(await readDeployment(file)).to.deep.equal(first.deployment);
    expect((await attachZeroSign(first.deployment, deployer).approvals?.approvalRules.sources())?.[0]).to.equal(old.registryAddress);

    const second = await ensureDeployment(opts);
    expect(second.deployment).to.deep.equal(first.deployment);
    expect(lines).to.deep.equal(["Deploying the approval contracts next to the recorded registry and ledger"]);
    expect(JSON.parse(await readFile(file, "utf8")).approvals.approvalRulesAddress).to.equal(approvals.approvalRulesAddress);
  });

  it("attaches without approval contracts to a deployment that records none", async function () {
    const [deployer] = await ethers.getSigners();
    const { deployment } = await deployZeroSign(deployer, deployer.address);
    expect(attachZeroSign({ ...deployment, approvals: undefined }, deployer).approvals).to.equal(undefined);
  });
});

describe("ApprovalRules gas (measured for docs/approvals.md, not asserted)", function () {
  it("measures recordDecision for the instant, sign-once and sign-twice paths", async function () {
    const f = await loadFixture(approvalsFixture);
    const instant = await propose("gas instant", MATTER.elderly, PATH.instant, [f.evidence.idCertificate]);
    const once = await propose("gas once", MATTER.food, PATH.signOnce, []);
    const twice = await propose("gas twice", MATTER.food, PATH.signTwice, []);
    const gas = {
      instant: (await (await record(f, f.mcaOperator, instant, [])).wait())?.gasUsed,
      signOnce: (await (await signAndRecord(f, f.samrOperator, once, [f.keys.samrStaff])).wait())?.gasUsed,
      signTwice: (await (await signAndRecord(f, f.samrOperator, twice, [f.keys.samrStaff, f.keys.samrChief])).wait())
        ?.gasUsed,
    };
    for (const used of Object.values(gas)) expect(used).to.be.a("bigint");
    console.log(`      recordDecision gas: ${JSON.stringify(gas, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v))}`);
  });
});
