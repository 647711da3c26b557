public import Crypto
import Foundation

/// The server's signed receipts for one push: an entry per operation it holds
/// (stored now or before), in the push's order, and one Ed25519 signature by
/// the server's key over the root of the Merkle tree of the entries (see
/// ``ReceiptMerkleTree``). `PushResponse.receipts` carries it.
///
/// A device checks the batch once (``receipts(verifiedWith:)``) and keeps, per
/// operation, an ``OperationReceipt``: its entry, the signature and the few
/// hashes that lead from the entry to the signed root, so that each receipt
/// can be shown and checked alone, without the rest of the batch.
public struct ReceiptBatch: Codable, Sendable, Hashable {
    public var entries: [ReceiptEntry]
    /// The base64 Ed25519 signature of ``message(size:root:)`` for these entries.
    public var signature: String

    public init(entries: [ReceiptEntry], signature: String) {
        self.entries = entries
        self.signature = signature
    }

    /// Signs `entries` with the server's key; nil when there are none.
    public init?(signing entries: [ReceiptEntry], with key: Curve25519.Signing.PrivateKey) {
        guard !entries.isEmpty else { return nil }
        let root = ReceiptMerkleTree.root(entries.map(ReceiptMerkleTree.leafHash)[...])
        // Signing a byte buffer with a valid key does not fail in practice; an
        // empty signature would only make the batch fail verification.
        let signature = (try? key.signature(for: Self.message(size: entries.count, root: root))) ?? Data()
        self.init(entries: entries, signature: signature.base64EncodedString())
    }

    /// The bytes signed: `caresync-receipts-v1\n<number of entries>\n<root hex>`.
    public static func message(size: Int, root: [UInt8]) -> [UInt8] {
        Array("caresync-receipts-v1\n\(size)\n\(ReceiptDigest.hex(root))".utf8)
    }

    /// Checks the signature over the entries' root and returns one standalone
    /// receipt per entry, in order. Throws ``CareModelError``
    /// `receipt_signature_invalid` when `key` did not sign exactly these
    /// entries (any entry changed, added, removed or reordered), `invalid_receipt`
    /// for an empty batch.
    public func receipts(verifiedWith key: ServerPublicKey) throws(CareModelError) -> [OperationReceipt] {
        guard !entries.isEmpty else { throw CareModelError(.invalidReceipt, "a receipt batch has at least one entry") }
        let tree = ReceiptMerkleTree.paths(entries.map(ReceiptMerkleTree.leafHash)[...])
        guard key.isValidSignature(signature, for: Self.message(size: entries.count, root: tree.root)) else {
            throw CareModelError(
                .receiptSignatureInvalid, "the receipt batch is not signed by the server's key over these entries")
        }
        let root = ReceiptDigest.hex(tree.root)
        return entries.indices.map { index in
            OperationReceipt(
                entry: entries[index], index: index, size: entries.count, path: tree.paths[index].map(ReceiptDigest.hex),
                root: root, signature: signature)
        }
    }
}

/// 32-byte digests of receipts as lowercase hex.
enum ReceiptDigest {
    static func hex(_ bytes: [UInt8]) -> String {
        OperationHash(bytes: bytes)?.hex ?? ""
    }

    static func bytes(_ hex: String) -> [UInt8]? {
        OperationHash(hex: hex)?.bytes
    }
}
