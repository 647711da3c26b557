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
    /// One read transaction for all of `records`, with cached statements.
    public func operations(on records: [RecordRef]) async throws -> [RecordRef: [CareModel.Operation]] {
        try await pool.read { db in
            let entries = try db.cachedStatement(sql: "SELECT visit, owner FROM records WHERE kind = ? AND id = ?")
            let byVisit = try db.cachedStatement(
                sql: "SELECT body FROM operations WHERE visit = ? AND kind = ? AND record = ? ORDER BY sequence")
            let byOwner = try db.cachedStatement(
                sql: "SELECT body FROM operations WHERE owner = ? AND kind = ? AND record = ? ORDER BY sequence")
            var operations: [RecordRef: [CareModel.Operation]] = [:]
            for record in records where operations[record] == nil {
                let kind = record.kind.rawValue
                let id = record.id.description
                guard let entry = try Row.fetchOne(entries, arguments: [kind, id]) else { continue }
                let (statement, key): (Statement, String) =
                    if let visit = entry[0] as String? { (byVisit, visit) } else { (byOwner, entry[1]) }
                let bodies = try Data.fetchAll(statement, arguments: [key, kind, id])
                operations[record] = try bodies.map { try CareModel.Operation(canonicalBytes: $0.byteArray) }
            }
            return operations
        }
    }
}
