/// An operation sealed into its replica's hash chain.
///
/// `hash = SHA-256(previous.bytes ‖ canonicalBytes(operation))`, where `previous`
/// is the hash of the replica's operation with the counter before, or
/// ``OperationHash/genesis`` for counter 1. Changing, dropping, inserting or
/// reordering any operation of a replica changes every hash after it.
public struct ChainedOperation: Hashable, Sendable {
    public let operation: Operation
    /// The hash of the same replica's previous operation.
    public let previous: OperationHash
    /// This operation's own hash.
    public let hash: OperationHash
    /// The canonical bytes that were hashed (kept so that storage and the wire
    /// need not encode the operation a second time).
    public let canonicalBytes: [UInt8]

    /// Seals `operation` after `previous`, computing its hash.
    ///
    /// `consuming`: an operation the caller owns and does not use after
    /// moves into the sealed one, where a borrowed one was always copied (a
    /// retain of each of its arrays; see docs/BENCHMARKS.md, 2026-11-23).
    public init(_ operation: consuming Operation, after previous: OperationHash) {
        // Encoded right after the previous hash, so SHA-256 runs once over one buffer.
        let (canonicalBytes, hash) = previous.withBytes { previousBytes in
            operation.withCanonicalBytes(after: previousBytes) { chained, own in
                (Array(own), OperationHash(sha256Of: chained))
            }
        }
        self.operation = operation
        self.previous = previous
        self.canonicalBytes = canonicalBytes
        self.hash = hash
    }

    private init(_ operation: Operation, canonicalBytes: [UInt8], after previous: OperationHash) {
        self.operation = operation
        self.previous = previous
        self.canonicalBytes = canonicalBytes
        self.hash = OperationHash.chaining(canonicalBytes, after: previous)
    }

    /// The same operation sealed after another previous hash: hashes again
    /// without encoding again. Returns `self` when `previous` is unchanged.
    public func rechained(after previous: OperationHash) -> ChainedOperation {
        previous == self.previous ? self : ChainedOperation(operation, canonicalBytes: canonicalBytes, after: previous)
    }
}
