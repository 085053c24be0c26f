// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {ITrustRegistry} from "../registry/ITrustRegistry.sol";
import {IDocumentLedger} from "./IDocumentLedger.sol";

/**
 * @title DocumentLedger
 * @notice Anchors documents in batches under a Merkle root computed on chain, and records their
 * revocation by the department that anchored them.
 * @dev Who is an operator of which department comes from the {ITrustRegistry}. Per document the
 * ledger stores nothing: a document's batch is found through the anonymous log that carries
 * its hash as a topic, which keeps anchoring close to the calldata floor.
 */
contract DocumentLedger is IDocumentLedger {
    /// @notice The largest batch one transaction may anchor.
    uint256 public constant MAX_BATCH_SIZE = 4096;
    uint8 private constant _KIND_COUNT = uint8(type(DocumentKind).max) + 1;

    ITrustRegistry private immutable _registry;
    Batch[] private _batches;
    mapping(bytes32 docHash => mapping(bytes32 departmentId => Revocation)) private _revocations;

    /**
     * @notice Deploys a ledger that takes its operators from `registry`.
     * @param trustRegistry The trust registry.
     */
    constructor(ITrustRegistry trustRegistry) {
        _registry = trustRegistry;
    }

    /**
     * @notice The trust registry this ledger reads operators from.
     * @return The registry's address.
     */
    function registry() external view returns (ITrustRegistry) {
        return _registry;
    }

    /// @inheritdoc IDocumentLedger
    function anchorBatch(bytes32[] calldata docHashes, bytes calldata kinds)
        external
        returns (uint256 batchId, bytes32 root)
    {
        bytes32 departmentId = _operatorDepartment(msg.sender);
        uint256 size = docHashes.length;
        if (size == 0 || size > MAX_BATCH_SIZE) revert DocumentLedgerInvalidBatchSize(size);
        if (kinds.length != size) revert DocumentLedgerKindsLengthMismatch(size, kinds.length);

        uint256 firstBad;
        (root, firstBad) = _anchorLeaves(docHashes, kinds);
        if (firstBad != 0) {
            uint256 i = firstBad - 1;
            if (docHashes[i] == bytes32(0)) revert DocumentLedgerInvalidDocHash(i);
            revert DocumentLedgerInvalidKind(i, uint8(kinds[i]));
        }

        _batches.push(Batch({root: root, departmentId: departmentId}));
        batchId = _batches.length;
        emit BatchAnchored(batchId, departmentId, root, size, kinds);
    }

    /// @inheritdoc IDocumentLedger
    function revoke(bytes32 docHash, DocumentKind kind, uint256 batchId, bytes32[] calldata proof, uint16 reasonCode)
        external
    {
        bytes32 departmentId = _operatorDepartment(msg.sender);
        Batch storage anchored = _batch(batchId);
        if (anchored.departmentId != departmentId) revert DocumentLedgerNotIssuer(batchId, departmentId);
        if (!MerkleProof.verifyCalldata(proof, anchored.root, _leaf(uint8(kind), docHash))) {
            revert DocumentLedgerInvalidProof(docHash, batchId);
        }
        if (reasonCode == 0) revert DocumentLedgerInvalidReason();
        Revocation storage record = _revocations[docHash][departmentId];
        if (record.revokedAt != 0) revert DocumentLedgerAlreadyRevoked(docHash, record.revokedAt);
        record.revokedAt = uint64(block.timestamp);
        record.reasonCode = reasonCode;
        record.batchId = uint64(batchId);
        emit DocumentRevoked(docHash, departmentId, batchId, reasonCode, record.revokedAt);
    }

    /// @inheritdoc IDocumentLedger
    function batch(uint256 batchId) external view returns (Batch memory) {
        return _batch(batchId);
    }

    /// @inheritdoc IDocumentLedger
    function batchCount() external view returns (uint256) {
        return _batches.length;
    }

    /// @inheritdoc IDocumentLedger
    function revocation(bytes32 docHash, bytes32 departmentId) external view returns (Revocation memory) {
        return _revocations[docHash][departmentId];
    }

    /// @inheritdoc IDocumentLedger
    function verifyInclusion(bytes32 docHash, DocumentKind kind, uint256 batchId, bytes32[] calldata proof)
        external
        view
        returns (bool)
    {
        return MerkleProof.verifyCalldata(proof, _batch(batchId).root, _leaf(uint8(kind), docHash));
    }

    /**
     * @dev Emits the documents' hashes as anonymous logs, four topics a log (a log's base cost is
     * paid once per four documents; readers search each topic position), and computes the Merkle
     * root in the array layout of the npm package openzeppelin merkle-tree: leaf i at tree[2n-2-i], node k hashes
     * children 2k+1 and 2k+2 as a sorted pair (Hashes.commutativeKeccak256), root at tree[0].
     * Written in assembly because anchoring cost per document is this contract's main figure
     * (see scripts/bench-anchor.ts); test/contracts/ledger checks it against the npm tree.
     * Returns firstBad = index + 1 of the first zero hash or unknown kind, 0 if none.
     */
    function _anchorLeaves(bytes32[] calldata docHashes, bytes calldata kinds)
        private
        returns (bytes32 root, uint256 firstBad)
    {
        uint256 kindCount = _KIND_COUNT;
        assembly ("memory-safe") {
            let n := docHashes.length
            let last := sub(shl(1, n), 2)
            let tree := mload(0x40)
            mstore(0x40, add(tree, shl(5, add(last, 1))))
            for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                let docHash := calldataload(add(docHashes.offset, shl(5, i)))
                let kind := byte(0, calldataload(add(kinds.offset, i)))
                if and(iszero(firstBad), or(iszero(docHash), iszero(lt(kind, kindCount)))) { firstBad := add(i, 1) }
                mstore8(0x00, kind)
                mstore(0x01, docHash)
                mstore(add(tree, shl(5, sub(last, i))), keccak256(0x00, 0x21))
            }
            let full := and(n, not(3))
            for { let i := 0 } lt(i, full) { i := add(i, 4) } {
                let p := add(docHashes.offset, shl(5, i))
                log4(0, 0, calldataload(p), calldataload(add(p, 0x20)), calldataload(add(p, 0x40)), calldataload(add(p, 0x60)))
            }
            let p := add(docHashes.offset, shl(5, full))
            switch sub(n, full)
            case 1 { log1(0, 0, calldataload(p)) }
            case 2 { log2(0, 0, calldataload(p), calldataload(add(p, 0x20))) }
            case 3 { log3(0, 0, calldataload(p), calldataload(add(p, 0x20)), calldataload(add(p, 0x40))) }
            for { let k := sub(add(last, 1), n) } gt(k, 0) { k := sub(k, 1) } {
                let a := mload(add(tree, shl(5, sub(shl(1, k), 1))))
                let b := mload(add(tree, shl(6, k)))
                if gt(a, b) {
                    let t := a
                    a := b
                    b := t
                }
                mstore(0x00, a)
                mstore(0x20, b)
                mstore(add(tree, shl(5, sub(k, 1))), keccak256(0x00, 0x40))
            }
            root := mload(tree)
        }
    }

    function _batch(uint256 batchId) private view returns (Batch storage) {
        if (batchId == 0 || batchId > _batches.length) revert DocumentLedgerUnknownBatch(batchId);
        return _batches[batchId - 1];
    }

    function _operatorDepartment(address account) private view returns (bytes32 departmentId) {
        bool active;
        (departmentId, active) = _registry.operatorDepartment(account);
        if (!active) revert DocumentLedgerNotOperator(account);
    }

    function _leaf(uint8 kind, bytes32 docHash) private pure returns (bytes32) {
        return keccak256(abi.encodePacked(kind, docHash));
    }
}
