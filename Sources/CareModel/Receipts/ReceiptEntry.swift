/// What the server attests for one operation it holds: the operation's id, its
/// replica-chain hash, where it sits in the server log and when the server
/// first received it. One leaf of a ``ReceiptBatch``'s Merkle tree.
public struct ReceiptEntry: Codable, Sendable, Hashable {
    public var replica: ReplicaID
    public var counter: UInt64
    /// The operation's hash in its replica's chain (what the device computed too).
    public var hash: OperationHash
    /// The server log position the operation is stored at.
    public var sequence: UInt64
    /// When the server first stored the operation, Unix milliseconds (for an
    /// operation pushed again, the time of the first push).
    public var receivedAt: Int64

    public init(replica: ReplicaID, counter: UInt64, hash: OperationHash, sequence: UInt64, receivedAt: Int64) {
        self.replica = replica
        self.counter = counter
        self.hash = hash
        self.sequence = sequence
        self.receivedAt = receivedAt
    }

    /// The operation the entry is about.
    public var id: Dot { Dot(replica: replica, counter: counter) }

    /// The canonical JSON the leaf hash covers:
    /// `{"counter":…,"hash":"…","receivedAt":…,"replica":"…","sequence":…}`.
    public var canonicalBytes: [UInt8] {
        var writer = CanonicalJSONWriter(reservingCapacity: 192)
        writer.raw(#"{"counter":"#)
        writer.unsigned(counter)
        writer.raw(#","hash":"#)
        writer.string(hash.hex)
        writer.raw(#","receivedAt":"#)
        writer.int(receivedAt)
        writer.raw(#","replica":"#)
        writer.string(replica.description)
        writer.raw(#","sequence":"#)
        writer.unsigned(sequence)
        writer.byte(UInt8(ascii: "}"))
        return writer.bytes
    }
}
