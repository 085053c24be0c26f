// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {P256} from "@openzeppelin/contracts/utils/cryptography/P256.sol";
import {IDocumentLedger} from "../ledger/IDocumentLedger.sol";
import {ITrustRegistry} from "../registry/ITrustRegistry.sol";
import {IApprovalRules} from "./IApprovalRules.sol";
import {IDelegatedAuthority} from "./IDelegatedAuthority.sol";
import {IMatterCatalog} from "./IMatterCatalog.sol";

/**
 * @title ApprovalRules
 * @notice Records decisions only when they carry every signature and piece of evidence their
 * path needs, then tracks commitment post-checks and filing notices.
 * @dev Reads the matter catalog (rules, breakers), the delegated authority (who may sign what),
 * the registry (operators, key validity) and the ledger (evidence anchored, not revoked). It
 * holds no role of its own and never revokes: the ledger lets only the issuing department do that.
 */
contract ApprovalRules is IApprovalRules, EIP712 {
    using P256 for bytes32;

    /// @notice The EIP-712 type hash of {Decision}, with the cited evidence's hashes as `evidence`.
    bytes32 public constant DECISION_TYPEHASH = keccak256(
        "Decision(bytes32 applicationHash,bytes32 matter,uint8 path,uint32 ruleVersion,uint8 outcome,bytes32[] evidence,uint64 deadline)"
    );
    /// @inheritdoc IApprovalRules
    /// @dev An instant decision costs about 80k gas: 64 take about 5M, well inside a 30M-gas block.
    uint256 public constant MAX_DECISIONS_PER_CALL = 64;
    /// @dev DER of SubjectPublicKeyInfo{id-ecPublicKey, prime256v1} up to the BIT STRING's
    /// unused-bits byte; the uncompressed point 0x04 ‖ x ‖ y follows (91 bytes in all).
    bytes private constant _P256_SPKI_PREFIX = hex"3059301306072a8648ce3d020106082a8648ce3d030107034200";

    ITrustRegistry private immutable _registry;
    IDocumentLedger private immutable _ledger;
    IMatterCatalog private immutable _catalog;
    IDelegatedAuthority private immutable _authority;

    mapping(bytes32 applicationHash => DecisionRecord) private _decisions;
    mapping(bytes32 applicationHash => PostCheck) private _postChecks;
    mapping(bytes32 applicationHash => Filing) private _filings;
    mapping(bytes32 applicationHash => mapping(bytes32 objectionHash => ObjectionState)) private _objections;

    /**
     * @notice Deploys the decision rules over the registry, ledger, catalog and authority records.
     * @param trustRegistry The trust registry.
     * @param documentLedger The document ledger.
     * @param matterCatalog The matter catalog.
     * @param delegatedAuthority The delegated authority records.
     */
    constructor(
        ITrustRegistry trustRegistry,
        IDocumentLedger documentLedger,
        IMatterCatalog matterCatalog,
        IDelegatedAuthority delegatedAuthority
    ) EIP712("ZeroSign ApprovalRules", "1") {
        _registry = trustRegistry;
        _ledger = documentLedger;
        _catalog = matterCatalog;
        _authority = delegatedAuthority;
    }

    /**
     * @notice The contracts this one reads.
     * @return trustRegistry The registry.
     * @return documentLedger The ledger.
     * @return matterCatalog The catalog.
     * @return delegatedAuthority The authority records.
     */
    function sources()
        external
        view
        returns (
            ITrustRegistry trustRegistry,
            IDocumentLedger documentLedger,
            IMatterCatalog matterCatalog,
            IDelegatedAuthority delegatedAuthority
        )
    {
        return (_registry, _ledger, _catalog, _authority);
    }

    /// @inheritdoc IApprovalRules
    function recordDecision(Decision calldata d, Evidence[] calldata evidence, Signature[] calldata signatures)
        external
    {
        _recordDecision(d, evidence, signatures);
    }

    /// @inheritdoc IApprovalRules
    function recordDecisions(DecisionInput[] calldata inputs) external {
        if (inputs.length == 0 || inputs.length > MAX_DECISIONS_PER_CALL) {
            revert ApprovalRulesBatchSize(inputs.length, MAX_DECISIONS_PER_CALL);
        }
        for (uint256 i = 0; i < inputs.length; ++i) {
            _recordDecision(inputs[i].decision, inputs[i].evidence, inputs[i].signatures);
        }
    }

    /// @dev recordDecision's checks and effects, for one decision or each of a batch.
    function _recordDecision(Decision calldata d, Evidence[] calldata evidence, Signature[] calldata signatures) private {
        if (d.path == IMatterCatalog.Path.Filing) revert ApprovalRulesFilingNeedsNotice(d.matter);
        IMatterCatalog.PathRules memory rules = _openPath(d.applicationHash, d.matter, d.path, d.ruleVersion);
        if (block.timestamp > d.deadline) revert ApprovalRulesDecisionExpired(d.deadline, uint64(block.timestamp));
        (bytes32[] memory docHashes,) = _checkEvidence(evidence, rules.evidence, d.outcome == Outcome.Approved);
        bytes32[] memory signers = _checkSignatures(d.matter, d.path, _digest(d, docHashes), signatures);

        uint64 due = 0;
        if (d.path == IMatterCatalog.Path.Commitment && d.outcome == Outcome.Approved) {
            due = uint64(block.timestamp) + rules.postCheckPeriodSec;
        }
        _decisions[d.applicationHash] = DecisionRecord({
            matter: d.matter,
            ruleVersion: d.ruleVersion,
            path: d.path,
            outcome: d.outcome,
            signatures: uint8(signers.length),
            baselineSignatures: rules.baselineSignatures,
            decidedAt: uint64(block.timestamp),
            postCheckDue: due
        });
        emit DecisionRecorded(
            d.applicationHash,
            d.matter,
            d.path,
            d.ruleVersion,
            d.outcome,
            uint8(signers.length),
            rules.baselineSignatures,
            signers
        );
        if (due != 0) emit PostCheckScheduled(d.applicationHash, d.matter, due);
    }

    /// @inheritdoc IApprovalRules
    function recordPostCheck(bytes32 applicationHash, bool passed, bytes32 certificateDocHash) external {
        DecisionRecord storage record = _decisions[applicationHash];
        if (record.postCheckDue == 0) revert ApprovalRulesNoPostCheck(applicationHash);
        (bytes32 owner,) = _catalog.matterOwner(record.matter);
        _requireOperator(msg.sender, owner);
        PostCheck storage check = _postChecks[applicationHash];
        if (check.checkedAt != 0) revert ApprovalRulesPostCheckRecorded(applicationHash, check.checkedAt);
        if (certificateDocHash == bytes32(0)) revert ApprovalRulesInvalidCertificate();
        // The failure is recorded only once every verifier already sees the certificate revoked.
        if (!passed && _ledger.revocation(certificateDocHash, owner).revokedAt == 0) {
            revert ApprovalRulesCertificateNotRevoked(certificateDocHash, owner);
        }
        check.checkedAt = uint64(block.timestamp);
        check.passed = passed;
        check.certificateDocHash = certificateDocHash;
        emit PostCheckRecorded(
            applicationHash, record.matter, passed, certificateDocHash, block.timestamp > record.postCheckDue
        );
    }

    /// @inheritdoc IApprovalRules
    function fileForNotice(bytes32 applicationHash, bytes32 matter, uint32 ruleVersion, Evidence[] calldata evidence)
        external
        returns (uint64 noticeEnds)
    {
        IMatterCatalog.PathRules memory rules =
            _openPath(applicationHash, matter, IMatterCatalog.Path.Filing, ruleVersion);
        (bytes32[] memory docHashes, bytes32[] memory issuers) = _checkEvidence(evidence, rules.evidence, true);
        EvidenceRef[] memory refs = new EvidenceRef[](docHashes.length);
        for (uint256 i = 0; i < refs.length; ++i) {
            refs[i] = EvidenceRef({docHash: docHashes[i], departmentId: issuers[i]});
        }
        noticeEnds = uint64(block.timestamp) + rules.noticePeriodSec;
        _filings[applicationHash] = Filing({
            matter: matter,
            ruleVersion: ruleVersion,
            baselineSignatures: rules.baselineSignatures,
            state: FilingState.InNotice,
            filedAt: uint64(block.timestamp),
            noticeEnds: noticeEnds,
            objections: 0,
            unresolved: 0,
            upheld: 0,
            evidenceHash: keccak256(abi.encode(refs))
        });
        emit FilingPublished(applicationHash, matter, ruleVersion, noticeEnds, refs);
    }

    /// @inheritdoc IApprovalRules
    function fileObjection(bytes32 applicationHash, bytes32 objectionHash) external {
        if (objectionHash == bytes32(0)) revert ApprovalRulesInvalidObjection();
        Filing storage record = _filings[applicationHash];
        if (record.state == FilingState.None) revert ApprovalRulesUnknownFiling(applicationHash);
        if (block.timestamp >= record.noticeEnds) revert ApprovalRulesNoticeOver(applicationHash, record.noticeEnds);
        if (_objections[applicationHash][objectionHash] != ObjectionState.None) {
            revert ApprovalRulesObjectionExists(applicationHash, objectionHash);
        }
        _objections[applicationHash][objectionHash] = ObjectionState.Filed;
        ++record.objections;
        ++record.unresolved;
        emit ObjectionFiled(applicationHash, objectionHash, msg.sender);
    }

    /// @inheritdoc IApprovalRules
    function resolveObjection(bytes32 applicationHash, bytes32 objectionHash, bool upheld) external {
        Filing storage record = _filings[applicationHash];
        if (record.state == FilingState.None) revert ApprovalRulesUnknownFiling(applicationHash);
        (bytes32 owner,) = _catalog.matterOwner(record.matter);
        _requireOperator(msg.sender, owner);
        ObjectionState state = _objections[applicationHash][objectionHash];
        if (state != ObjectionState.Filed) revert ApprovalRulesObjectionNotOpen(applicationHash, objectionHash, state);
        _objections[applicationHash][objectionHash] = upheld ? ObjectionState.Upheld : ObjectionState.Rejected;
        --record.unresolved;
        if (upheld) ++record.upheld;
        emit ObjectionResolved(applicationHash, objectionHash, upheld);
    }

    /// @inheritdoc IApprovalRules
    function closeFiling(bytes32 applicationHash, EvidenceRef[] calldata evidence) external returns (Outcome outcome) {
        Filing storage record = _filings[applicationHash];
        if (record.state == FilingState.None) revert ApprovalRulesUnknownFiling(applicationHash);
        if (record.state == FilingState.Closed) revert ApprovalRulesAlreadyDecided(applicationHash);
        if (block.timestamp < record.noticeEnds) revert ApprovalRulesNoticeRunning(applicationHash, record.noticeEnds);
        if (record.unresolved != 0) revert ApprovalRulesObjectionsUnresolved(applicationHash, record.unresolved);
        uint16 suspended = _catalog.suspension(record.matter, IMatterCatalog.Path.Filing);
        if (suspended != 0) revert ApprovalRulesPathSuspended(record.matter, IMatterCatalog.Path.Filing, suspended);
        if (keccak256(abi.encode(evidence)) != record.evidenceHash) {
            revert ApprovalRulesFilingEvidenceMismatch(applicationHash);
        }
        // Evidence revoked during the notice refuses the filing: the approval would rest on it.
        bool evidenceRevoked = false;
        for (uint256 i = 0; i < evidence.length && !evidenceRevoked; ++i) {
            evidenceRevoked = _ledger.revocation(evidence[i].docHash, evidence[i].departmentId).revokedAt != 0;
        }
        outcome = record.upheld == 0 && !evidenceRevoked ? Outcome.Approved : Outcome.Refused;
        record.state = FilingState.Closed;
        _decisions[applicationHash] = DecisionRecord({
            matter: record.matter,
            ruleVersion: record.ruleVersion,
            path: IMatterCatalog.Path.Filing,
            outcome: outcome,
            signatures: 0,
            baselineSignatures: record.baselineSignatures,
            decidedAt: uint64(block.timestamp),
            postCheckDue: 0
        });
        emit FilingClosed(applicationHash, outcome, record.upheld, evidenceRevoked);
        emit DecisionRecorded(
            applicationHash,
            record.matter,
            IMatterCatalog.Path.Filing,
            record.ruleVersion,
            outcome,
            0,
            record.baselineSignatures,
            new bytes32[](0)
        );
    }

    /// @inheritdoc IApprovalRules
    function decisionDigest(Decision calldata d, bytes32[] calldata evidenceDocHashes) external view returns (bytes32) {
        return _digest(d, evidenceDocHashes);
    }

    /// @inheritdoc IApprovalRules
    function keyIdOf(bytes32 x, bytes32 y) public pure returns (bytes32) {
        return keccak256(abi.encodePacked(_P256_SPKI_PREFIX, bytes1(0x04), x, y));
    }

    /// @inheritdoc IApprovalRules
    function decision(bytes32 applicationHash) external view returns (DecisionRecord memory) {
        return _decisions[applicationHash];
    }

    /// @inheritdoc IApprovalRules
    function postCheck(bytes32 applicationHash) external view returns (PostCheck memory) {
        return _postChecks[applicationHash];
    }

    /// @inheritdoc IApprovalRules
    function filing(bytes32 applicationHash) external view returns (Filing memory) {
        return _filings[applicationHash];
    }

    /// @inheritdoc IApprovalRules
    function objection(bytes32 applicationHash, bytes32 objectionHash) external view returns (ObjectionState) {
        return _objections[applicationHash][objectionHash];
    }

    /**
     * @dev The checks shared by {recordDecision} and {fileForNotice}, replay first (a replayed
     * decision is named as such even after the rules moved on), then who, then the rules.
     */
    function _openPath(bytes32 applicationHash, bytes32 matter, IMatterCatalog.Path path, uint32 ruleVersion)
        private
        view
        returns (IMatterCatalog.PathRules memory rules)
    {
        if (applicationHash == bytes32(0)) revert ApprovalRulesInvalidApplication();
        if (_decisions[applicationHash].decidedAt != 0) revert ApprovalRulesAlreadyDecided(applicationHash);
        if (_filings[applicationHash].state != FilingState.None) revert ApprovalRulesAlreadyFiled(applicationHash);
        rules = _catalog.pathRules(matter, path);
        _requireOperator(msg.sender, rules.departmentId);
        if (ruleVersion != rules.version) revert ApprovalRulesStaleRuleVersion(matter, ruleVersion, rules.version);
        if (!rules.allowed) revert ApprovalRulesPathNotAllowed(matter, ruleVersion, path);
        if (rules.suspendedReason != 0) revert ApprovalRulesPathSuspended(matter, path, rules.suspendedReason);
    }

    /**
     * @dev Each cited document must be in its batch (the batch's department is its issuer). With
     * `strict` (an approval, a filing) the list must be exactly the path's requirements in order,
     * and nothing in it revoked: checked in this transaction, so a revocation mined before it wins.
     */
    function _checkEvidence(
        Evidence[] calldata evidence,
        IMatterCatalog.EvidenceRequirement[] memory requirements,
        bool strict
    ) private view returns (bytes32[] memory docHashes, bytes32[] memory issuers) {
        if (strict && evidence.length != requirements.length) {
            revert ApprovalRulesEvidenceCount(requirements.length, evidence.length);
        }
        docHashes = new bytes32[](evidence.length);
        issuers = new bytes32[](evidence.length);
        for (uint256 i = 0; i < evidence.length; ++i) {
            Evidence calldata item = evidence[i];
            for (uint256 j = 0; j < i; ++j) {
                if (docHashes[j] == item.docHash) revert ApprovalRulesDuplicateEvidence(i, item.docHash);
            }
            bytes32 issuer = _anchoredIssuer(i, item);
            if (strict) {
                IMatterCatalog.EvidenceRequirement memory req = requirements[i];
                if (item.kind != req.kind || issuer != req.departmentId) {
                    revert ApprovalRulesEvidenceMismatch(i, req.kind, req.departmentId, item.kind, issuer);
                }
                uint64 revokedAt = _ledger.revocation(item.docHash, issuer).revokedAt;
                if (revokedAt != 0) revert ApprovalRulesEvidenceRevoked(i, item.docHash, issuer, revokedAt);
            }
            docHashes[i] = item.docHash;
            issuers[i] = issuer;
        }
    }

    /// @dev The department that anchored `item`, or a revert if the proof does not place it in its batch.
    function _anchoredIssuer(uint256 index, Evidence calldata item) private view returns (bytes32) {
        bool included;
        try _ledger.verifyInclusion(item.docHash, item.kind, item.batchId, item.proof) returns (bool inBatch) {
            included = inBatch;
        } catch {
            // The ledger reverts on an unknown batch: for a decision, that is "not anchored" too.
            included = false;
        }
        if (!included) revert ApprovalRulesEvidenceNotAnchored(index, item.docHash, item.batchId);
        return _ledger.batch(item.batchId).departmentId;
    }

    /**
     * @dev The path's human signatures: none, one Staff, or Staff then Chief by two keys. Each
     * must verify, then hold the authority at this block's time, then be valid in the registry
     * then; the order names the first thing a clerk would have to fix.
     */
    function _checkSignatures(
        bytes32 matter,
        IMatterCatalog.Path path,
        bytes32 digest,
        Signature[] calldata signatures
    ) private view returns (bytes32[] memory signers) {
        uint256 expected = path == IMatterCatalog.Path.SignTwice ? 2 : path == IMatterCatalog.Path.SignOnce ? 1 : 0;
        if (signatures.length != expected) revert ApprovalRulesSignatureCount(path, expected, signatures.length);
        signers = new bytes32[](expected);
        if (expected == 0) return signers;
        // ECDSA-P256-SHA256 over the digest's 32 bytes: what every standard P-256 signer makes
        // (node:crypto, WebCrypto, PKCS#11 tokens, the service's PDF Signer); none signs a bare hash.
        bytes32 message = sha256(abi.encodePacked(digest));
        uint64 nowSec = uint64(block.timestamp);
        for (uint256 i = 0; i < expected; ++i) {
            Signature calldata sig = signatures[i];
            bytes32 keyId = keyIdOf(sig.x, sig.y);
            if (i == 1 && keyId == signers[0]) revert ApprovalRulesSameSigner(keyId);
            if (!message.verify(sig.r, sig.s, sig.x, sig.y)) revert ApprovalRulesInvalidSignature(i, keyId);
            ITrustRegistry.KeyRole required = i == 0 ? ITrustRegistry.KeyRole.Staff : ITrustRegistry.KeyRole.Chief;
            (ITrustRegistry.KeyRole held,) = _authority.authorityAt(matter, keyId, nowSec);
            if (held == ITrustRegistry.KeyRole.None) revert ApprovalRulesNoAuthority(i, keyId, matter);
            if (held != required) revert ApprovalRulesWrongRole(i, keyId, required, held);
            (, ITrustRegistry.KeyStatus status) = _registry.keyAt(keyId, nowSec);
            if (status != ITrustRegistry.KeyStatus.Valid) revert ApprovalRulesKeyNotValid(i, keyId, status);
            signers[i] = keyId;
        }
    }

    function _digest(Decision calldata d, bytes32[] memory docHashes) private view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    DECISION_TYPEHASH,
                    d.applicationHash,
                    d.matter,
                    d.path,
                    d.ruleVersion,
                    d.outcome,
                    keccak256(abi.encodePacked(docHashes)),
                    d.deadline
                )
            )
        );
    }

    function _requireOperator(address account, bytes32 departmentId) private view {
        (bytes32 operatorOf, bool active) = _registry.operatorDepartment(account);
        if (departmentId == bytes32(0) || operatorOf != departmentId || !active) {
            revert ApprovalRulesNotOperator(account, departmentId);
        }
    }
}
