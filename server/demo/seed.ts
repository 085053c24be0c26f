// Brings the registry to the demo's state: the demo departments registered, each with its operator
// account (funded for gas) and its dev PKI keys registered with their roles and validity windows.
// Idempotent: every step checks the chain first, so a restart changes nothing.
import { encodeBytes32String, NonceManager, parseEther, Wallet, type Provider, type Signer } from "ethers";
import type { ZeroSignContracts } from "../chain/deploy";
import { KEY_ROLES } from "../chain/roles";
import type { DevPki } from "../pki/dev-pki";
import type { DemoDepartment } from "./departments";
import type { DemoOperator } from "./operators";

const OPERATOR_FUNDING = parseEther("10");
const OPERATOR_MIN_BALANCE = parseEther("1");

/** Registers what is missing; returns how many transactions it sent. */
export async function seedDemo(opts: {
  contracts: ZeroSignContracts;
  bureau: Signer;
  provider: Provider;
  departments: readonly DemoDepartment[];
  operators: readonly DemoOperator[];
  pki: DevPki;
  log: (line: string) => void;
}): Promise<number> {
  const registry = opts.contracts.registry.connect(opts.bureau);
  const registered = new Set(await registry.departmentIds());
  const bureauRole = await registry.BUREAU_ROLE();
  let sent = 0;
  const send = async (tx: Promise<{ wait(): Promise<unknown> }>) => {
    await (await tx).wait();
    sent += 1;
  };

  for (const dept of opts.departments) {
    const departmentId = encodeBytes32String(dept.code);
    const operator = opts.operators.find((op) => op.departmentCode === dept.code);
    if (!operator) throw new Error(`no demo operator for ${dept.code}`);
    if (!registered.has(departmentId)) {
      opts.log(`Registering ${dept.nameZh} (${dept.code})`);
      await send(registry.registerDepartment(departmentId, dept.nameZh));
    }
    const [operatorDept] = await registry.operatorDepartment(operator.address);
    if (operatorDept !== departmentId) await send(registry.addOperator(departmentId, operator.address));
    if (dept.bureau && !(await registry.hasRole(bureauRole, operator.address))) {
      await send(registry.grantRole(bureauRole, operator.address));
    }
    if ((await opts.provider.getBalance(operator.address)) < OPERATOR_MIN_BALANCE) {
      await send(opts.bureau.sendTransaction({ to: operator.address, value: OPERATOR_FUNDING }));
    }

    // NonceManager: ethers caches identical RPC answers briefly, so back-to-back sends would
    // otherwise read the same pending nonce.
    const operatorRegistry = registry.connect(new NonceManager(new Wallet(operator.privateKey, opts.provider)));
    for (const key of opts.pki.keys.filter((k) => k.departmentCode === dept.code)) {
      const [record] = await registry.keyAt(key.keyId, 0);
      if (record.role !== 0n) continue;
      await send(
        operatorRegistry.registerKey(key.keyId, departmentId, KEY_ROLES[key.role], key.validFromSec, key.validUntilSec),
      );
    }
  }
  return sent;
}
