// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ITrustRegistry} from "./ITrustRegistry.sol";

/**
 * @title TrustRegistry
 * @notice Who may act for which department, and which keys were theirs when.
 * @dev The approval bureau (行政审批局, BUREAU_ROLE) registers departments and their operators;
 * operators manage their own department's keys. Nothing is ever deleted: deactivation and key
 * revocation are timestamps, so a verifier can judge any past moment.
 */
contract TrustRegistry is ITrustRegistry, AccessControl {
    /// @notice The approval bureau's governance role.
    bytes32 public constant BUREAU_ROLE = keccak256("BUREAU_ROLE");

    mapping(bytes32 departmentId => Department) private _departments;
    bytes32[] private _departmentIds;
    mapping(address account => bytes32 departmentId) private _operatorDepartment;
    mapping(bytes32 keyId => SigningKey) private _keys;

    /**
     * @notice Deploys the registry with `admin` holding both the admin and the bureau role.
     * @param admin The first administrator and approval bureau account.
     */
    constructor(address admin) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(BUREAU_ROLE, admin);
    }

    /// @inheritdoc ITrustRegistry
    function registerDepartment(bytes32 departmentId, string calldata name) external onlyRole(BUREAU_ROLE) {
        if (departmentId == bytes32(0) || bytes(name).length == 0) revert TrustRegistryInvalidDepartment(departmentId);
        if (_departments[departmentId].id != bytes32(0)) revert TrustRegistryDepartmentExists(departmentId);
        _departments[departmentId] = Department({
            id: departmentId,
            name: name,
            active: true,
            registeredAt: uint64(block.timestamp),
            deactivatedAt: 0
        });
        _departmentIds.push(departmentId);
        emit DepartmentRegistered(departmentId, name);
    }

    /// @inheritdoc ITrustRegistry
    function deactivateDepartment(bytes32 departmentId) external onlyRole(BUREAU_ROLE) {
        Department storage dept = _activeDepartment(departmentId);
        dept.active = false;
        dept.deactivatedAt = uint64(block.timestamp);
        emit DepartmentDeactivated(departmentId, dept.deactivatedAt);
    }

    /// @inheritdoc ITrustRegistry
    function addOperator(bytes32 departmentId, address account) external onlyRole(BUREAU_ROLE) {
        _activeDepartment(departmentId);
        if (account == address(0)) revert TrustRegistryInvalidOperator(account);
        bytes32 current = _operatorDepartment[account];
        if (current != bytes32(0)) revert TrustRegistryOperatorAssigned(account, current);
        _operatorDepartment[account] = departmentId;
        emit OperatorAdded(departmentId, account);
    }

    /// @inheritdoc ITrustRegistry
    function removeOperator(bytes32 departmentId, address account) external onlyRole(BUREAU_ROLE) {
        if (_operatorDepartment[account] != departmentId || departmentId == bytes32(0)) {
            revert TrustRegistryNotOperator(account, departmentId);
        }
        delete _operatorDepartment[account];
        emit OperatorRemoved(departmentId, account);
    }

    /// @inheritdoc ITrustRegistry
    function registerKey(bytes32 keyId, bytes32 departmentId, KeyRole role, uint64 validFrom, uint64 validUntil)
        external
    {
        _requireActiveOperator(msg.sender, departmentId);
        if (keyId == bytes32(0) || role == KeyRole.None) revert TrustRegistryInvalidKey(keyId, role);
        if (_keys[keyId].role != KeyRole.None) revert TrustRegistryKeyExists(keyId);
        if (validFrom > validUntil) revert TrustRegistryInvalidKeyWindow(validFrom, validUntil);
        _keys[keyId] = SigningKey({
            departmentId: departmentId,
            role: role,
            validFrom: validFrom,
            validUntil: validUntil,
            revokedAt: 0
        });
        emit KeyRegistered(keyId, departmentId, role, validFrom, validUntil);
    }

    /// @inheritdoc ITrustRegistry
    function revokeKey(bytes32 keyId, uint64 revokedAt) external {
        SigningKey storage key = _keys[keyId];
        if (key.role == KeyRole.None) revert TrustRegistryUnknownKey(keyId);
        // The bureau may revoke any key: a compromise can surface after a department is gone.
        if (!hasRole(BUREAU_ROLE, msg.sender)) _requireActiveOperator(msg.sender, key.departmentId);
        uint64 at = revokedAt == 0 ? uint64(block.timestamp) : revokedAt;
        // Past the key's life a revocation changes no status, yet its event would claim one.
        if (at > key.validUntil) revert TrustRegistryRevocationAfterExpiry(keyId, at, key.validUntil);
        // Before validFrom every time means the same (never valid): record the one that says so.
        if (at < key.validFrom) at = key.validFrom;
        uint64 previous = key.revokedAt;
        // Only earlier: a stolen operator account can neither postpone nor undo a revocation.
        if (previous != 0 && at >= previous) revert TrustRegistryRevocationNotEarlier(keyId, at, previous);
        key.revokedAt = at;
        emit KeyRevoked(keyId, key.departmentId, at, previous);
    }

    /// @inheritdoc ITrustRegistry
    function keyStatusAt(bytes32 keyId, bytes32 departmentId, KeyRole role, uint64 time)
        external
        view
        returns (KeyStatus)
    {
        SigningKey storage key = _keys[keyId];
        if (key.role == KeyRole.None) return KeyStatus.UnknownKey;
        if (key.departmentId != departmentId) return KeyStatus.WrongDepartment;
        if (key.role != role) return KeyStatus.WrongRole;
        return _statusAt(key, time);
    }

    /// @inheritdoc ITrustRegistry
    function keyAt(bytes32 keyId, uint64 time) external view returns (SigningKey memory key, KeyStatus status) {
        key = _keys[keyId];
        status = key.role == KeyRole.None ? KeyStatus.UnknownKey : _statusAt(key, time);
    }

    /// @inheritdoc ITrustRegistry
    function operatorDepartment(address account) external view returns (bytes32 departmentId, bool active) {
        departmentId = _operatorDepartment[account];
        active = departmentId != bytes32(0) && _departments[departmentId].active;
    }

    /// @inheritdoc ITrustRegistry
    function department(bytes32 departmentId) external view returns (Department memory) {
        Department storage dept = _departments[departmentId];
        if (dept.id == bytes32(0)) revert TrustRegistryUnknownDepartment(departmentId);
        return dept;
    }

    /// @inheritdoc ITrustRegistry
    function departmentIds() external view returns (bytes32[] memory) {
        return _departmentIds;
    }

    /// @dev The window checks, in the order a clerk would explain them. Bounds: validFrom and
    /// validUntil inclusive, revokedAt and deactivatedAt exclusive (invalid from that second on).
    function _statusAt(SigningKey memory key, uint64 time) private view returns (KeyStatus) {
        if (time < key.validFrom) return KeyStatus.NotYetValid;
        if (time > key.validUntil) return KeyStatus.Expired;
        if (key.revokedAt != 0 && time >= key.revokedAt) return KeyStatus.Revoked;
        uint64 deactivatedAt = _departments[key.departmentId].deactivatedAt;
        if (deactivatedAt != 0 && time >= deactivatedAt) return KeyStatus.DepartmentInactive;
        return KeyStatus.Valid;
    }

    function _activeDepartment(bytes32 departmentId) private view returns (Department storage dept) {
        dept = _departments[departmentId];
        if (dept.id == bytes32(0)) revert TrustRegistryUnknownDepartment(departmentId);
        if (!dept.active) revert TrustRegistryDepartmentInactive(departmentId);
    }

    function _requireActiveOperator(address account, bytes32 departmentId) private view {
        if (departmentId == bytes32(0) || _operatorDepartment[account] != departmentId) {
            revert TrustRegistryNotOperator(account, departmentId);
        }
        if (!_departments[departmentId].active) revert TrustRegistryDepartmentInactive(departmentId);
    }
}
