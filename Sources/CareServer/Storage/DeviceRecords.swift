public import CareModel

/// An enrolled device, as the admin lists it. Never holds the token itself.
public struct DeviceSummary: Codable, Sendable, Hashable {
    public var device: DeviceID
    public var worker: WorkerID
    public var replica: ReplicaID
    /// The device's Ed25519 public key, 32 raw bytes in base64.
    public var publicKey: String
    /// Unix milliseconds.
    public var enrolledAt: Int64
    public var expiresAt: Int64
    public var revokedAt: Int64?

    public init(
        device: DeviceID, worker: WorkerID, replica: ReplicaID, publicKey: String, enrolledAt: Int64,
        expiresAt: Int64, revokedAt: Int64?
    ) {
        self.device = device
        self.worker = worker
        self.replica = replica
        self.publicKey = publicKey
        self.enrolledAt = enrolledAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }
}

/// What a bearer token stands for: the device, its replica, and its worker's
/// roles and teams as they are now.
public struct DeviceCredential: Sendable, Hashable {
    public var device: DeviceSummary
    public var worker: Worker

    public init(device: DeviceSummary, worker: Worker) {
        self.device = device
        self.worker = worker
    }
}

/// How many rows each table holds: for health checks, the admin CLI, and tests
/// that check a refused request changed nothing.
public struct StorageCounts: Codable, Sendable, Hashable {
    public var operations: Int
    public var records: Int
    public var visitAccess: Int
    public var devices: Int
    public var enrolmentCodes: Int
    public var workers: Int
    public var residents: Int

    public init(
        operations: Int, records: Int, visitAccess: Int, devices: Int, enrolmentCodes: Int, workers: Int,
        residents: Int
    ) {
        self.operations = operations
        self.records = records
        self.visitAccess = visitAccess
        self.devices = devices
        self.enrolmentCodes = enrolmentCodes
        self.workers = workers
        self.residents = residents
    }
}
