// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {ITrustRegistry} from "../registry/ITrustRegistry.sol";
import {IMatterCatalog} from "./IMatterCatalog.sol";

/**
 * @title MatterCatalog
 * @notice The matter catalog on chain: rules per matter, every version kept, and the circuit
 * breakers that stop one path of one matter at once.
 * @dev Owns no accounts of its own: who is an operator of which department, and who is the
 * approval bureau (the registry's BUREAU_ROLE), is read from the {ITrustRegistry}, so granting or
 * removing the bureau role there is the one place that decides. It does not judge decisions;
 * ApprovalRules reads {pathRules} for that.
 */
contract MatterCatalog is IMatterCatalog {
    /// @notice The registry role of the approval bureau; equal to TrustRegistry.BUREAU_ROLE.
    bytes32 public constant BUREAU_ROLE = keccak256("BUREAU_ROLE");
    uint8 private constant _PATH_COUNT = uint8(type(Path).max) + 1;
    uint8 private constant _ALL_PATHS = uint8((1 << _PATH_COUNT) - 1);

    ITrustRegistry private immutable _registry;
    mapping(bytes32 code => mapping(uint32 version => MatterVersion)) private _versions;
    mapping(bytes32 code => uint32 version) private _currentVersion;
    mapping(bytes32 code => mapping(Path path => uint16 reasonCode)) private _suspensions;
    bytes32[] private _codes;

    /**
     * @notice Deploys a catalog that takes departments, operators and the bureau from `trustRegistry`.
     * @param trustRegistry The trust registry (a TrustRegistry, whose roles are AccessControl's).
     */
    constructor(ITrustRegistry trustRegistry) {
        _registry = trustRegistry;
    }

    /**
     * @notice The trust registry this catalog reads departments and operators from.
     * @return The registry's address.
     */
    function registry() external view returns (ITrustRegistry) {
        return _registry;
    }

    /// @inheritdoc IMatterCatalog
    function setMatter(bytes32 code, MatterRules calldata rules) external returns (uint32 version) {
        if (code == bytes32(0) || bytes(rules.name).length == 0) revert MatterCatalogInvalidMatter(code);
        _requireOwnerOrBureau(msg.sender, rules.departmentId);
        _requireActiveDepartment(rules.departmentId);
        uint32 current = _currentVersion[code];
        if (current != 0) {
            bytes32 owner = _versions[code][current].rules.departmentId;
            // A matter's history is one department's: a reorganised matter gets a new code.
            if (owner != rules.departmentId) revert MatterCatalogDepartmentChanged(code, owner, rules.departmentId);
        } else {
            _codes.push(code);
        }
        _checkRules(rules);

        version = current + 1;
        MatterVersion storage stored = _versions[code][version];
        stored.version = version;
        stored.setAt = uint64(block.timestamp);
        stored.setBy = msg.sender;
        MatterRules storage target = stored.rules;
        target.departmentId = rules.departmentId;
        target.name = rules.name;
        target.baselineSignatures = rules.baselineSignatures;
        target.allowedPaths = rules.allowedPaths;
        target.postCheckPeriodSec = rules.postCheckPeriodSec;
        target.noticePeriodSec = rules.noticePeriodSec;
        // Solidity cannot copy a calldata struct array to storage in one assignment.
        for (uint256 i = 0; i < rules.evidence.length; ++i) {
            target.evidence.push(rules.evidence[i]);
        }
        _currentVersion[code] = version;
        emit MatterVersionSet(
            code, rules.departmentId, version, rules.baselineSignatures, rules.allowedPaths, msg.sender
        );
    }

    /// @inheritdoc IMatterCatalog
    function suspendPath(bytes32 code, Path path, uint16 reasonCode) external {
        MatterRules storage rules = _currentRules(code);
        _requireOwnerOrBureau(msg.sender, rules.departmentId);
        if (reasonCode == 0) revert MatterCatalogInvalidReason();
        if (rules.allowedPaths & _bit(path) == 0) revert MatterCatalogPathNotAllowed(code, path);
        uint16 current = _suspensions[code][path];
        if (current != 0) revert MatterCatalogPathSuspended(code, path, current);
        _suspensions[code][path] = reasonCode;
        emit PathSuspended(code, path, reasonCode, msg.sender);
    }

    /// @inheritdoc IMatterCatalog
    function resumePath(bytes32 code, Path path) external {
        MatterRules storage rules = _currentRules(code);
        _requireOwnerOrBureau(msg.sender, rules.departmentId);
        if (_suspensions[code][path] == 0) revert MatterCatalogPathNotSuspended(code, path);
        delete _suspensions[code][path];
        emit PathResumed(code, path, msg.sender);
    }

    /// @inheritdoc IMatterCatalog
    function matter(bytes32 code) external view returns (MatterVersion memory) {
        uint32 current = _currentVersion[code];
        if (current == 0) revert MatterCatalogUnknownMatter(code);
        return _versions[code][current];
    }

    /// @inheritdoc IMatterCatalog
    function matterAt(bytes32 code, uint32 version) external view returns (MatterVersion memory) {
        uint32 current = _currentVersion[code];
        if (current == 0) revert MatterCatalogUnknownMatter(code);
        if (version == 0 || version > current) revert MatterCatalogUnknownVersion(code, version);
        return _versions[code][version];
    }

    /// @inheritdoc IMatterCatalog
    function matterOwner(bytes32 code) external view returns (bytes32 departmentId, uint32 version) {
        version = _currentVersion[code];
        if (version != 0) departmentId = _versions[code][version].rules.departmentId;
    }

    /// @inheritdoc IMatterCatalog
    function pathRules(bytes32 code, Path path) external view returns (PathRules memory out) {
        MatterRules storage rules = _currentRules(code);
        uint8 bit = _bit(path);
        out.departmentId = rules.departmentId;
        out.version = _currentVersion[code];
        out.baselineSignatures = rules.baselineSignatures;
        out.allowed = rules.allowedPaths & bit != 0;
        out.suspendedReason = _suspensions[code][path];
        out.postCheckPeriodSec = rules.postCheckPeriodSec;
        out.noticePeriodSec = rules.noticePeriodSec;
        EvidenceRequirement[] storage all = rules.evidence;
        uint256 count = 0;
        for (uint256 i = 0; i < all.length; ++i) {
            if (all[i].paths & bit != 0) ++count;
        }
        out.evidence = new EvidenceRequirement[](count);
        uint256 j = 0;
        for (uint256 i = 0; i < all.length; ++i) {
            if (all[i].paths & bit != 0) out.evidence[j++] = all[i];
        }
    }

    /// @inheritdoc IMatterCatalog
    function suspension(bytes32 code, Path path) external view returns (uint16) {
        return _suspensions[code][path];
    }

    /// @inheritdoc IMatterCatalog
    function matterCodes() external view returns (bytes32[] memory) {
        return _codes;
    }

    /// @dev The checks of {setMatter} on the rules' own content, after who may set them.
    function _checkRules(MatterRules calldata rules) private view {
        if (rules.baselineSignatures != 1 && rules.baselineSignatures != 2) {
            revert MatterCatalogInvalidBaseline(rules.baselineSignatures);
        }
        uint8 allowed = rules.allowedPaths;
        if (allowed == 0 || allowed & ~_ALL_PATHS != 0) revert MatterCatalogInvalidPaths(allowed);
        // A zero period would make a post-check due at the decision itself, or a notice no one can read.
        if (allowed & _bit(Path.Commitment) != 0 && rules.postCheckPeriodSec == 0) {
            revert MatterCatalogMissingPeriod(Path.Commitment);
        }
        if (allowed & _bit(Path.Filing) != 0 && rules.noticePeriodSec == 0) {
            revert MatterCatalogMissingPeriod(Path.Filing);
        }
        for (uint256 i = 0; i < rules.evidence.length; ++i) {
            EvidenceRequirement calldata req = rules.evidence[i];
            if (req.paths == 0 || req.paths & ~allowed != 0 || req.departmentId == bytes32(0)) {
                revert MatterCatalogInvalidRequirement(i);
            }
            _departmentActive(req.departmentId);
        }
    }

    function _currentRules(bytes32 code) private view returns (MatterRules storage) {
        uint32 current = _currentVersion[code];
        if (current == 0) revert MatterCatalogUnknownMatter(code);
        return _versions[code][current].rules;
    }

    function _requireOwnerOrBureau(address account, bytes32 departmentId) private view {
        if (IAccessControl(address(_registry)).hasRole(BUREAU_ROLE, account)) return;
        (bytes32 operatorOf, bool active) = _registry.operatorDepartment(account);
        if (departmentId == bytes32(0) || operatorOf != departmentId || !active) {
            revert MatterCatalogNotAuthorized(account, departmentId);
        }
    }

    function _requireActiveDepartment(bytes32 departmentId) private view {
        if (!_departmentActive(departmentId)) revert MatterCatalogDepartmentInactive(departmentId);
    }

    /// @dev Whether a registered department is active; an unregistered one reverts, the registry's
    /// TrustRegistryUnknownDepartment translated into this contract's error.
    function _departmentActive(bytes32 departmentId) private view returns (bool active) {
        try _registry.department(departmentId) returns (ITrustRegistry.Department memory dept) {
            return dept.active;
        } catch {
            revert MatterCatalogUnknownDepartment(departmentId);
        }
    }

    function _bit(Path path) private pure returns (uint8) {
        return uint8(1 << uint8(path));
    }
}
