public import CareModel
import Foundation
import GRDB

extension SQLiteSyncStorage {
    private static let deviceColumns = "d.id, d.worker, d.replica, d.public_key, d.enrolled_at, d.expires_at, d.revoked_at"

    public func credential(tokenHash: [UInt8]) async throws -> DeviceCredential? {
        try await pool.read { db in
            let statement = try db.cachedStatement(
                sql: """
                    SELECT \(Self.deviceColumns), w.roles, w.teams, w.active
                    FROM devices d JOIN workers w ON w.id = d.worker WHERE d.token_hash = ?
                    """)
            guard let row = try Row.fetchOne(statement, arguments: [Data(tokenHash)]) else { return nil }
            let device = try Self.deviceSummary(row)
            let worker = Self.worker(id: device.worker, roles: row[7], teams: row[8], active: row[9])
            return DeviceCredential(device: device, worker: worker)
        }
    }

    public func enrol(_ claim: EnrolmentClaim) async throws -> DeviceSummary {
        try await pool.write { db in
            let code = try Row.fetchOne(
                db, sql: "SELECT worker, expires_at, used_at FROM enrolment_codes WHERE code_hash = ?",
                arguments: [Data(claim.codeHash)])
            guard let code, (code[2] as Int64?) == nil, (code[1] as Int64) > claim.enrolledAt else {
                throw ServerError(
                    .invalidEnrolmentCode, "the enrolment code is unknown, already used or expired", field: "code",
                    status: .forbidden)
            }
            let worker: String = code[0]
            if try Int.fetchOne(db, sql: "SELECT 1 FROM devices WHERE replica = ?", arguments: [claim.replica.description])
                != nil
            {
                throw ServerError(
                    .replicaTaken, "this replica id is already enrolled; a device makes a new replica to enrol",
                    field: "replica", status: .conflict)
            }
            try db.execute(
                sql: """
                    INSERT INTO devices (id, worker, replica, public_key, token_hash, enrolled_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    claim.device.description, worker, claim.replica.description, claim.publicKey,
                    Data(claim.tokenHash), claim.enrolledAt, claim.expiresAt,
                ])
            try db.execute(
                sql: "UPDATE enrolment_codes SET used_at = ?, used_by_device = ? WHERE code_hash = ?",
                arguments: [claim.enrolledAt, claim.device.description, Data(claim.codeHash)])
            return DeviceSummary(
                device: claim.device, worker: WorkerID(unchecked: worker), replica: claim.replica,
                publicKey: claim.publicKey, enrolledAt: claim.enrolledAt, expiresAt: claim.expiresAt, revokedAt: nil)
        }
    }

    public func devices() async throws -> [DeviceSummary] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.deviceColumns) FROM devices d ORDER BY d.worker, d.enrolled_at")
                .map(Self.deviceSummary)
        }
    }

    public func enrolledDeviceCount() async throws -> Int {
        try await pool.read { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM devices WHERE revoked_at IS NULL AND worker <> ?",
                arguments: [ServerIdentity.workerID.rawValue]) ?? 0
        }
    }

    public func revokeDevice(_ device: DeviceID, at time: Int64) async throws -> DeviceSummary {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE devices SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?",
                arguments: [time, device.description])
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT \(Self.deviceColumns) FROM devices d WHERE d.id = ?", arguments: [device.description])
            else {
                throw ServerError(.unknownDevice, "no device with this id", field: "device", status: .notFound)
            }
            return try Self.deviceSummary(row)
        }
    }

    static func deviceSummary(_ row: Row) throws -> DeviceSummary {
        guard let device = DeviceID(row[0] as String), let replica = ReplicaID(row[2] as String) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "a device row holds a malformed id")
        }
        return DeviceSummary(
            device: device, worker: WorkerID(unchecked: row[1]), replica: replica, publicKey: row[3],
            enrolledAt: row[4], expiresAt: row[5], revokedAt: row[6])
    }
}
