public import CareModel

/// Admin actions shared by the admin API and `caresync admin` (which runs them
/// on the database file directly).
public struct AdminService: Sendable {
    /// A new enrolment code, shown once: the server keeps only its hash.
    public struct IssuedCode: Codable, Sendable, Hashable {
        public var worker: WorkerID
        public var code: String
        public var expiresAt: Int64
    }

    let storage: any SyncStorage
    let clock: any WallClock
    let secrets: Secrets
    let codeLifetimeSeconds: Int64

    public init(
        storage: any SyncStorage, clock: any WallClock = SystemWallClock(), secrets: Secrets = .system,
        codeLifetimeSeconds: Int64 = ServerConfiguration().enrolmentCodeLifetimeSeconds
    ) {
        self.storage = storage
        self.clock = clock
        self.secrets = secrets
        self.codeLifetimeSeconds = codeLifetimeSeconds
    }

    /// Creates or replaces a worker. Throws `reserved_worker` for the server's
    /// own worker or the `server` role, which no person may hold.
    public func saveWorker(_ worker: Worker) async throws {
        try Self.checkNotReserved(worker.id)
        guard !worker.roles.contains(.server) else {
            throw ServerError(
                .reservedWorker, "the server role belongs to the server's own replica, not to a worker", field: "roles",
                status: .forbidden)
        }
        try await storage.saveWorker(worker)
    }

    /// Issues a one-time enrolment code for `worker` (who must exist, and not
    /// be the server's own worker).
    public func createEnrolmentCode(for worker: WorkerID) async throws -> IssuedCode {
        try Self.checkNotReserved(worker)
        let code = secrets.enrolmentCode()
        let now = clock.nowMillis()
        let expiresAt = now + codeLifetimeSeconds * 1000
        try await storage.saveEnrolmentCode(
            hash: Secrets.enrolmentCodeHash(code), worker: worker, createdAt: now, expiresAt: expiresAt)
        return IssuedCode(worker: worker, code: code, expiresAt: expiresAt)
    }

    private static func checkNotReserved(_ worker: WorkerID) throws(ServerError) {
        guard worker != ServerIdentity.workerID else {
            throw ServerError(
                .reservedWorker, "\(worker) is the server's own worker; it is not managed by admins", field: "worker",
                status: .forbidden)
        }
    }

    /// Revokes a device: its credential stops working on its next request.
    public func revokeDevice(_ device: DeviceID) async throws -> DeviceSummary {
        try await storage.revokeDevice(device, at: clock.nowMillis())
    }
}
