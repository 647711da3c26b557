public import CareModel
import Foundation
import GRDB

extension SQLiteSyncStorage {
    public func serverIdentity(creatingIfAbsent candidate: StoredServerIdentity) async throws -> StoredServerIdentity {
        try await pool.write { db in
            if let row = try Row.fetchOne(
                db, sql: "SELECT replica, device, private_key, created_at FROM server_identity WHERE singleton = 1")
            {
                guard let replica = ReplicaID(row[0] as String), let device = DeviceID(row[1] as String) else {
                    throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "the server identity's ids are not UUIDs")
                }
                return StoredServerIdentity(
                    replica: replica, device: device, privateKey: (row[2] as Data).byteArray, createdAt: row[3])
            }
            let worker = ServerIdentity.workerID.rawValue
            let registration = candidate.deviceRow
            try db.execute(
                sql: """
                    INSERT INTO workers (id, roles, teams, active) VALUES (?, ?, '', 1)
                    ON CONFLICT (id) DO UPDATE SET roles = excluded.roles, teams = '', active = 1
                    """,
                arguments: [worker, Role.server.rawValue])
            try db.execute(
                sql: """
                    INSERT INTO devices (id, worker, replica, public_key, token_hash, enrolled_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    candidate.device.description, worker, candidate.replica.description, registration.publicKey,
                    Data(registration.tokenHash), candidate.createdAt, Int64.max,
                ])
            try db.execute(
                sql: "INSERT INTO server_identity (singleton, replica, device, private_key, created_at) VALUES (1, ?, ?, ?, ?)",
                arguments: [
                    candidate.replica.description, candidate.device.description, Data(candidate.privateKey),
                    candidate.createdAt,
                ])
            return candidate
        }
    }

    public func replicaHead(_ replica: ReplicaID) async throws -> ReplicaHead? {
        try await pool.read { db in
            let statement = try db.cachedStatement(
                sql: "SELECT counter, hash, body FROM operations WHERE replica = ? ORDER BY counter DESC LIMIT 1")
            guard let row = try Row.fetchOne(statement, arguments: [replica.description]) else { return nil }
            let operation = try CareModel.Operation(canonicalBytes: (row[2] as Data).byteArray)
            return ReplicaHead(
                counter: UInt64(row[0] as Int64), hash: try Self.operationHash(row[1]), timestamp: operation.timestamp)
        }
    }

    /// Reads through the visit or owner index, whichever the record's index
    /// entry names, so that no index on the record column has to slow ingest.
    public func operations(on record: RecordRef) async throws -> [CareModel.Operation] {
        try await pool.read { db in
            guard
                let entry = try Row.fetchOne(
                    db, sql: "SELECT visit, owner FROM records WHERE kind = ? AND id = ?",
                    arguments: [record.kind.rawValue, record.id.description])
            else { return [] }
            let (column, key): (String, String) =
                if let visit = entry[0] as String? { ("visit", visit) } else { ("owner", entry[1]) }
            let bodies = try Data.fetchAll(
                db,
                sql: "SELECT body FROM operations WHERE \(column) = ? AND kind = ? AND record = ? ORDER BY sequence",
                arguments: [key, record.kind.rawValue, record.id.description])
            return try bodies.map { try CareModel.Operation(canonicalBytes: $0.byteArray) }
        }
    }
}
