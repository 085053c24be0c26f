// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IDocumentLedger} from "../ledger/IDocumentLedger.sol";
import {ITrustRegistry} from "../registry/ITrustRegistry.sol";
import {IMatterCatalog} from "./IMatterCatalog.sol";

/**
 * @title IApprovalRules
 * @notice Decisions on applications, refused by the chain itself when a signature the path needs
 * is missing, forged, replayed, expired, of the wrong role or without authority, when the path is
 * not allowed or suspended, or when the evidence is not anchored, revoked or not what the matter
 * needs; then the commitment path's post-check and the filing path's public notice.
 * @dev Human signatures are ECDSA P-256 with SHA-256 over the 32-byte EIP-712 digest of a
 * {Decision} (domain "ZeroSign ApprovalRules", version "1"), made with the key the person's PDF
 * signatures use: the contract verifies P256 against sha256(digest), so any standard signer
 * (node:crypto, WebCrypto, a PKCS#11 token) can sign without a raw-hash mode.
 * An application is identified by its salted hash; it is decided once, on one path.
 * EIP-712 type (the evidence list is the cited documents' hashes, in citation order):
 * Decision(bytes32 applicationHash,bytes32 matter,uint8 path,uint32 ruleVersion,uint8 outcome,bytes32[] evidence,uint64 deadline)
 */
interface IApprovalRules {
    /// @notice What was decided.
    enum Outcome {
        Approved,
        Refused
    }

    /// @notice Where a self-review filing stands.
    enum FilingState {
        None,
        InNotice,
        Closed
    }

    /// @notice Where one objection to a filing stands.
    enum ObjectionState {
        None,
        Filed,
        Upheld,
        Rejected
    }

    /**
     * @notice The decision the signers sign (with the cited evidence's hashes, see the type above).
     * @param applicationHash The application's hash, salted off chain (no personal data on chain).
     * @param matter The matter's code.
     * @param path The path it was decided on.
     * @param ruleVersion The matter's rule version it was decided under (must be current).
     * @param outcome Approved or refused.
     * @param deadline Last second (unix time) at which the decision may be recorded.
     */
    struct Decision {
        bytes32 applicationHash;
        bytes32 matter;
        IMatterCatalog.Path path;
        uint32 ruleVersion;
        Outcome outcome;
        uint64 deadline;
    }

    /**
     * @notice One anchored document a decision relies on.
     * @param docHash The document's hash.
     * @param kind The kind it was anchored with.
     * @param batchId The ledger batch it was anchored in; the batch's department is its issuer.
     * @param proof The Merkle proof of its leaf in that batch.
     */
    struct Evidence {
        bytes32 docHash;
        IDocumentLedger.DocumentKind kind;
        uint256 batchId;
        bytes32[] proof;
    }

    /**
     * @notice An ECDSA-P256-SHA256 signature of the decision's EIP-712 digest, with the signer's public key.
     * @dev The key id is computed from (x, y), never taken from the caller.
     * @param x The public key's x coordinate.
     * @param y The public key's y coordinate.
     * @param r The signature's r.
     * @param s The signature's s, at most n/2 (OpenZeppelin P256 refuses the malleable twin).
     */
    struct Signature {
        bytes32 x;
        bytes32 y;
        bytes32 r;
        bytes32 s;
    }

    /**
     * @notice One decision of a {recordDecisions} batch, with what {recordDecision} takes beside it.
     * @param decision The decision, as signed.
     * @param evidence The cited documents, in the order of the path's requirements.
     * @param signatures The human signatures, staff first.
     */
    struct DecisionInput {
        Decision decision;
        Evidence[] evidence;
        Signature[] signatures;
    }

    /**
     * @notice A recorded decision.
     * @param matter The matter.
     * @param ruleVersion The rule version used.
     * @param path The path.
     * @param outcome The outcome.
     * @param signatures Human signatures it carried.
     * @param baselineSignatures Signatures today's rule would have needed (1 or 2).
     * @param decidedAt The block time it was recorded.
     * @param postCheckDue Commitment approvals: the post-check deadline; else 0.
     */
    struct DecisionRecord {
        bytes32 matter;
        uint32 ruleVersion;
        IMatterCatalog.Path path;
        Outcome outcome;
        uint8 signatures;
        uint8 baselineSignatures;
        uint64 decidedAt;
        uint64 postCheckDue;
    }

    /**
     * @notice The post-check of a commitment approval.
     * @param checkedAt 0 until recorded.
     * @param passed The result.
     * @param certificateDocHash The certificate issued from the decision (revoked if failed).
     */
    struct PostCheck {
        uint64 checkedAt;
        bool passed;
        bytes32 certificateDocHash;
    }

    /**
     * @notice A self-review filing in, or after, its public notice.
     * @param matter The matter.
     * @param ruleVersion The rule version it was filed under, and is closed under.
     * @param baselineSignatures Signatures today's rule needs (for the statistics of its decision).
     * @param state None, InNotice or Closed.
     * @param filedAt The block time it was filed.
     * @param noticeEnds The first second objections are no longer taken and it may be closed.
     * @param objections Objections filed.
     * @param unresolved Objections not yet upheld or rejected.
     * @param upheld Objections upheld.
     * @param evidenceHash keccak256(abi.encode(EvidenceRef[])) of the evidence it cited.
     */
    struct Filing {
        bytes32 matter;
        uint32 ruleVersion;
        uint8 baselineSignatures;
        FilingState state;
        uint64 filedAt;
        uint64 noticeEnds;
        uint32 objections;
        uint32 unresolved;
        uint32 upheld;
        bytes32 evidenceHash;
    }

    /**
     * @notice A cited document and its issuing department, as a filing is closed with.
     * @param docHash The document's hash.
     * @param departmentId The department that anchored it.
     */
    struct EvidenceRef {
        bytes32 docHash;
        bytes32 departmentId;
    }

    /// @notice The application hash is zero.
    error ApprovalRulesInvalidApplication();
    /// @notice A batch of `count` decisions: at least one and at most `max` are recorded in one call.
    error ApprovalRulesBatchSize(uint256 count, uint256 max);
    /// @notice `account` is not an active operator of the matter's owning department.
    error ApprovalRulesNotOperator(address account, bytes32 departmentId);
    /// @notice The decision names rule version `ruleVersion`, the matter is at `currentVersion`.
    error ApprovalRulesStaleRuleVersion(bytes32 matter, uint32 ruleVersion, uint32 currentVersion);
    /// @notice The matter's rule version does not allow the path.
    error ApprovalRulesPathNotAllowed(bytes32 matter, uint32 ruleVersion, IMatterCatalog.Path path);
    /// @notice The path is suspended by the circuit breaker.
    error ApprovalRulesPathSuspended(bytes32 matter, IMatterCatalog.Path path, uint16 reasonCode);
    /// @notice A filing is decided by {closeFiling} after its notice, never by {recordDecision}.
    error ApprovalRulesFilingNeedsNotice(bytes32 matter);
    /// @notice The decision's deadline has passed.
    error ApprovalRulesDecisionExpired(uint64 deadline, uint64 blockTime);
    /// @notice The application has been decided already (a replay, or a second decision).
    error ApprovalRulesAlreadyDecided(bytes32 applicationHash);
    /// @notice The application is a filing: it is decided by {closeFiling}.
    error ApprovalRulesAlreadyFiled(bytes32 applicationHash);
    /// @notice The path needs `expected` evidence documents, `given` were cited.
    error ApprovalRulesEvidenceCount(uint256 expected, uint256 given);
    /// @notice Evidence `index` is not the kind and issuer the matter's requirement `index` names.
    error ApprovalRulesEvidenceMismatch(
        uint256 index,
        IDocumentLedger.DocumentKind expectedKind,
        bytes32 expectedDepartment,
        IDocumentLedger.DocumentKind kind,
        bytes32 departmentId
    );
    /// @notice Evidence `index` is not in batch `batchId` (unknown batch, wrong kind or bad proof).
    error ApprovalRulesEvidenceNotAnchored(uint256 index, bytes32 docHash, uint256 batchId);
    /// @notice Evidence `index` was revoked by its issuer.
    error ApprovalRulesEvidenceRevoked(uint256 index, bytes32 docHash, bytes32 departmentId, uint64 revokedAt);
    /// @notice Evidence `index` cites a document already cited.
    error ApprovalRulesDuplicateEvidence(uint256 index, bytes32 docHash);
    /// @notice The path needs `expected` human signatures, `given` were attached.
    error ApprovalRulesSignatureCount(IMatterCatalog.Path path, uint256 expected, uint256 given);
    /// @notice Signature `index` does not verify for its key over this decision's digest.
    error ApprovalRulesInvalidSignature(uint256 index, bytes32 keyId);
    /// @notice The two signatures of a 签两次 decision are by the same key.
    error ApprovalRulesSameSigner(bytes32 keyId);
    /// @notice Key `keyId` (signature `index`) held no authority for the matter at the block time.
    error ApprovalRulesNoAuthority(uint256 index, bytes32 keyId, bytes32 matter);
    /// @notice Signature `index` needed `required` authority; the key held `held` for the matter.
    error ApprovalRulesWrongRole(
        uint256 index, bytes32 keyId, ITrustRegistry.KeyRole required, ITrustRegistry.KeyRole held
    );
    /// @notice The registry does not hold key `keyId` (signature `index`) valid at the block time.
    error ApprovalRulesKeyNotValid(uint256 index, bytes32 keyId, ITrustRegistry.KeyStatus status);
    /// @notice The decision has no post-check (not an approval on the commitment path).
    error ApprovalRulesNoPostCheck(bytes32 applicationHash);
    /// @notice The post-check was recorded already.
    error ApprovalRulesPostCheckRecorded(bytes32 applicationHash, uint64 checkedAt);
    /// @notice The certificate hash is zero.
    error ApprovalRulesInvalidCertificate();
    /// @notice A failed post-check needs the certificate revoked in the ledger by the owning department first.
    error ApprovalRulesCertificateNotRevoked(bytes32 certificateDocHash, bytes32 departmentId);
    /// @notice No filing with this application hash.
    error ApprovalRulesUnknownFiling(bytes32 applicationHash);
    /// @notice The filing's notice ended at `noticeEnds`: no more objections.
    error ApprovalRulesNoticeOver(bytes32 applicationHash, uint64 noticeEnds);
    /// @notice The filing's notice runs until `noticeEnds`: it cannot be closed yet.
    error ApprovalRulesNoticeRunning(bytes32 applicationHash, uint64 noticeEnds);
    /// @notice The objection hash is zero.
    error ApprovalRulesInvalidObjection();
    /// @notice An objection with this hash was filed already.
    error ApprovalRulesObjectionExists(bytes32 applicationHash, bytes32 objectionHash);
    /// @notice The objection is not open (never filed, or resolved already).
    error ApprovalRulesObjectionNotOpen(bytes32 applicationHash, bytes32 objectionHash, ObjectionState state);
    /// @notice The filing still has `unresolved` objections.
    error ApprovalRulesObjectionsUnresolved(bytes32 applicationHash, uint32 unresolved);
    /// @notice The evidence given to {closeFiling} is not the evidence the filing cited.
    error ApprovalRulesFilingEvidenceMismatch(bytes32 applicationHash);

    /**
     * @notice An application was decided. What a statistics reader needs, in one log.
     * @param applicationHash The salted application hash.
     * @param matter The matter.
     * @param path The path.
     * @param ruleVersion The rule version used.
     * @param outcome Approved or refused.
     * @param signatures Human signatures the decision carried.
     * @param baselineSignatures Signatures today's rule would have needed.
     * @param signers The signing keys' ids, staff first.
     */
    event DecisionRecorded(
        bytes32 indexed applicationHash,
        bytes32 indexed matter,
        IMatterCatalog.Path path,
        uint32 ruleVersion,
        Outcome outcome,
        uint8 signatures,
        uint8 baselineSignatures,
        bytes32[] signers
    );
    /// @notice A commitment approval's post-check falls due at `due`.
    event PostCheckScheduled(bytes32 indexed applicationHash, bytes32 indexed matter, uint64 due);
    /**
     * @notice A post-check was recorded; a failure comes after the certificate's revocation in the ledger.
     * @param late Whether it was recorded after its deadline.
     */
    event PostCheckRecorded(
        bytes32 indexed applicationHash, bytes32 indexed matter, bool passed, bytes32 certificateDocHash, bool late
    );
    /// @notice A self-review filing was published for notice until `noticeEnds`, citing `evidence`.
    event FilingPublished(
        bytes32 indexed applicationHash,
        bytes32 indexed matter,
        uint32 ruleVersion,
        uint64 noticeEnds,
        EvidenceRef[] evidence
    );
    /// @notice An objection (its hash; the text stays off chain) was filed against a filing by `by`.
    event ObjectionFiled(bytes32 indexed applicationHash, bytes32 indexed objectionHash, address by);
    /// @notice The owning department upheld or rejected an objection.
    event ObjectionResolved(bytes32 indexed applicationHash, bytes32 indexed objectionHash, bool upheld);
    /**
     * @notice A filing was closed; {DecisionRecorded} for it follows.
     * @param upheldObjections Objections upheld (any refuses the filing).
     * @param evidenceRevoked Whether cited evidence was revoked during the notice (refuses it too).
     */
    event FilingClosed(bytes32 indexed applicationHash, Outcome outcome, uint32 upheldObjections, bool evidenceRevoked);

    /**
     * @notice Records a decision on the instant, commitment, sign-once or sign-twice path.
     * @dev Requires: a non-zero application hash not decided or filed before; the caller an active
     * operator of the matter's owning department; the matter's current rule version; a path it
     * allows, not suspended, and not Filing; block time <= deadline; for an approval, exactly the
     * evidence the path requires, in order (kind and issuing department), each anchored and not
     * revoked; for a refusal, cited evidence anchored (it may be revoked or not what is required:
     * that can be why it was refused); the path's signatures — none for Instant and Commitment,
     * one Staff for SignOnce, Staff then Chief by two different keys for SignTwice — each a valid
     * P-256 signature of the EIP-712 digest by a key that holds that authority for the matter at
     * the block time and that the registry holds valid then. A commitment approval schedules its
     * post-check at block time + the matter's post-check period.
     * Emits {DecisionRecorded}, and {PostCheckScheduled} for a commitment approval.
     * Reverts with MatterCatalogUnknownMatter (from the catalog), {ApprovalRulesInvalidApplication},
     * {ApprovalRulesNotOperator}, {ApprovalRulesFilingNeedsNotice}, {ApprovalRulesStaleRuleVersion},
     * {ApprovalRulesPathNotAllowed}, {ApprovalRulesPathSuspended}, {ApprovalRulesDecisionExpired},
     * {ApprovalRulesAlreadyDecided}, {ApprovalRulesAlreadyFiled}, {ApprovalRulesEvidenceCount},
     * {ApprovalRulesEvidenceNotAnchored}, {ApprovalRulesEvidenceMismatch},
     * {ApprovalRulesEvidenceRevoked}, {ApprovalRulesDuplicateEvidence},
     * {ApprovalRulesSignatureCount}, {ApprovalRulesInvalidSignature}, {ApprovalRulesSameSigner},
     * {ApprovalRulesNoAuthority}, {ApprovalRulesWrongRole} or {ApprovalRulesKeyNotValid}.
     * @param decision The decision, as signed.
     * @param evidence The cited documents, in the order of the path's requirements.
     * @param signatures The human signatures, staff first.
     */
    function recordDecision(Decision calldata decision, Evidence[] calldata evidence, Signature[] calldata signatures)
        external;

    /**
     * @notice Records several decisions in one transaction, each judged exactly as by
     * {recordDecision}, in order; all are recorded or none (the first refusal reverts the call with
     * that decision's error). A node that decides many applications at once sends one transaction
     * per block instead of one per application.
     * @dev Reverts with {ApprovalRulesBatchSize} for an empty batch or one over
     * {MAX_DECISIONS_PER_CALL}, else as {recordDecision}. Emits {recordDecision}'s events per decision.
     * @param inputs The decisions with their evidence and signatures.
     */
    function recordDecisions(DecisionInput[] calldata inputs) external;

    /**
     * @notice The most decisions one {recordDecisions} call takes.
     * @return The limit.
     */
    function MAX_DECISIONS_PER_CALL() external view returns (uint256);

    /**
     * @notice Records the post-check of a commitment approval, before or after its deadline.
     * @dev Requires an approval on the commitment path, no post-check recorded yet, the caller an
     * active operator of the owning department, a non-zero certificate hash and, for a failure,
     * the certificate already revoked in the ledger by that department (the ledger lets only the
     * issuer revoke, so the service revokes first, then records). Emits {PostCheckRecorded}.
     * Reverts with {ApprovalRulesNoPostCheck}, {ApprovalRulesNotOperator},
     * {ApprovalRulesPostCheckRecorded}, {ApprovalRulesInvalidCertificate} or
     * {ApprovalRulesCertificateNotRevoked}.
     * @param applicationHash The decided application.
     * @param passed Whether the applicant met the commitment.
     * @param certificateDocHash The certificate issued from the decision.
     */
    function recordPostCheck(bytes32 applicationHash, bool passed, bytes32 certificateDocHash) external;

    /**
     * @notice Publishes a self-review filing for the matter's notice period.
     * @dev Requires a non-zero application hash not decided or filed before; the caller an active
     * operator of the owning department; the current rule version; the Filing path allowed and not
     * suspended; exactly the evidence the Filing path requires, anchored and not revoked.
     * Emits {FilingPublished}. Reverts as {recordDecision} does for these rules.
     * @param applicationHash The salted application hash.
     * @param matter The matter.
     * @param ruleVersion The matter's current rule version.
     * @param evidence The cited documents, in the order of the Filing path's requirements.
     * @return noticeEnds The first second after the notice.
     */
    function fileForNotice(bytes32 applicationHash, bytes32 matter, uint32 ruleVersion, Evidence[] calldata evidence)
        external
        returns (uint64 noticeEnds);

    /**
     * @notice Files an objection to a filing in notice, as the hash of its text.
     * @dev Anyone may object, so the department cannot suppress an objection; its service also
     * records objections received off chain this way. Requires a filing in notice, block time
     * before noticeEnds, a non-zero objection hash not filed before. Emits {ObjectionFiled}.
     * Reverts with {ApprovalRulesInvalidObjection}, {ApprovalRulesUnknownFiling},
     * {ApprovalRulesNoticeOver} or {ApprovalRulesObjectionExists}.
     * @param applicationHash The filing.
     * @param objectionHash The objection's hash (salted off chain, like an application's).
     */
    function fileObjection(bytes32 applicationHash, bytes32 objectionHash) external;

    /**
     * @notice Upholds or rejects an open objection.
     * @dev Requires the caller an active operator of the owning department and a filed, unresolved
     * objection of a filing not closed. Emits {ObjectionResolved}. Reverts with
     * {ApprovalRulesUnknownFiling}, {ApprovalRulesNotOperator} or {ApprovalRulesObjectionNotOpen}.
     * @param applicationHash The filing.
     * @param objectionHash The objection.
     * @param upheld True to uphold (the filing will be refused), false to reject.
     */
    function resolveObjection(bytes32 applicationHash, bytes32 objectionHash, bool upheld) external;

    /**
     * @notice Closes a filing whose notice is over: approved with no signature if no objection was
     * upheld and no cited evidence was revoked meanwhile, else refused.
     * @dev Anyone may close: the outcome is fixed by the record, and no one can sit on a clean
     * filing. Requires a filing in notice, block time >= noticeEnds, no unresolved objection, the
     * Filing path not suspended, and `evidence` equal to what the filing cited. Emits
     * {FilingClosed} then {DecisionRecorded} (path Filing, no signatures, under the filing's rule
     * version). Reverts with {ApprovalRulesUnknownFiling}, {ApprovalRulesAlreadyDecided},
     * {ApprovalRulesNoticeRunning}, {ApprovalRulesObjectionsUnresolved},
     * {ApprovalRulesPathSuspended} or {ApprovalRulesFilingEvidenceMismatch}.
     * @param applicationHash The filing.
     * @param evidence The documents the filing cited, with their issuers, as in {FilingPublished}.
     * @return outcome The decision.
     */
    function closeFiling(bytes32 applicationHash, EvidenceRef[] calldata evidence) external returns (Outcome outcome);

    /**
     * @notice The EIP-712 digest the signers of `decision` sign, citing `evidenceDocHashes`.
     * @param decision The decision.
     * @param evidenceDocHashes The cited documents' hashes, in order.
     * @return digest The digest.
     */
    function decisionDigest(Decision calldata decision, bytes32[] calldata evidenceDocHashes)
        external
        view
        returns (bytes32 digest);

    /**
     * @notice The registry key id of a P-256 public key: keccak256 of its DER SubjectPublicKeyInfo.
     * @param x The x coordinate.
     * @param y The y coordinate.
     * @return keyId The key id.
     */
    function keyIdOf(bytes32 x, bytes32 y) external pure returns (bytes32 keyId);

    /**
     * @notice A recorded decision.
     * @param applicationHash The application.
     * @return record The record; decidedAt 0 if not decided.
     */
    function decision(bytes32 applicationHash) external view returns (DecisionRecord memory record);

    /**
     * @notice The post-check of a commitment approval.
     * @param applicationHash The application.
     * @return check The record; checkedAt 0 if not recorded.
     */
    function postCheck(bytes32 applicationHash) external view returns (PostCheck memory check);

    /**
     * @notice A filing.
     * @param applicationHash The application.
     * @return record The record; state None if not filed.
     */
    function filing(bytes32 applicationHash) external view returns (Filing memory record);

    /**
     * @notice The state of one objection to a filing.
     * @param applicationHash The filing.
     * @param objectionHash The objection.
     * @return state None, Filed, Upheld or Rejected.
     */
    function objection(bytes32 applicationHash, bytes32 objectionHash) external view returns (ObjectionState state);
}
