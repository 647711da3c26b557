/// Who the server is: the body of `GET /v1/server/identity` (no credential
/// needed: it is all public).
///
/// The server writes what it decides itself (alerts, escalations) as its own
/// replica, and signs that replica's chain heads and the receipts of pushes
/// with ``publicKey``'s private half. A device or an auditor keeps the key to
/// check those signatures offline.
public struct ServerIdentityMessage: Codable, Sendable, Hashable {
    /// The server's own replica.
    public var replica: ReplicaID
    /// The device id its operations carry.
    public var device: DeviceID
    /// The worker its own operations carry as author.
    public var worker: WorkerID
    /// The server's Ed25519 public key: 32 raw bytes, base64 (standard alphabet, padded).
    public var publicKey: String

    public init(replica: ReplicaID, device: DeviceID, worker: WorkerID, publicKey: String) {
        self.replica = replica
        self.device = device
        self.worker = worker
        self.publicKey = publicKey
    }
}
