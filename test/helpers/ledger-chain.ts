// A real chain for queue tests: the embedded Anvil node in a temp folder (port chosen freely),
// ZeroSign's contracts deployed, and departments registered with a fresh funded operator each.
// The node can be stopped and started again on the same port with its state, for outage tests.
import { encodeBytes32String, JsonRpcProvider, NonceManager, parseEther, Wallet } from "ethers";
import type { DocumentLedger } from "../../typechain-types";
import { deployZeroSign, type Deployment, type ZeroSignContracts } from "../../server/chain/deploy";
import { EMBEDDED_CHAIN_ID, EMBEDDED_DEPLOYER_KEY, startEmbeddedChain, type EmbeddedChain } from "../../server/devnet/embedded-chain";

export interface LedgerChain {
  rpcUrl: string;
  deployment: Deployment;
  contracts: ZeroSignContracts;
  operators: Record<string, Wallet>;
  /** A fresh provider as the queue needs it (no request cache). */
  provider(): JsonRpcProvider;
  /** The ledger connected to `code`'s operator over `provider`. */
  ledgerFor(code: string, provider: JsonRpcProvider): DocumentLedger;
  stopNode(): Promise<void>;
  startNode(): Promise<void>;
  close(): Promise<void>;
}

const silent = () => undefined;

export async function startLedgerChain(dataDir: string, departmentCodes: readonly string[]): Promise<LedgerChain> {
  let node: EmbeddedChain | undefined = await startEmbeddedChain({ dataDir, port: 0, log: silent });
  const rpcUrl = node.rpcUrl;
  const port = Number(new URL(rpcUrl).port);
  const providers: JsonRpcProvider[] = [];
  const provider = () => {
    const p = new JsonRpcProvider(rpcUrl, EMBEDDED_CHAIN_ID, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
    providers.push(p);
    return p;
  };
  const setup = provider();
  const deployer = new NonceManager(new Wallet(EMBEDDED_DEPLOYER_KEY, setup));
  const { registry, ledger, deployment } = await deployZeroSign(deployer, await deployer.getAddress());
  const operators: Record<string, Wallet> = {};
  for (const code of departmentCodes) {
    const operator = Wallet.createRandom();
    operators[code] = new Wallet(operator.privateKey);
    await (await registry.registerDepartment(encodeBytes32String(code), code)).wait();
    await (await registry.addOperator(encodeBytes32String(code), operator.address)).wait();
    await (await deployer.sendTransaction({ to: operator.address, value: parseEther("10") })).wait();
  }
  return {
    rpcUrl,
    deployment,
    contracts: { registry, ledger },
    operators,
    provider,
    ledgerFor: (code, p) => ledger.connect(operators[code].connect(p)) as DocumentLedger,
    async stopNode() {
      await node?.stop();
      node = undefined;
    },
    async startNode() {
      node = await startEmbeddedChain({ dataDir, port, log: silent });
    },
    async close() {
      providers.forEach((p) => p.destroy());
      await node?.stop();
    },
  };
}
