public import CareModel
import PostgresNIO

extension PostgresSyncStorage {
    /// Locks `server_identity` for the transaction, so that of several instances
    /// starting at once on a new database exactly one creates the identity and
    /// the others read it.
    public func serverIdentity(creatingIfAbsent candidate: StoredServerIdentity) async throws -> StoredServerIdentity {
        try await inTransaction { connection in
            try await connection.query("LOCK TABLE server_identity IN EXCLUSIVE MODE", logger: logger)
            for try await (replica, device, privateKey, createdAt) in try await connection.query(
                "SELECT replica, device, private_key, created_at FROM server_identity WHERE singleton = 1",
                logger: logger
            ).decode((String, String, ByteBuffer, Int64).self) {
                guard let replica = ReplicaID(replica), let device = DeviceID(device) else {
                    throw ServerError(
                        .internalError, "the server identity's ids are not UUIDs", status: .internalServerError)
                }
                return StoredServerIdentity(
                    replica: replica, device: device, privateKey: privateKey.byteArray, createdAt: createdAt)
            }
            let worker = ServerIdentity.workerID.rawValue
            let registration = candidate.deviceRow
            try await connection.query(
                """
                INSERT INTO workers (id, roles, teams, active) VALUES (\(worker), \(Role.server.rawValue), '', TRUE)
                ON CONFLICT (id) DO UPDATE SET roles = excluded.roles, teams = '', active = TRUE
                """, logger: logger)
            try await connection.query(
                """
                INSERT INTO devices (id, worker, replica, public_key, token_hash, enrolled_at, expires_at)
                VALUES (\(candidate.device.description), \(worker), \(candidate.replica.description),
                    \(registration.publicKey), \(ByteBuffer(bytes: registration.tokenHash)), \(candidate.createdAt),
                    \(Int64.max))
                """, logger: logger)
            try await connection.query(
                """
                INSERT INTO server_identity (singleton, replica, device, private_key, created_at)
                VALUES (1, \(candidate.replica.description), \(candidate.device.description),
                    \(ByteBuffer(bytes: candidate.privateKey)), \(candidate.createdAt))
                """, logger: logger)
            return candidate
        }
    }

    public func replicaHead(_ replica: ReplicaID) async throws -> ReplicaHead? {
        for try await (counter, hash, body) in try await client.query(
            """
            SELECT counter, hash, body FROM operations WHERE replica = \(replica.description)
            ORDER BY counter DESC LIMIT 1
            """, logger: logger
        ).decode((Int64, ByteBuffer, ByteBuffer).self) {
            let operation = try Operation(canonicalBytes: body.byteArray)
            return ReplicaHead(counter: UInt64(counter), hash: try Self.operationHash(hash), timestamp: operation.timestamp)
        }
        return nil
    }

    /// Reads through the visit or owner index, whichever the record's index
    /// entry names, so that no index on the record column has to slow ingest.
    /// One statement for all of `records` (a lateral index scan per record).
    public func operations(on records: [RecordRef]) async throws -> [RecordRef: [Operation]] {
        guard !records.isEmpty else { return [:] }
        let kinds = records.map(\.kind.rawValue)
        let ids = records.map(\.id.description)
        let rows = try await client.query(
            """
            SELECT o.sequence, o.body
            FROM unnest(\(kinds)::text[], \(ids)::text[]) AS wanted(kind, id)
            JOIN records r ON r.kind = wanted.kind AND r.id = wanted.id
            CROSS JOIN LATERAL (
                SELECT sequence, body FROM operations
                    WHERE r.visit IS NOT NULL AND visit = r.visit AND kind = r.kind AND record = r.id
                UNION ALL
                SELECT sequence, body FROM operations
                    WHERE r.visit IS NULL AND owner = r.owner AND kind = r.kind AND record = r.id
            ) AS o
            ORDER BY o.sequence
            """, logger: logger)
        var operations: [RecordRef: [Operation]] = [:]
        for try await (_, body) in rows.decode((Int64, ByteBuffer).self) {
            let operation = try Operation(canonicalBytes: body.byteArray)
            operations[operation.record, default: []].append(operation)
        }
        return operations
    }
}
