// Deploys ZeroSign's contracts with a given signer. Used by `npm start` for the embedded chain,
// by the benchmark and by tests; against an external chain the addresses come from configuration.
import type { ContractRunner, Signer } from "ethers";
import {
  DocumentLedger__factory,
  TrustRegistry__factory,
  type DocumentLedger,
  type TrustRegistry,
} from "../../typechain-types";

export interface ZeroSignContracts {
  registry: TrustRegistry;
  ledger: DocumentLedger;
}

export interface Deployment {
  registryAddress: string;
  ledgerAddress: string;
  chainId: number;
  /** The block the ledger was deployed in: where log searches start. */
  deployBlock: number;
}

/** Deploys a TrustRegistry (admin and bureau = `admin`) and a DocumentLedger reading it. */
export async function deployZeroSign(deployer: Signer, admin: string): Promise<ZeroSignContracts & { deployment: Deployment }> {
  const registry = await new TrustRegistry__factory(deployer).deploy(admin);
  await registry.waitForDeployment();
  const ledger = await new DocumentLedger__factory(deployer).deploy(await registry.getAddress());
  const receipt = await ledger.deploymentTransaction()?.wait();
  if (!receipt) throw new Error("DocumentLedger deployment transaction has no receipt");
  const network = await deployer.provider?.getNetwork();
  return {
    registry,
    ledger,
    deployment: {
      registryAddress: await registry.getAddress(),
      ledgerAddress: await ledger.getAddress(),
      chainId: Number(network?.chainId ?? 0),
      deployBlock: receipt.blockNumber,
    },
  };
}

/** Attaches to already deployed contracts. */
export function attachZeroSign(deployment: Deployment, runner: ContractRunner): ZeroSignContracts {
  return {
    registry: TrustRegistry__factory.connect(deployment.registryAddress, runner),
    ledger: DocumentLedger__factory.connect(deployment.ledgerAddress, runner),
  };
}
