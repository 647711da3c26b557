/// A device's request to enrol: the body of `POST /v1/enrol`.
///
/// An admin gives the worker a one-time enrolment code; the device sends it with
/// the public half of its Ed25519 signing key and the replica id its store will
/// write as. The server answers with an ``EnrolmentResponse``. One enrolment is
/// one replica: a replica id that is already enrolled is refused.
public struct EnrolmentRequest: Codable, Sendable, Hashable {
    /// The one-time code the admin issued for the worker.
    public var code: String
    /// The device's Ed25519 public key: 32 raw bytes, base64 (standard alphabet, padded).
    public var publicKey: String
    /// The replica the device's store writes as.
    public var replica: ReplicaID

    public init(code: String, publicKey: String, replica: ReplicaID) {
        self.code = code
        self.publicKey = publicKey
        self.replica = replica
    }
}

/// The server's answer to an enrolment: who the device is and the credential
/// every later request carries as `Authorization: Bearer <token>`.
public struct EnrolmentResponse: Codable, Sendable, Hashable {
    /// The device id the server gave this device; its operations carry it.
    public var device: DeviceID
    /// The worker the enrolment code was issued for; its operations carry it as author.
    public var worker: WorkerID
    public var replica: ReplicaID
    /// The bearer token. The server keeps only its SHA-256; it is shown once.
    public var token: String
    /// When the credential stops working, in Unix milliseconds.
    public var expiresAt: Int64
    /// The server's Ed25519 public key (32 raw bytes, base64): the device keeps
    /// it and checks every receipt against it (see ``ReceiptBatch``). Learnt
    /// here, in the exchange the one-time code authenticates.
    public var serverKey: String?

    public init(
        device: DeviceID, worker: WorkerID, replica: ReplicaID, token: String, expiresAt: Int64,
        serverKey: String? = nil
    ) {
        self.device = device
        self.worker = worker
        self.replica = replica
        self.token = token
        self.expiresAt = expiresAt
        self.serverKey = serverKey
    }
}
