// The key fixture shared by the registry key and revocation tests: SAMR and MCA with one operator
// each (departmentsFixture), and one SAMR staff key valid around the current block time.
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { KEY_ROLES } from "../../../server/chain/roles";
import { departmentsFixture, keyIdOf, SAMR } from "../fixtures";

export const STAFF_KEY = keyIdOf("SAMR staff key");

/** SAMR with a staff key valid for [validFrom, validUntil] around the current block time. */
export async function samrKeyFixture() {
  const base = await departmentsFixture();
  const now = await time.latest();
  const validFrom = now - 1_000;
  const validUntil = now + 1_000_000;
  await base.registry.connect(base.samrOperator).registerKey(STAFF_KEY, SAMR, KEY_ROLES.staff, validFrom, validUntil);
  return { ...base, validFrom, validUntil };
}
