// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IDocumentLedger} from "../ledger/IDocumentLedger.sol";

/**
 * @title IMatterCatalog
 * @notice The matter catalog (事项清单): per matter, who owns it, how many signatures today's rule
 * needs, which paths may decide it, what evidence each path needs, and its circuit breakers.
 * @dev A matter is identified by a bytes32 code. Every change of its rules is a new version
 * (1, 2, …) and every version stays readable; a decision names the version it was taken under.
 * Suspending a path (熔断) is not a rule change and does not bump the version.
 */
interface IMatterCatalog {
    /**
     * @notice The ways a matter can be decided, fewest human signatures first.
     * @dev Bit `1 << uint8(path)` of a matter's `allowedPaths` allows the path. The numbers are
     * part of the EIP-712 decision and never change.
     */
    enum Path {
        Instant, // 秒批: a rule decides from anchored evidence, no person signs
        Commitment, // 告知承诺: approved at once on the applicant's commitment, checked later
        Filing, // 自审备案: self-review filed, publicly noticed, approved if no objection is upheld
        SignOnce, // 签一次: one authorised staff signature
        SignTwice // 签两次: authorised staff, then an authorised chief representative
    }

    /**
     * @notice One piece of evidence a path needs: a document of `kind` anchored by `departmentId`.
     * @param kind The document kind it was anchored with.
     * @param departmentId The department that anchored (issued) it.
     * @param paths Bitmask of the paths that need it (a subset of the matter's allowed paths).
     */
    struct EvidenceRequirement {
        IDocumentLedger.DocumentKind kind;
        bytes32 departmentId;
        uint8 paths;
    }

    /**
     * @notice A matter's rules as a department or the bureau sets them.
     * @param departmentId The owning department (registry id); fixed at the first version.
     * @param name The matter's public name, e.g. 老年人优待证申领.
     * @param baselineSignatures Signatures today's rule needs: 1 (签一次 list) or 2 (签两次 list).
     * @param allowedPaths Bitmask of {Path}s that may decide the matter.
     * @param postCheckPeriodSec Seconds from a commitment approval to its post-check deadline.
     * @param noticePeriodSec Seconds a filing stays in public notice, open to objections.
     * @param evidence What each path needs, in the order a decision must cite it.
     */
    struct MatterRules {
        bytes32 departmentId;
        string name;
        uint8 baselineSignatures;
        uint8 allowedPaths;
        uint64 postCheckPeriodSec;
        uint64 noticePeriodSec;
        EvidenceRequirement[] evidence;
    }

    /**
     * @notice One version of a matter's rules.
     * @param rules The rules of this version.
     * @param version 1 for the first, +1 on each change.
     * @param setAt The block time the version was set.
     * @param setBy The account that set it (an operator of the owning department or the bureau).
     */
    struct MatterVersion {
        MatterRules rules;
        uint32 version;
        uint64 setAt;
        address setBy;
    }

    /**
     * @notice What a decision on one path of a matter is checked against, in one call.
     * @param departmentId The owning department.
     * @param version The current rule version.
     * @param baselineSignatures Signatures today's rule needs (1 or 2).
     * @param allowed Whether the current version allows the path.
     * @param suspendedReason The circuit breaker's reason code, 0 when the path is not suspended.
     * @param postCheckPeriodSec Seconds to the post-check deadline (commitment path).
     * @param noticePeriodSec Seconds of public notice (filing path).
     * @param evidence The requirements of this path only, in citation order.
     */
    struct PathRules {
        bytes32 departmentId;
        uint32 version;
        uint8 baselineSignatures;
        bool allowed;
        uint16 suspendedReason;
        uint64 postCheckPeriodSec;
        uint64 noticePeriodSec;
        EvidenceRequirement[] evidence;
    }

    /// @notice The code is zero or the name is empty.
    error MatterCatalogInvalidMatter(bytes32 code);
    /// @notice No matter with this code is in the catalog.
    error MatterCatalogUnknownMatter(bytes32 code);
    /// @notice The matter has no such version.
    error MatterCatalogUnknownVersion(bytes32 code, uint32 version);
    /// @notice `account` is neither an active operator of `departmentId` nor the approval bureau.
    error MatterCatalogNotAuthorized(address account, bytes32 departmentId);
    /// @notice The department is not registered.
    error MatterCatalogUnknownDepartment(bytes32 departmentId);
    /// @notice The owning department is deactivated.
    error MatterCatalogDepartmentInactive(bytes32 departmentId);
    /// @notice A new version names another owning department than the matter's.
    error MatterCatalogDepartmentChanged(bytes32 code, bytes32 departmentId, bytes32 requested);
    /// @notice The baseline is neither 1 (签一次) nor 2 (签两次).
    error MatterCatalogInvalidBaseline(uint8 baselineSignatures);
    /// @notice The allowed paths are empty or name a path that does not exist.
    error MatterCatalogInvalidPaths(uint8 allowedPaths);
    /// @notice The path is allowed but its period (post-check or notice) is zero.
    error MatterCatalogMissingPeriod(Path path);
    /// @notice Evidence requirement `index` names no path, a path not allowed, or a zero department.
    error MatterCatalogInvalidRequirement(uint256 index);
    /// @notice The path is already suspended.
    error MatterCatalogPathSuspended(bytes32 code, Path path, uint16 reasonCode);
    /// @notice The path is not suspended.
    error MatterCatalogPathNotSuspended(bytes32 code, Path path);
    /// @notice The current version does not allow the path, so there is nothing to suspend.
    error MatterCatalogPathNotAllowed(bytes32 code, Path path);
    /// @notice Reason code 0 is reserved for "not suspended".
    error MatterCatalogInvalidReason();

    /**
     * @notice A new version of a matter's rules was set.
     * @param code The matter.
     * @param departmentId The owning department.
     * @param version The new version.
     * @param baselineSignatures Signatures today's rule needs.
     * @param allowedPaths Bitmask of the allowed paths.
     * @param setBy The account that set it.
     */
    event MatterVersionSet(
        bytes32 indexed code,
        bytes32 indexed departmentId,
        uint32 version,
        uint8 baselineSignatures,
        uint8 allowedPaths,
        address setBy
    );
    /// @notice One path of a matter was suspended (熔断) by `by`, with a public reason code.
    event PathSuspended(bytes32 indexed code, Path path, uint16 reasonCode, address by);
    /// @notice A suspended path of a matter was resumed by `by`.
    event PathResumed(bytes32 indexed code, Path path, address by);

    /**
     * @notice Adds a matter, or sets a new version of its rules.
     * @dev Requires the caller to be an active operator of `rules.departmentId` or to hold the
     * registry's BUREAU_ROLE; an active registered owning department (the same as before for an
     * existing matter); a non-zero code and non-empty name; a baseline of 1 or 2; allowed paths
     * non-empty and known; a non-zero post-check period if Commitment is allowed and a non-zero
     * notice period if Filing is; requirements naming registered departments and allowed paths.
     * Emits {MatterVersionSet}. Reverts with {MatterCatalogInvalidMatter},
     * {MatterCatalogNotAuthorized}, {MatterCatalogUnknownDepartment},
     * {MatterCatalogDepartmentInactive}, {MatterCatalogDepartmentChanged},
     * {MatterCatalogInvalidBaseline}, {MatterCatalogInvalidPaths}, {MatterCatalogMissingPeriod}
     * or {MatterCatalogInvalidRequirement}.
     * @param code The matter's code.
     * @param rules The new rules.
     * @return version The version just set.
     */
    function setMatter(bytes32 code, MatterRules calldata rules) external returns (uint32 version);

    /**
     * @notice Suspends one path of a matter (熔断) until it is resumed.
     * @dev Requires an active operator of the owning department or the bureau, a path the current
     * version allows, not already suspended, and a non-zero reason code. Emits {PathSuspended}.
     * Reverts with {MatterCatalogUnknownMatter}, {MatterCatalogNotAuthorized},
     * {MatterCatalogInvalidReason}, {MatterCatalogPathNotAllowed} or {MatterCatalogPathSuspended}.
     * @param code The matter.
     * @param path The path to stop.
     * @param reasonCode Why, public (see docs/approvals.md); not 0.
     */
    function suspendPath(bytes32 code, Path path, uint16 reasonCode) external;

    /**
     * @notice Resumes a suspended path of a matter.
     * @dev Requires an active operator of the owning department or the bureau, and a suspended
     * path. Emits {PathResumed}. Reverts with {MatterCatalogUnknownMatter},
     * {MatterCatalogNotAuthorized} or {MatterCatalogPathNotSuspended}.
     * @param code The matter.
     * @param path The path to resume.
     */
    function resumePath(bytes32 code, Path path) external;

    /**
     * @notice The current version of a matter.
     * @dev Reverts with {MatterCatalogUnknownMatter}.
     * @param code The matter.
     * @return matter The current version's record.
     */
    function matter(bytes32 code) external view returns (MatterVersion memory matter);

    /**
     * @notice One version of a matter, current or past.
     * @dev Reverts with {MatterCatalogUnknownMatter} or {MatterCatalogUnknownVersion}.
     * @param code The matter.
     * @param version The version (1 … current).
     * @return matter That version's record.
     */
    function matterAt(bytes32 code, uint32 version) external view returns (MatterVersion memory matter);

    /**
     * @notice The owning department and current version of a matter, without its rules.
     * @param code The matter.
     * @return departmentId The owning department, or zero for an unknown matter.
     * @return version The current version, or 0 for an unknown matter.
     */
    function matterOwner(bytes32 code) external view returns (bytes32 departmentId, uint32 version);

    /**
     * @notice What a decision on `path` of matter `code` is checked against, under the current version.
     * @dev Reverts with {MatterCatalogUnknownMatter}.
     * @param code The matter.
     * @param path The path.
     * @return rules The path's rules and breaker state.
     */
    function pathRules(bytes32 code, Path path) external view returns (PathRules memory rules);

    /**
     * @notice The circuit breaker's reason code for one path of a matter.
     * @param code The matter.
     * @param path The path.
     * @return reasonCode 0 when the path is not suspended.
     */
    function suspension(bytes32 code, Path path) external view returns (uint16 reasonCode);

    /**
     * @notice Every matter code, in the order the matters were added.
     * @return codes The codes.
     */
    function matterCodes() external view returns (bytes32[] memory codes);
}
