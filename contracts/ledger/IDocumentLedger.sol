// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @title IDocumentLedger
 * @notice Batched anchoring of document hashes under Merkle roots, and revocation by the
 * issuing department.
 * @dev Leaf of a document: keccak256(abi.encodePacked(uint8 kind, bytes32 docHash)) — 33 bytes,
 * so a leaf can never be mistaken for a 64-byte inner node. Inner nodes hash the sorted pair
 * (OpenZeppelin Hashes.commutativeKeccak256); the tree has the layout of the
 * npm package openzeppelin merkle-tree's SimpleMerkleTree with sortLeaves=false, leaves in batch order.
 * Every leaf is recoverable from logs alone. A batch emits, in batch order, its documents'
 * hashes as the topics of anonymous, data-less logs, four to a log (LOG4; the last log holds the
 * remaining one to three), then one {BatchAnchored} carrying the kinds. So eth_getLogs with the
 * ledger's address and the hash in topic position 0, 1, 2 or 3 finds a document's transaction,
 * and that transaction's receipt gives the whole batch. These logs are not declared as an ABI
 * event because their topic count varies.
 */
interface IDocumentLedger {
    /// @notice What was anchored. The numbers are part of the leaf and never change.
    enum DocumentKind {
        Certificate, // 电子证照
        SealedDocument, // 盖章文件
        CommitmentLetter, // 告知承诺书
        ApprovalDecision, // 审批决定
        Filing // 自审备案
    }

    /// @dev Two storage slots and no more: the anchoring time, block and size are in the
    /// {BatchAnchored} log and its block, which every verifier reads anyway.
    struct Batch {
        bytes32 root;
        bytes32 departmentId;
    }

    struct Revocation {
        uint64 revokedAt;
        uint16 reasonCode;
        uint64 batchId;
    }

    /// @notice The caller is not an operator of an active department.
    error DocumentLedgerNotOperator(address account);
    /// @notice A batch must hold between 1 and MAX_BATCH_SIZE documents.
    error DocumentLedgerInvalidBatchSize(uint256 size);
    /// @notice docHashes and kinds differ in length.
    error DocumentLedgerKindsLengthMismatch(uint256 docHashes, uint256 kinds);
    /// @notice A kind byte outside {DocumentKind}.
    error DocumentLedgerInvalidKind(uint256 index, uint8 kind);
    /// @notice A zero document hash.
    error DocumentLedgerInvalidDocHash(uint256 index);
    /// @notice No batch with this id.
    error DocumentLedgerUnknownBatch(uint256 batchId);
    /// @notice The batch was anchored by another department than the caller's.
    error DocumentLedgerNotIssuer(uint256 batchId, bytes32 departmentId);
    /// @notice The Merkle proof does not place the document in the batch.
    error DocumentLedgerInvalidProof(bytes32 docHash, uint256 batchId);
    /// @notice The document was already revoked by this department; revocation is final.
    error DocumentLedgerAlreadyRevoked(bytes32 docHash, uint64 revokedAt);
    /// @notice Reason code 0 is reserved for "not revoked".
    error DocumentLedgerInvalidReason();

    /// @notice A batch was anchored; emitted after the anonymous logs holding its documents' hashes.
    /// @param kinds One byte per document, in batch order.
    event BatchAnchored(
        uint256 indexed batchId, bytes32 indexed departmentId, bytes32 root, uint256 size, bytes kinds
    );
    /// @notice A document was revoked by its issuing department.
    event DocumentRevoked(
        bytes32 indexed docHash, bytes32 indexed departmentId, uint256 indexed batchId, uint16 reasonCode, uint64 revokedAt
    );

    /**
     * @notice Anchors a batch of document hashes for the caller's department.
     * @dev Requires the caller to be an operator of an active department, 1..MAX_BATCH_SIZE
     * documents, one kind byte per document, no zero hash. Computes the Merkle root on chain.
     * Emits the anonymous document-hash logs, then {BatchAnchored}. Reverts with
     * {DocumentLedgerNotOperator}, {DocumentLedgerInvalidBatchSize},
     * {DocumentLedgerKindsLengthMismatch}, {DocumentLedgerInvalidKind} or
     * {DocumentLedgerInvalidDocHash}.
     * @param docHashes The documents' hashes (ZeroSign uses SHA-256 of the file).
     * @param kinds One {DocumentKind} byte per document.
     * @return batchId The new batch's id (1, 2, …).
     * @return root The batch's Merkle root.
     */
    function anchorBatch(bytes32[] calldata docHashes, bytes calldata kinds)
        external
        returns (uint256 batchId, bytes32 root);

    /**
     * @notice Revokes a document anchored by the caller's department. Final.
     * @dev Requires the caller to operate for the department that anchored batch `batchId`, a
     * proof placing (kind, docHash) in that batch, a non-zero reason, and no earlier revocation
     * by the same department. Emits {DocumentRevoked}. Reverts with {DocumentLedgerNotOperator},
     * {DocumentLedgerUnknownBatch}, {DocumentLedgerNotIssuer}, {DocumentLedgerInvalidProof},
     * {DocumentLedgerInvalidReason} or {DocumentLedgerAlreadyRevoked}.
     * @param docHash The document's hash.
     * @param kind The kind it was anchored with.
     * @param batchId The batch it was anchored in.
     * @param proof The Merkle proof of its leaf in that batch.
     * @param reasonCode Why (1 注销 cancelled on request, 2 吊销 revoked as sanction, … see server/chain).
     */
    function revoke(bytes32 docHash, DocumentKind kind, uint256 batchId, bytes32[] calldata proof, uint16 reasonCode)
        external;

    /**
     * @notice A batch's record.
     * @dev Reverts with {DocumentLedgerUnknownBatch}.
     * @param batchId The batch.
     * @return batch The record.
     */
    function batch(uint256 batchId) external view returns (Batch memory batch);

    /**
     * @notice The number of batches anchored so far (ids run from 1 to this number).
     * @return count The count.
     */
    function batchCount() external view returns (uint256 count);

    /**
     * @notice Whether and why `departmentId` revoked `docHash`.
     * @dev Revocations are keyed by department so that a department that re-anchors another
     * department's document can never revoke it for the issuer.
     * @param docHash The document's hash.
     * @param departmentId The issuing department.
     * @return revocation The record; revokedAt 0 if not revoked.
     */
    function revocation(bytes32 docHash, bytes32 departmentId) external view returns (Revocation memory revocation);

    /**
     * @notice Whether (kind, docHash) is a leaf of batch `batchId` according to `proof`.
     * @param docHash The document's hash.
     * @param kind Its kind.
     * @param batchId The batch.
     * @param proof The Merkle proof.
     * @return included True if the proof checks against the batch's stored root.
     */
    function verifyInclusion(bytes32 docHash, DocumentKind kind, uint256 batchId, bytes32[] calldata proof)
        external
        view
        returns (bool included);
}
