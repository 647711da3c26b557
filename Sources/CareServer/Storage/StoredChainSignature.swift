public import CareModel

/// A device's signature over its chain head, as the server keeps it: the proof,
/// checkable by anyone holding the device's enrolled public key, that the
/// replica's operations up to ``counter`` are the ones the device wrote.
public struct StoredChainSignature: Sendable, Hashable {
    public var replica: ReplicaID
    /// The counter of the last operation the signature covers.
    public var counter: UInt64
    /// The replica's chain hash after operation ``counter``.
    public var head: OperationHash
    /// The base64 Ed25519 signature of ``ChainHeadSignature/message(replica:counter:head:)``.
    public var signature: String
    /// When the push carrying it was received, Unix milliseconds.
    public var receivedAt: Int64

    public init(replica: ReplicaID, counter: UInt64, head: OperationHash, signature: String, receivedAt: Int64) {
        self.replica = replica
        self.counter = counter
        self.head = head
        self.signature = signature
        self.receivedAt = receivedAt
    }

    /// The signature as the push carried it.
    public var chainHeadSignature: ChainHeadSignature {
        ChainHeadSignature(counter: counter, signature: signature)
    }
}
