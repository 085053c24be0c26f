// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title ITrustRegistry
 * @notice Departments, their operator accounts and their signing keys: the public identity data
 * every verifier reads instead of phoning the issuing department.
 * @dev A signing key is identified by keccak256 of its DER SubjectPublicKeyInfo (see
 * server/chain/key-id.ts). No personal data is stored: department ids and names are public
 * registry data, keys are hashes.
 */
interface ITrustRegistry {
    /// @notice What a key may be used for. `None` marks an unregistered key.
    enum KeyRole {
        None,
        Staff, // 派驻工作人员, resident staff
        Chief, // 首席代表, chief representative
        Seal // 电子印章, the department's electronic seal
    }

    /// @notice The answer to "at time T, was key K a key of department D with role R, and not revoked?".
    enum KeyStatus {
        Valid,
        UnknownKey,
        WrongDepartment,
        WrongRole,
        NotYetValid,
        Expired,
        Revoked,
        DepartmentInactive
    }

    struct Department {
        bytes32 id;
        string name;
        bool active;
        uint64 registeredAt;
        /// @dev 0 while active; keys of the department are not valid from this time on.
        uint64 deactivatedAt;
    }

    struct SigningKey {
        bytes32 departmentId;
        KeyRole role;
        /// @dev Inclusive bounds: the key is usable for validFrom <= T <= validUntil.
        uint64 validFrom;
        uint64 validUntil;
        /// @dev 0 if not revoked; the key is not usable for T >= revokedAt. When set,
        /// validFrom <= revokedAt <= validUntil, and it only ever moves earlier.
        uint64 revokedAt;
    }

    /// @notice The department id is zero or the name is empty.
    error TrustRegistryInvalidDepartment(bytes32 departmentId);
    /// @notice A department with this id is already registered.
    error TrustRegistryDepartmentExists(bytes32 departmentId);
    /// @notice No department with this id is registered.
    error TrustRegistryUnknownDepartment(bytes32 departmentId);
    /// @notice The department has been deactivated.
    error TrustRegistryDepartmentInactive(bytes32 departmentId);
    /// @notice `account` is not an operator of `departmentId`.
    error TrustRegistryNotOperator(address account, bytes32 departmentId);
    /// @notice `account` already operates for `departmentId`; an account serves one department.
    error TrustRegistryOperatorAssigned(address account, bytes32 departmentId);
    /// @notice The operator account is the zero address.
    error TrustRegistryInvalidOperator(address account);
    /// @notice A key with this id is already registered.
    error TrustRegistryKeyExists(bytes32 keyId);
    /// @notice No key with this id is registered.
    error TrustRegistryUnknownKey(bytes32 keyId);
    /// @notice The key id is zero or the role is `None`.
    error TrustRegistryInvalidKey(bytes32 keyId, KeyRole role);
    /// @notice validFrom is after validUntil.
    error TrustRegistryInvalidKeyWindow(uint64 validFrom, uint64 validUntil);
    /**
     * @notice The key is already revoked from `currentRevokedAt`, and `revokedAt` is not earlier.
     * @dev A revocation only moves earlier, so no one (a thief of an operator's account included)
     * can postpone one. `revokedAt` is the requested time as judged: 0 resolved to the block time,
     * a time before validFrom raised to validFrom.
     * @param keyId The key.
     * @param revokedAt The requested revocation time, as judged.
     * @param currentRevokedAt The revocation time already recorded.
     */
    error TrustRegistryRevocationNotEarlier(bytes32 keyId, uint64 revokedAt, uint64 currentRevokedAt);
    /**
     * @notice `revokedAt` is after the key's last valid second `validUntil`.
     * @dev Such a revocation would change no status; refusing it stops one being "scheduled"
     * past the key's life. `revokedAt` is the requested time with 0 resolved to the block time, so
     * revoking an expired key "now" is refused too: to record a compromise found after expiry,
     * pass the time of the compromise.
     * @param keyId The key.
     * @param revokedAt The requested revocation time (0 resolved to the block time).
     * @param validUntil The key's last valid second.
     */
    error TrustRegistryRevocationAfterExpiry(bytes32 keyId, uint64 revokedAt, uint64 validUntil);

    /// @notice A department was registered by the approval bureau.
    event DepartmentRegistered(bytes32 indexed departmentId, string name);
    /// @notice A department was deactivated; its keys stop being valid at `deactivatedAt`.
    event DepartmentDeactivated(bytes32 indexed departmentId, uint64 deactivatedAt);
    /// @notice `account` may now anchor and revoke for `departmentId`.
    event OperatorAdded(bytes32 indexed departmentId, address indexed account);
    /// @notice `account` no longer operates for `departmentId`.
    event OperatorRemoved(bytes32 indexed departmentId, address indexed account);
    /// @notice A signing key was registered for a department.
    event KeyRegistered(
        bytes32 indexed keyId,
        bytes32 indexed departmentId,
        KeyRole role,
        uint64 validFrom,
        uint64 validUntil
    );
    /**
     * @notice A signing key was revoked as of `revokedAt`, or its revocation moved earlier.
     * @param keyId The key.
     * @param departmentId The key's department.
     * @param revokedAt The first second the key is no longer valid.
     * @param previousRevokedAt The revocation time this one replaces, or 0 for a first revocation.
     */
    event KeyRevoked(
        bytes32 indexed keyId,
        bytes32 indexed departmentId,
        uint64 revokedAt,
        uint64 previousRevokedAt
    );

    /**
     * @notice Registers a department.
     * @dev Requires BUREAU_ROLE, a non-zero id, a non-empty name and an unused id.
     * Emits {DepartmentRegistered}. Reverts with {TrustRegistryInvalidDepartment} or
     * {TrustRegistryDepartmentExists}.
     * @param departmentId The department's id (ZeroSign uses its code as bytes32).
     * @param name The department's public name.
     */
    function registerDepartment(bytes32 departmentId, string calldata name) external;

    /**
     * @notice Deactivates a department from now on; its operators can no longer act.
     * @dev Requires BUREAU_ROLE and an active department. Emits {DepartmentDeactivated}.
     * Reverts with {TrustRegistryUnknownDepartment} or {TrustRegistryDepartmentInactive}.
     * @param departmentId The department to deactivate.
     */
    function deactivateDepartment(bytes32 departmentId) external;

    /**
     * @notice Lets `account` anchor, revoke and manage keys for `departmentId`.
     * @dev Requires BUREAU_ROLE, an active department, a non-zero account that serves no
     * department yet. Emits {OperatorAdded}. Reverts with {TrustRegistryUnknownDepartment},
     * {TrustRegistryDepartmentInactive}, {TrustRegistryInvalidOperator} or
     * {TrustRegistryOperatorAssigned}.
     * @param departmentId The department.
     * @param account The operator account.
     */
    function addOperator(bytes32 departmentId, address account) external;

    /**
     * @notice Removes `account` as an operator of `departmentId`.
     * @dev Requires BUREAU_ROLE. Emits {OperatorRemoved}. Reverts with {TrustRegistryNotOperator}.
     * @param departmentId The department.
     * @param account The operator account.
     */
    function removeOperator(bytes32 departmentId, address account) external;

    /**
     * @notice Registers a signing key for the caller's department.
     * @dev Requires the caller to be an operator of `departmentId`, the department to be active,
     * a non-zero unused key id, a role other than None and validFrom <= validUntil.
     * Emits {KeyRegistered}. Reverts with {TrustRegistryNotOperator},
     * {TrustRegistryDepartmentInactive}, {TrustRegistryInvalidKey}, {TrustRegistryKeyExists} or
     * {TrustRegistryInvalidKeyWindow}.
     * @param keyId keccak256 of the key's DER SubjectPublicKeyInfo.
     * @param departmentId The department the key belongs to.
     * @param role What the key may sign as.
     * @param validFrom First second (unix time) the key is valid.
     * @param validUntil Last second (unix time) the key is valid.
     */
    function registerKey(bytes32 keyId, bytes32 departmentId, KeyRole role, uint64 validFrom, uint64 validUntil)
        external;

    /**
     * @notice Revokes a key as of `revokedAt`, or moves its revocation earlier.
     * @dev Requires the caller to be an active operator of the key's department, or to hold
     * BUREAU_ROLE (so a compromise found after a department was deactivated can still be
     * recorded). `revokedAt` 0 means now; an earlier time records a key compromise discovered
     * late; a later time (up to validUntil) schedules the revocation, e.g. for a key rotation.
     * The rules, so that a revocation can never be postponed or parked out of reach:
     * - a time after the key's validUntil is refused ({TrustRegistryRevocationAfterExpiry});
     * - a time before validFrom is recorded as validFrom: the key was then never valid, and
     *   no earlier time would change any status;
     * - on a revoked key only an earlier time is accepted and replaces the recorded one; the same
     *   or a later one is refused ({TrustRegistryRevocationNotEarlier}). So the bureau (or the
     *   operator) can always revoke now a key whose revocation is merely scheduled.
     * Emits {KeyRevoked} with the recorded time and the one it replaces.
     * Reverts with {TrustRegistryUnknownKey}, {TrustRegistryNotOperator},
     * {TrustRegistryDepartmentInactive} (an operator of a deactivated department),
     * {TrustRegistryRevocationAfterExpiry} or {TrustRegistryRevocationNotEarlier}.
     * @param keyId The key to revoke.
     * @param revokedAt The first second the key is no longer valid, or 0 for the current block time.
     */
    function revokeKey(bytes32 keyId, uint64 revokedAt) external;

    /**
     * @notice At time `time`, was `keyId` a key of `departmentId` with `role`, and not revoked?
     * @dev The one call a verifier makes; `time` is the anchoring block's timestamp.
     * @param keyId The signing key's id.
     * @param departmentId The department the document claims.
     * @param role The role the signature claims.
     * @param time The unix time to judge at.
     * @return status {KeyStatus.Valid}, or the first reason the key fails.
     */
    function keyStatusAt(bytes32 keyId, bytes32 departmentId, KeyRole role, uint64 time)
        external
        view
        returns (KeyStatus status);

    /**
     * @notice The key's registration and its status at `time` for its own department and role.
     * @dev For a verifier that knows only the key (from a signer certificate). An unknown key
     * returns an empty record and {KeyStatus.UnknownKey}.
     * @param keyId The signing key's id.
     * @param time The unix time to judge at.
     * @return key The registration record.
     * @return status The key's status at `time`.
     */
    function keyAt(bytes32 keyId, uint64 time) external view returns (SigningKey memory key, KeyStatus status);

    /**
     * @notice The department an operator account acts for, and whether it is active.
     * @param account The account.
     * @return departmentId The department, or zero if the account is no operator.
     * @return active Whether that department is active.
     */
    function operatorDepartment(address account) external view returns (bytes32 departmentId, bool active);

    /**
     * @notice A registered department.
     * @dev Reverts with {TrustRegistryUnknownDepartment}.
     * @param departmentId The department.
     * @return department The record.
     */
    function department(bytes32 departmentId) external view returns (Department memory department);

    /**
     * @notice All registered department ids, in registration order.
     * @return ids The department ids.
     */
    function departmentIds() external view returns (bytes32[] memory ids);
}
