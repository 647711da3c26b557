/// The server's signed receipt for one operation, on its own: what a device
/// keeps and shows ("the office received this at …"), and what
/// `caresync audit receipt` checks offline against the server's public key.
///
/// It holds the operation's ``ReceiptEntry``, its place in the batch's Merkle
/// tree (``index`` of ``size``), the audit ``path`` from the entry to the
/// ``root``, and the server's signature over the root. Valid when the path
/// leads from the entry to the root and the server's key signed that root for
/// a batch of that size.
public struct OperationReceipt: Codable, Sendable, Hashable {
    public var entry: ReceiptEntry
    /// The entry's position in its batch.
    public var index: Int
    /// The number of entries in its batch.
    public var size: Int
    /// The sibling hashes from the entry's leaf up to the root (hex), RFC 9162 order.
    public var path: [String]
    /// The batch's Merkle root (hex).
    public var root: String
    /// The server's base64 Ed25519 signature of `ReceiptBatch.message(size:root:)`.
    public var signature: String

    public init(entry: ReceiptEntry, index: Int, size: Int, path: [String], root: String, signature: String) {
        self.entry = entry
        self.index = index
        self.size = size
        self.path = path
        self.root = root
        self.signature = signature
    }

    /// Throws ``CareModelError`` naming what is wrong: `invalid_receipt` (a
    /// hash that is not 64 hex digits, an index outside the batch),
    /// `receipt_proof_mismatch` (the entry and path do not lead to the root:
    /// the entry or the path was changed), `receipt_signature_invalid` (the
    /// key did not sign this root and size).
    public func verify(with key: ServerPublicKey) throws(CareModelError) {
        guard let rootBytes = ReceiptDigest.bytes(root) else {
            throw CareModelError(.invalidReceipt, "the receipt's root is not 64 hex digits", field: "root")
        }
        var siblings: [[UInt8]] = []
        for (position, hex) in path.enumerated() {
            guard let sibling = ReceiptDigest.bytes(hex) else {
                throw CareModelError(
                    .invalidReceipt, "the receipt's path hash \(position) is not 64 hex digits", field: "path")
            }
            siblings.append(sibling)
        }
        guard size >= 1, index >= 0, index < size else {
            throw CareModelError(.invalidReceipt, "the receipt's index \(index) is outside its batch of \(size)", field: "index")
        }
        let leaf = ReceiptMerkleTree.leafHash(entry)
        guard ReceiptMerkleTree.root(fromLeaf: leaf, index: index, size: size, path: siblings) == rootBytes else {
            throw CareModelError(
                .receiptProofMismatch,
                "the entry (operation \(entry.counter) of replica \(entry.replica)) and its path do not lead to the signed root")
        }
        guard key.isValidSignature(signature, for: ReceiptBatch.message(size: size, root: rootBytes)) else {
            throw CareModelError(.receiptSignatureInvalid, "the root is not signed by the server's key for a batch of \(size)")
        }
    }
}
