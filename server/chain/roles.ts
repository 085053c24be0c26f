// Key roles as the TrustRegistry numbers them (enum KeyRole in ITrustRegistry.sol).
// 0 is "none" on chain, so a missing key never reads as a real role.

export const KEY_ROLES = { staff: 1, chief: 2, seal: 3 } as const;

export type KeyRoleName = keyof typeof KEY_ROLES;

/** Maps an on-chain role number back to its name, or undefined for 0 / unknown values. */
export function keyRoleName(role: number): KeyRoleName | undefined {
  return (Object.keys(KEY_ROLES) as KeyRoleName[]).find((name) => KEY_ROLES[name] === role);
}
