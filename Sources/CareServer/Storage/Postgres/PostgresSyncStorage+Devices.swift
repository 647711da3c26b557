public import CareModel
import PostgresNIO

extension PostgresSyncStorage {
    private static let deviceColumns = "d.id, d.worker, d.replica, d.public_key, d.enrolled_at, d.expires_at, d.revoked_at"
    private typealias DeviceRow = (String, String, String, String, Int64, Int64, Int64?)

    public func credential(tokenHash: [UInt8]) async throws -> DeviceCredential? {
        var query = PostgresQuery(
            unsafeSQL: """
                SELECT \(Self.deviceColumns), w.roles, w.teams, w.active
                FROM devices d JOIN workers w ON w.id = d.worker WHERE d.token_hash = $1
                """)
        query.binds.append(ByteBuffer(bytes: tokenHash))
        for try await row in try await client.query(query, logger: logger)
            .decode((String, String, String, String, Int64, Int64, Int64?, String, String, Bool).self)
        {
            let device = try Self.deviceSummary((row.0, row.1, row.2, row.3, row.4, row.5, row.6))
            let worker = Worker.fromColumns(id: row.1, roles: row.7, teams: row.8, active: row.9)
            return DeviceCredential(device: device, worker: worker)
        }
        return nil
    }

    /// Locks the code's row, so that of two servers enrolling with one code at
    /// once the second finds it used.
    public func enrol(_ claim: EnrolmentClaim) async throws -> DeviceSummary {
        do {
            return try await inTransaction { connection in
                var worker: String?
                for try await (codeWorker, expiresAt, usedAt) in try await connection.query(
                    """
                    SELECT worker, expires_at, used_at FROM enrolment_codes
                    WHERE code_hash = \(ByteBuffer(bytes: claim.codeHash)) FOR UPDATE
                    """, logger: logger
                ).decode((String, Int64, Int64?).self) where usedAt == nil && expiresAt > claim.enrolledAt {
                    worker = codeWorker
                }
                guard let worker else { throw Self.invalidCode }
                try await connection.query(
                    """
                    INSERT INTO devices (id, worker, replica, public_key, token_hash, enrolled_at, expires_at)
                    VALUES (\(claim.device.description), \(worker), \(claim.replica.description), \(claim.publicKey),
                        \(ByteBuffer(bytes: claim.tokenHash)), \(claim.enrolledAt), \(claim.expiresAt))
                    """, logger: logger)
                try await connection.query(
                    """
                    UPDATE enrolment_codes SET used_at = \(claim.enrolledAt), used_by_device = \(claim.device.description)
                    WHERE code_hash = \(ByteBuffer(bytes: claim.codeHash))
                    """, logger: logger)
                return DeviceSummary(
                    device: claim.device, worker: WorkerID(unchecked: worker), replica: claim.replica,
                    publicKey: claim.publicKey, enrolledAt: claim.enrolledAt, expiresAt: claim.expiresAt, revokedAt: nil)
            }
        } catch let error where Self.violates(error, constraint: "devices_replica_key") {
            throw ServerError(
                .replicaTaken, "this replica id is already enrolled; a device makes a new replica to enrol",
                field: "replica", status: .conflict)
        }
    }

    private static let invalidCode = ServerError(
        .invalidEnrolmentCode, "the enrolment code is unknown, already used or expired", field: "code",
        status: .forbidden)

    public func devices() async throws -> [DeviceSummary] {
        var devices: [DeviceSummary] = []
        for try await row in try await client.query(
            PostgresQuery(unsafeSQL: "SELECT \(Self.deviceColumns) FROM devices d ORDER BY d.worker, d.enrolled_at"),
            logger: logger
        ).decode(DeviceRow.self) {
            devices.append(try Self.deviceSummary(row))
        }
        return devices
    }

    public func enrolledDeviceCount() async throws -> Int {
        try await integer(
            "SELECT COUNT(*) FROM devices WHERE revoked_at IS NULL AND worker <> \(ServerIdentity.workerID.rawValue)")
    }

    public func revokeDevice(_ device: DeviceID, at time: Int64) async throws -> DeviceSummary {
        var query = PostgresQuery(
            unsafeSQL: """
                UPDATE devices d SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2
                RETURNING \(Self.deviceColumns)
                """)
        query.binds.append(time)
        query.binds.append(device.description)
        for try await row in try await client.query(query, logger: logger).decode(DeviceRow.self) {
            return try Self.deviceSummary(row)
        }
        throw ServerError(.unknownDevice, "no device with this id", field: "device", status: .notFound)
    }

    private static func deviceSummary(_ row: DeviceRow) throws -> DeviceSummary {
        guard let device = DeviceID(row.0), let replica = ReplicaID(row.2) else {
            throw ServerError(.internalError, "a device row holds a malformed id", status: .internalServerError)
        }
        return DeviceSummary(
            device: device, worker: WorkerID(unchecked: row.1), replica: replica, publicKey: row.3, enrolledAt: row.4,
            expiresAt: row.5, revokedAt: row.6)
    }
}
