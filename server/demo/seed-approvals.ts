// Brings the approval contracts to the demo's state: each served department's approval operator
// registered and funded, the demo catalog's matters of served departments set, and the approval
// bureau hall's staff and chief keys granted authority (授权书) for every matter decided by
// signature. Idempotent like seed.ts: each step reads the chain first, so a restart sends nothing.
import { encodeBytes32String, NonceManager, parseEther, Wallet, type Provider, type Signer } from "ethers";
import type { ApprovalContracts, ZeroSignContracts } from "../chain/deploy";
import { KEY_ROLES } from "../chain/roles";
import { matterRulesOf } from "../approvals/matter-rules";
import type { MatterDefinition } from "../approvals/types";
import { ensureApprovalOperators } from "./approval-operators";
import { DEMO_CATALOG, DEMO_HALL_DEPARTMENT } from "./catalog";
import type { DemoOperator } from "./operators";

const OPERATOR_FUNDING = parseEther("10");
const OPERATOR_MIN_BALANCE = parseEther("1");

/** A registered key that is to hold delegated authority. */
export interface HallKey {
  keyId: string;
  validUntilSec: number;
}

/** Registers what is missing; returns how many transactions it sent. */
export async function seedApprovals(opts: {
  contracts: ZeroSignContracts;
  bureau: Signer;
  provider: Provider;
  catalog: readonly MatterDefinition[];
  /** One per served department: the account its decisions are sent with. */
  approvalOperators: readonly DemoOperator[];
  /** The hall's keys (委托受理 / 授权审批); undefined when this node does not hold them. */
  hall?: { staff: HallKey; chief: HallKey };
  log: (line: string) => void;
}): Promise<number> {
  const approvals: ApprovalContracts | undefined = opts.contracts.approvals;
  if (!approvals) throw new Error("the deployment records no approval contracts");
  const registry = opts.contracts.registry.connect(opts.bureau);
  let sent = 0;
  const send = async (tx: Promise<{ wait(): Promise<unknown> }>) => {
    await (await tx).wait();
    sent += 1;
  };

  const signers = new Map<string, Signer>();
  for (const op of opts.approvalOperators) {
    const departmentId = encodeBytes32String(op.departmentCode);
    const [operatorDept] = await registry.operatorDepartment(op.address);
    if (operatorDept !== departmentId) await send(registry.addOperator(departmentId, op.address));
    if ((await opts.provider.getBalance(op.address)) < OPERATOR_MIN_BALANCE) {
      await send(opts.bureau.sendTransaction({ to: op.address, value: OPERATOR_FUNDING }));
    }
    signers.set(op.departmentCode, new NonceManager(new Wallet(op.privateKey, opts.provider)));
  }

  const latest = await opts.provider.getBlock("latest");
  const nowSec = latest?.timestamp ?? Math.floor(Date.now() / 1000);
  for (const matter of opts.catalog) {
    const signer = signers.get(matter.departmentCode);
    if (!signer) continue;
    const code = encodeBytes32String(matter.code);
    const [, version] = await approvals.catalog.matterOwner(code);
    const absent = version === 0n ? await inactiveEvidenceDepartments(opts.contracts, matter) : [];
    if (absent.length > 0) {
      // The catalog refuses evidence from a department the registry does not hold (yet): a node
      // started before that department's adds the matter on a later start.
      opts.log(`Not adding matter ${matter.name} (${matter.code}) yet: its evidence comes from ${absent.join(", ")}, not registered`);
      continue;
    }
    if (version === 0n) {
      opts.log(`Adding matter ${matter.name} (${matter.code}) to the catalog`);
      await send(approvals.catalog.connect(signer).setMatter(code, matterRulesOf(matter)));
    }
    if (!opts.hall) continue;
    const grants: Array<[HallKey, number]> = [];
    if (matter.paths.includes("signOnce") || matter.paths.includes("signTwice")) grants.push([opts.hall.staff, KEY_ROLES.staff]);
    if (matter.paths.includes("signTwice")) grants.push([opts.hall.chief, KEY_ROLES.chief]);
    for (const [key, role] of grants) {
      const [held] = await approvals.authority.authorityAt(code, key.keyId, nowSec);
      if (held !== 0n) continue;
      await send(approvals.authority.connect(signer).grantAuthority(key.keyId, [code], role, nowSec - 60, key.validUntilSec));
    }
  }
  return sent;
}

/** The departments `matter`'s evidence comes from that the registry does not hold as active. */
async function inactiveEvidenceDepartments(contracts: ZeroSignContracts, matter: MatterDefinition): Promise<string[]> {
  const codes = [...new Set(matter.evidence.map((e) => e.departmentCode))];
  const known = new Set(await contracts.registry.departmentIds());
  const active = await Promise.all(
    codes.map(async (code) => {
      const id = encodeBytes32String(code);
      return known.has(id) && (await contracts.registry.department(id)).active;
    }),
  );
  return codes.filter((_, i) => !active[i]);
}

/**
 * The demo's approvals for `npm start`: approval operators of the served departments, the demo
 * catalog and the hall's grants (when this node serves the hall). Returns the operators and the
 * transactions sent.
 */
export async function ensureDemoApprovals(opts: {
  dataDir: string;
  contracts: ZeroSignContracts;
  bureau: Signer;
  provider: Provider;
  departmentCodes: readonly string[];
  pki: { keys: readonly { departmentCode: string; role: string; algorithm: string; keyId: string; validUntilSec: number }[] };
  log: (line: string) => void;
}): Promise<{ approvalOperators: DemoOperator[]; sent: number }> {
  const approvalOperators = await ensureApprovalOperators(opts.dataDir, opts.departmentCodes);
  const hallKey = (role: string) =>
    opts.pki.keys.find((k) => k.departmentCode === DEMO_HALL_DEPARTMENT && k.role === role && k.algorithm === "ecdsa-p256");
  const staff = hallKey("staff");
  const chief = hallKey("chief");
  const sent = await seedApprovals({
    contracts: opts.contracts,
    bureau: opts.bureau,
    provider: opts.provider,
    catalog: DEMO_CATALOG,
    approvalOperators,
    hall: staff && chief ? { staff, chief } : undefined,
    log: opts.log,
  });
  return { approvalOperators, sent };
}
