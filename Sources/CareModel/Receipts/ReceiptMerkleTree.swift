import Crypto

/// The Merkle tree over a batch's receipt entries, as RFC 9162 (Certificate
/// Transparency 2.0, §2.1) defines it: a leaf is `SHA-256(0x00 ‖ entry)`, a
/// node `SHA-256(0x01 ‖ left ‖ right)` (the prefixes keep a leaf from passing
/// for a node), and a tree of n > 1 leaves splits at the largest power of two
/// below n. An inclusion proof is the audit path from a leaf to the root:
/// ⌈log₂ n⌉ hashes, so each operation's receipt stands on its own.
enum ReceiptMerkleTree {
    static func leafHash(_ entry: ReceiptEntry) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [0])
        hasher.update(data: entry.canonicalBytes)
        return Array(hasher.finalize())
    }

    static func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: [1])
        hasher.update(data: left)
        hasher.update(data: right)
        return Array(hasher.finalize())
    }

    /// The root over `leaves` (at least one).
    static func root(_ leaves: ArraySlice<[UInt8]>) -> [UInt8] {
        guard leaves.count > 1 else { return leaves.first ?? [] }
        let split = leaves.startIndex + largestPowerOfTwo(below: leaves.count)
        return nodeHash(root(leaves[..<split]), root(leaves[split...]))
    }

    /// The audit path of every leaf, in leaf order (RFC 9162 §2.1.3.1), built
    /// in one pass over the tree.
    static func paths(_ leaves: ArraySlice<[UInt8]>) -> (root: [UInt8], paths: [[[UInt8]]]) {
        guard leaves.count > 1 else { return (leaves.first ?? [], leaves.map { _ in [[UInt8]]() }) }
        let split = leaves.startIndex + largestPowerOfTwo(below: leaves.count)
        let left = paths(leaves[..<split])
        let right = paths(leaves[split...])
        return (
            nodeHash(left.root, right.root),
            left.paths.map { $0 + [right.root] } + right.paths.map { $0 + [left.root] }
        )
    }

    /// The root that `path` leads to from `leaf` at `index` of a tree of `size`
    /// leaves (RFC 9162 §2.1.3.2); nil when the path cannot belong to such a tree.
    static func root(fromLeaf leaf: [UInt8], index: Int, size: Int, path: [[UInt8]]) -> [UInt8]? {
        guard index >= 0, index < size else { return nil }
        var (fn, sn) = (index, size - 1)
        var result = leaf
        for sibling in path {
            guard sn != 0 else { return nil }
            if fn & 1 == 1 || fn == sn {
                result = nodeHash(sibling, result)
                while fn & 1 == 0, fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                result = nodeHash(result, sibling)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 ? result : nil
    }

    private static func largestPowerOfTwo(below count: Int) -> Int {
        var power = 1
        while power << 1 < count { power <<= 1 }
        return power
    }
}
