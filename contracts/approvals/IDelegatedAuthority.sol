// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ITrustRegistry} from "../registry/ITrustRegistry.sol";

/**
 * @title IDelegatedAuthority
 * @notice Authorisation letters (授权书): a department lets a registered key decide given matters
 * as staff (签一次) or as chief representative (签两次), within a validity window, until revoked.
 * @dev Authority, not key ownership, decides: the key may be the department's own or one of the
 * approval bureau's hall staff (委托受理 / 授权审批). Grants of one key for one matter follow each
 * other in time and never overlap, and every grant stays readable, so "did key K hold authority
 * for matter M at time T?" has one answer for every T.
 */
interface IDelegatedAuthority {
    /**
     * @notice One grant of authority.
     * @param matter The matter's code in the catalog.
     * @param keyId The registry key id of the person's signing key.
     * @param departmentId The granting department (the matter's owner).
     * @param role Staff (签一次) or Chief (签两次).
     * @param validFrom First second the authority holds (inclusive).
     * @param validUntil Last second the authority holds (inclusive).
     * @param revokedAt 0, or the first second it no longer holds; only ever moves earlier.
     */
    struct Grant {
        bytes32 matter;
        bytes32 keyId;
        bytes32 departmentId;
        ITrustRegistry.KeyRole role;
        uint64 validFrom;
        uint64 validUntil;
        uint64 revokedAt;
    }

    /// @notice No matter with this code is in the catalog.
    error DelegatedAuthorityUnknownMatter(bytes32 matter);
    /// @notice The list of matters is empty.
    error DelegatedAuthorityNoMatters();
    /// @notice `account` is not an active operator of the matter's owning department.
    error DelegatedAuthorityNotOperator(address account, bytes32 departmentId);
    /// @notice Only Staff and Chief authority can be granted.
    error DelegatedAuthorityInvalidRole(ITrustRegistry.KeyRole role);
    /**
     * @notice The key's registered role cannot carry the authority: Staff authority needs a Staff or
     * Chief key, Chief authority a Chief key (an unknown key has role None).
     */
    error DelegatedAuthorityKeyRole(bytes32 keyId, ITrustRegistry.KeyRole keyRole, ITrustRegistry.KeyRole role);
    /// @notice validFrom is after validUntil.
    error DelegatedAuthorityInvalidWindow(uint64 validFrom, uint64 validUntil);
    /// @notice The new grant starts before grant `grantId` of the same key and matter ends (`endsAt`, inclusive).
    error DelegatedAuthorityOverlap(bytes32 matter, bytes32 keyId, uint256 grantId, uint64 endsAt);
    /// @notice The key holds no grant for the matter.
    error DelegatedAuthorityNoGrant(bytes32 matter, bytes32 keyId);
    /// @notice No grant with this id.
    error DelegatedAuthorityUnknownGrant(uint256 grantId);
    /// @notice The grant is already revoked from `currentRevokedAt`, and `revokedAt` is not earlier.
    error DelegatedAuthorityRevocationNotEarlier(uint256 grantId, uint64 revokedAt, uint64 currentRevokedAt);
    /// @notice `revokedAt` (0 resolved to the block time) is after the grant's last second `validUntil`.
    error DelegatedAuthorityRevocationAfterExpiry(uint256 grantId, uint64 revokedAt, uint64 validUntil);

    /// @notice `keyId` may decide `matter` as `role` for [validFrom, validUntil], granted by `departmentId`.
    event AuthorityGranted(
        uint256 indexed grantId,
        bytes32 indexed matter,
        bytes32 indexed keyId,
        bytes32 departmentId,
        ITrustRegistry.KeyRole role,
        uint64 validFrom,
        uint64 validUntil
    );
    /// @notice Grant `grantId` no longer holds from `revokedAt`; `previousRevokedAt` is 0 for a first revocation.
    event AuthorityRevoked(
        uint256 indexed grantId,
        bytes32 indexed matter,
        bytes32 indexed keyId,
        uint64 revokedAt,
        uint64 previousRevokedAt
    );

    /**
     * @notice Grants `keyId` authority to decide each of `matters` as `role`.
     * @dev Requires a non-empty list of catalogued matters, all owned by the caller's department
     * (the caller an active operator of it), role Staff or Chief, a key registered with a role that
     * can carry it, validFrom <= validUntil, and for each matter no grant of this key that is still
     * in force at validFrom. Emits {AuthorityGranted} once per matter. Reverts with
     * {DelegatedAuthorityNoMatters}, {DelegatedAuthorityInvalidRole},
     * {DelegatedAuthorityInvalidWindow}, {DelegatedAuthorityKeyRole},
     * {DelegatedAuthorityUnknownMatter}, {DelegatedAuthorityNotOperator} or
     * {DelegatedAuthorityOverlap}.
     * @param keyId The registry key id.
     * @param matters The matters' codes.
     * @param role Staff or Chief.
     * @param validFrom First second (unix time) of the authority.
     * @param validUntil Last second (unix time) of the authority.
     * @return firstGrantId The id of the first grant; the others follow in the order of `matters`.
     */
    function grantAuthority(
        bytes32 keyId,
        bytes32[] calldata matters,
        ITrustRegistry.KeyRole role,
        uint64 validFrom,
        uint64 validUntil
    ) external returns (uint256 firstGrantId);

    /**
     * @notice Revokes the latest grant of `keyId` for `matter` as of `revokedAt`, or moves its revocation earlier.
     * @dev Requires an active operator of the matter's owning department, or the approval bureau
     * (so a compromised hall key can be stopped at once). The rules are the registry's revokeKey:
     * 0 means now; a time after validUntil is refused; a time before validFrom is recorded as
     * validFrom; a second revocation must be earlier. Emits {AuthorityRevoked}. Reverts with
     * {DelegatedAuthorityUnknownMatter}, {DelegatedAuthorityNotOperator},
     * {DelegatedAuthorityNoGrant}, {DelegatedAuthorityRevocationAfterExpiry} or
     * {DelegatedAuthorityRevocationNotEarlier}.
     * @param matter The matter.
     * @param keyId The key.
     * @param revokedAt The first second the authority no longer holds, or 0 for the block time.
     */
    function revokeAuthority(bytes32 matter, bytes32 keyId, uint64 revokedAt) external;

    /**
     * @notice The authority `keyId` held for `matter` at `time`.
     * @param matter The matter.
     * @param keyId The key.
     * @param time The unix time to judge at.
     * @return role Staff or Chief, or None when no grant held at that time.
     * @return grantId The grant that held, or 0.
     */
    function authorityAt(bytes32 matter, bytes32 keyId, uint64 time)
        external
        view
        returns (ITrustRegistry.KeyRole role, uint256 grantId);

    /**
     * @notice One grant.
     * @dev Reverts with {DelegatedAuthorityUnknownGrant}.
     * @param grantId The grant (1, 2, …).
     * @return grant The record.
     */
    function grant(uint256 grantId) external view returns (Grant memory grant);

    /**
     * @notice The grants of `keyId` for `matter`, oldest first.
     * @param matter The matter.
     * @param keyId The key.
     * @return grantIds Their ids.
     */
    function grantsOf(bytes32 matter, bytes32 keyId) external view returns (uint256[] memory grantIds);
}
