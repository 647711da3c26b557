public import CareModel

/// The server's own replica as its database keeps it (see ``ServerIdentity``).
public struct StoredServerIdentity: Sendable, Hashable {
    public var replica: ReplicaID
    public var device: DeviceID
    /// The Ed25519 private key's 32 raw bytes.
    public var privateKey: [UInt8]
    /// Unix milliseconds.
    public var createdAt: Int64

    public init(replica: ReplicaID, device: DeviceID, privateKey: [UInt8], createdAt: Int64) {
        self.replica = replica
        self.device = device
        self.privateKey = privateKey
        self.createdAt = createdAt
    }
}

/// A replica's last stored operation: where its next one continues.
public struct ReplicaHead: Sendable, Hashable {
    public var counter: UInt64
    public var hash: OperationHash
    public var timestamp: HLCTimestamp

    public init(counter: UInt64, hash: OperationHash, timestamp: HLCTimestamp) {
        self.counter = counter
        self.hash = hash
        self.timestamp = timestamp
    }
}
