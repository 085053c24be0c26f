// Deploys ZeroSign's contracts with a given signer. Used by `npm start` for the embedded chain,
// by the benchmark and by tests; against an external chain the addresses come from configuration.
import type { ContractRunner, Signer } from "ethers";
import {
  ApprovalRules__factory,
  DelegatedAuthority__factory,
  DocumentLedger__factory,
  MatterCatalog__factory,
  TrustRegistry__factory,
  type ApprovalRules,
  type DelegatedAuthority,
  type DocumentLedger,
  type MatterCatalog,
  type TrustRegistry,
} from "../../typechain-types";

/** The approval contracts: matter catalog, delegated authority and the decision rules. */
export interface ApprovalContracts {
  catalog: MatterCatalog;
  authority: DelegatedAuthority;
  approvalRules: ApprovalRules;
}

export interface ZeroSignContracts {
  registry: TrustRegistry;
  ledger: DocumentLedger;
  /** Absent for a deployment recorded before the approval contracts existed. */
  approvals?: ApprovalContracts;
}

/** Where the approval contracts are. */
export interface ApprovalsDeployment {
  matterCatalogAddress: string;
  delegatedAuthorityAddress: string;
  approvalRulesAddress: string;
  /** The block ApprovalRules was deployed in: where searches for decisions start. */
  deployBlock: number;
}

export interface Deployment {
  registryAddress: string;
  ledgerAddress: string;
  chainId: number;
  /** The block the ledger was deployed in: where log searches start. */
  deployBlock: number;
  /** Absent in a deployment recorded before the approval contracts existed. */
  approvals?: ApprovalsDeployment;
}

/** Deploys a TrustRegistry (admin and bureau = `admin`), a DocumentLedger reading it, and the approval contracts. */
export async function deployZeroSign(
  deployer: Signer,
  admin: string,
): Promise<{ registry: TrustRegistry; ledger: DocumentLedger; approvals: ApprovalContracts; deployment: Deployment & { approvals: ApprovalsDeployment } }> {
  const registry = await new TrustRegistry__factory(deployer).deploy(admin);
  await registry.waitForDeployment();
  const ledger = await new DocumentLedger__factory(deployer).deploy(await registry.getAddress());
  const receipt = await ledger.deploymentTransaction()?.wait();
  if (!receipt) throw new Error("DocumentLedger deployment transaction has no receipt");
  const network = await deployer.provider?.getNetwork();
  const registryAddress = await registry.getAddress();
  const ledgerAddress = await ledger.getAddress();
  const { approvals, deployment: approvalsDeployment } = await deployApprovals(deployer, { registryAddress, ledgerAddress });
  return {
    registry,
    ledger,
    approvals,
    deployment: {
      registryAddress,
      ledgerAddress,
      chainId: Number(network?.chainId ?? 0),
      deployBlock: receipt.blockNumber,
      approvals: approvalsDeployment,
    },
  };
}

/**
 * Deploys the matter catalog, delegated authority and ApprovalRules over an existing registry and
 * ledger; also how an older deployment without them is completed.
 */
export async function deployApprovals(
  deployer: Signer,
  at: Pick<Deployment, "registryAddress" | "ledgerAddress">,
): Promise<{ approvals: ApprovalContracts; deployment: ApprovalsDeployment }> {
  const catalog = await new MatterCatalog__factory(deployer).deploy(at.registryAddress);
  await catalog.waitForDeployment();
  const catalogAddress = await catalog.getAddress();
  const authority = await new DelegatedAuthority__factory(deployer).deploy(at.registryAddress, catalogAddress);
  await authority.waitForDeployment();
  const authorityAddress = await authority.getAddress();
  const approvalRules = await new ApprovalRules__factory(deployer).deploy(
    at.registryAddress,
    at.ledgerAddress,
    catalogAddress,
    authorityAddress,
  );
  const receipt = await approvalRules.deploymentTransaction()?.wait();
  if (!receipt) throw new Error("ApprovalRules deployment transaction has no receipt");
  return {
    approvals: { catalog, authority, approvalRules },
    deployment: {
      matterCatalogAddress: catalogAddress,
      delegatedAuthorityAddress: authorityAddress,
      approvalRulesAddress: await approvalRules.getAddress(),
      deployBlock: receipt.blockNumber,
    },
  };
}

/** Attaches to already deployed contracts; `approvals` only when the deployment records them. */
export function attachZeroSign(deployment: Deployment, runner: ContractRunner): ZeroSignContracts {
  return {
    registry: TrustRegistry__factory.connect(deployment.registryAddress, runner),
    ledger: DocumentLedger__factory.connect(deployment.ledgerAddress, runner),
    approvals: deployment.approvals && attachApprovals(deployment.approvals, runner),
  };
}

function attachApprovals(deployment: ApprovalsDeployment, runner: ContractRunner): ApprovalContracts {
  return {
    catalog: MatterCatalog__factory.connect(deployment.matterCatalogAddress, runner),
    authority: DelegatedAuthority__factory.connect(deployment.delegatedAuthorityAddress, runner),
    approvalRules: ApprovalRules__factory.connect(deployment.approvalRulesAddress, runner),
  };
}
