// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {ITrustRegistry} from "../registry/ITrustRegistry.sol";
import {IDelegatedAuthority} from "./IDelegatedAuthority.sol";
import {IMatterCatalog} from "./IMatterCatalog.sol";

/**
 * @title DelegatedAuthority
 * @notice Who may decide which matter, as staff or chief representative, and when.
 * @dev Matters and their owners come from the {IMatterCatalog}; operators, keys and the approval
 * bureau from the {ITrustRegistry}. It does not check signatures or the key's own validity:
 * ApprovalRules asks both this contract and the registry at the decision's time.
 */
contract DelegatedAuthority is IDelegatedAuthority {
    /// @notice The registry role of the approval bureau; equal to TrustRegistry.BUREAU_ROLE.
    bytes32 public constant BUREAU_ROLE = keccak256("BUREAU_ROLE");

    ITrustRegistry private immutable _registry;
    IMatterCatalog private immutable _catalog;
    Grant[] private _grants;
    mapping(bytes32 matter => mapping(bytes32 keyId => uint256[] grantIds)) private _grantIds;

    /**
     * @notice Deploys the authority records over `trustRegistry` and `matterCatalog`.
     * @param trustRegistry The trust registry (keys, operators, the bureau role).
     * @param matterCatalog The matter catalog (matters and their owners).
     */
    constructor(ITrustRegistry trustRegistry, IMatterCatalog matterCatalog) {
        _registry = trustRegistry;
        _catalog = matterCatalog;
    }

    /**
     * @notice The trust registry and matter catalog this contract reads.
     * @return trustRegistry The registry's address.
     * @return matterCatalog The catalog's address.
     */
    function sources() external view returns (ITrustRegistry trustRegistry, IMatterCatalog matterCatalog) {
        return (_registry, _catalog);
    }

    /// @inheritdoc IDelegatedAuthority
    function grantAuthority(
        bytes32 keyId,
        bytes32[] calldata matters,
        ITrustRegistry.KeyRole role,
        uint64 validFrom,
        uint64 validUntil
    ) external returns (uint256 firstGrantId) {
        if (matters.length == 0) revert DelegatedAuthorityNoMatters();
        if (role != ITrustRegistry.KeyRole.Staff && role != ITrustRegistry.KeyRole.Chief) {
            revert DelegatedAuthorityInvalidRole(role);
        }
        if (validFrom > validUntil) revert DelegatedAuthorityInvalidWindow(validFrom, validUntil);
        // The PDF signatures a decision's certificate carries must show the role it was decided
        // with: a staff key can never be made a chief representative by a letter alone.
        (ITrustRegistry.SigningKey memory key,) = _registry.keyAt(keyId, 0);
        bool carries = key.role == ITrustRegistry.KeyRole.Chief
            || (key.role == ITrustRegistry.KeyRole.Staff && role == ITrustRegistry.KeyRole.Staff);
        if (!carries) revert DelegatedAuthorityKeyRole(keyId, key.role, role);

        (bytes32 callerDepartment, bool active) = _registry.operatorDepartment(msg.sender);
        Grant memory letter = Grant({
            matter: bytes32(0),
            keyId: keyId,
            departmentId: bytes32(0),
            role: role,
            validFrom: validFrom,
            validUntil: validUntil,
            revokedAt: 0
        });
        firstGrantId = _grants.length + 1;
        for (uint256 i = 0; i < matters.length; ++i) {
            (letter.departmentId,) = _catalog.matterOwner(matters[i]);
            if (letter.departmentId == bytes32(0)) revert DelegatedAuthorityUnknownMatter(matters[i]);
            if (letter.departmentId != callerDepartment || !active) {
                revert DelegatedAuthorityNotOperator(msg.sender, letter.departmentId);
            }
            letter.matter = matters[i];
            _record(letter);
        }
    }

    /// @inheritdoc IDelegatedAuthority
    function revokeAuthority(bytes32 matter, bytes32 keyId, uint64 revokedAt) external {
        (bytes32 owner,) = _catalog.matterOwner(matter);
        if (owner == bytes32(0)) revert DelegatedAuthorityUnknownMatter(matter);
        if (!IAccessControl(address(_registry)).hasRole(BUREAU_ROLE, msg.sender)) {
            (bytes32 callerDepartment, bool active) = _registry.operatorDepartment(msg.sender);
            if (callerDepartment != owner || !active) revert DelegatedAuthorityNotOperator(msg.sender, owner);
        }
        uint256[] storage ids = _grantIds[matter][keyId];
        if (ids.length == 0) revert DelegatedAuthorityNoGrant(matter, keyId);
        uint256 grantId = ids[ids.length - 1];
        Grant storage record = _grants[grantId - 1];

        uint64 at = revokedAt == 0 ? uint64(block.timestamp) : revokedAt;
        if (at > record.validUntil) revert DelegatedAuthorityRevocationAfterExpiry(grantId, at, record.validUntil);
        if (at < record.validFrom) at = record.validFrom;
        uint64 previous = record.revokedAt;
        // Only earlier, as in the registry: a stolen operator account cannot postpone a revocation.
        if (previous != 0 && at >= previous) revert DelegatedAuthorityRevocationNotEarlier(grantId, at, previous);
        record.revokedAt = at;
        emit AuthorityRevoked(grantId, matter, keyId, at, previous);
    }

    /// @inheritdoc IDelegatedAuthority
    function authorityAt(bytes32 matter, bytes32 keyId, uint64 time)
        external
        view
        returns (ITrustRegistry.KeyRole role, uint256 grantId)
    {
        uint256[] storage ids = _grantIds[matter][keyId];
        // Grants follow each other in time: the latest one starting at or before `time` is the
        // only one that can hold then.
        for (uint256 i = ids.length; i > 0; --i) {
            Grant storage candidate = _grants[ids[i - 1] - 1];
            if (candidate.validFrom > time) continue;
            if (time > candidate.validUntil) break;
            if (candidate.revokedAt != 0 && time >= candidate.revokedAt) break;
            return (candidate.role, ids[i - 1]);
        }
        return (ITrustRegistry.KeyRole.None, 0);
    }

    /// @inheritdoc IDelegatedAuthority
    function grant(uint256 grantId) external view returns (Grant memory) {
        if (grantId == 0 || grantId > _grants.length) revert DelegatedAuthorityUnknownGrant(grantId);
        return _grants[grantId - 1];
    }

    /// @inheritdoc IDelegatedAuthority
    function grantsOf(bytes32 matter, bytes32 keyId) external view returns (uint256[] memory) {
        return _grantIds[matter][keyId];
    }

    /// @dev Stores one grant after the previous grant of the same key and matter has ended.
    function _record(Grant memory letter) private {
        uint256[] storage ids = _grantIds[letter.matter][letter.keyId];
        if (ids.length != 0) {
            uint256 previousId = ids[ids.length - 1];
            uint64 endsAt = _lastSecond(_grants[previousId - 1]);
            if (letter.validFrom <= endsAt) {
                revert DelegatedAuthorityOverlap(letter.matter, letter.keyId, previousId, endsAt);
            }
        }
        _grants.push(letter);
        uint256 grantId = _grants.length;
        ids.push(grantId);
        emit AuthorityGranted(
            grantId, letter.matter, letter.keyId, letter.departmentId, letter.role, letter.validFrom, letter.validUntil
        );
    }

    /// @dev The last second a grant holds: the second before its revocation, else validUntil.
    function _lastSecond(Grant storage record) private view returns (uint64) {
        return record.revokedAt != 0 ? record.revokedAt - 1 : record.validUntil;
    }
}
