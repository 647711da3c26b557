import CareModel
import Foundation
import PostgresNIO

extension PostgresSyncStorage {
    /// One transaction: the ingest lock, the snapshot, the plan, its rows
    /// (one statement per table, arrays unnested), commit.
    ///
    /// The lock is taken first and held until commit, so that across every
    /// server on the database one ingest at a time reads the log head and the
    /// replica's head and appends after them: no operation stored twice, no gap
    /// or reordering in the server chain, and commits in sequence order (see
    /// docs/ARCHITECTURE.md).
    public func ingest(_ batch: IngestBatch, planner: IngestPlanner) async throws -> IngestPlan {
        try await inTransaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.ingestLockKey))", logger: logger)
            let snapshot = try await snapshot(for: batch, on: connection)
            let plan = planner.plan(batch, snapshot: snapshot)
            try await write(plan, on: connection)
            return plan
        }
    }

    private func snapshot(for batch: IngestBatch, on connection: PostgresConnection) async throws -> IngestSnapshot {
        let replica = batch.replica.description
        var replicaHead: (counter: UInt64, hash: OperationHash)?
        for try await (counter, hash) in try await connection.query(
            "SELECT counter, hash FROM operations WHERE replica = \(replica) ORDER BY counter DESC LIMIT 1",
            logger: logger
        ).decode((Int64, ByteBuffer).self) {
            replicaHead = (UInt64(counter), try Self.operationHash(hash))
        }

        var stored: [UInt64: IngestSnapshot.StoredOperation] = [:]
        if let range = batch.storedCountersNeeded(lastStored: replicaHead?.counter ?? 0) {
            let (low, high) = (Int64(range.lowerBound), Int64(range.upperBound))
            for try await (counter, hash, sequence, receivedAt) in try await connection.query(
                """
                SELECT counter, hash, sequence, received_at FROM operations
                WHERE replica = \(replica) AND counter BETWEEN \(low) AND \(high)
                """, logger: logger
            ).decode((Int64, ByteBuffer, Int64, Int64).self) {
                stored[UInt64(counter)] = IngestSnapshot.StoredOperation(
                    hash: try Self.operationHash(hash), sequence: UInt64(sequence), receivedAt: receivedAt)
            }
        }

        var records: [RecordRef: RecordEntry] = [:]
        let refs = Array(batch.referencedRecords)
        let (kinds, ids) = (refs.map(\.kind.rawValue), refs.map(\.id.description))
        for try await (kind, id, visit, team, owner, createdAt) in try await connection.query(
            """
            SELECT r.kind, r.id, r.visit, r.team, r.owner, r.created_at
            FROM unnest(\(kinds)::text[], \(ids)::text[]) AS wanted(kind, id)
            JOIN records r ON r.kind = wanted.kind AND r.id = wanted.id
            """, logger: logger
        ).decode((String, String, String?, String?, String, Int64).self) {
            guard let id = RecordID(id) else { continue }
            let ref = RecordRef(kind: RecordKind(rawValue: kind), id: id)
            records[ref] = RecordEntry(
                ref: ref, visit: visit.flatMap(RecordID.init), team: team.flatMap(TeamID.init),
                owner: WorkerID(unchecked: owner), createdAt: UInt64(createdAt))
        }

        var visits: Set<RecordID> = Set(records.values.compactMap(\.visit))
        for operation in batch.operations where operation.record.kind == .visit {
            visits.insert(operation.record.id)
        }
        var assignedVisits: Set<RecordID> = []
        for try await visit in try await connection.query(
            """
            SELECT visit FROM visit_access
            WHERE worker = \(batch.worker.id.rawValue) AND visit = ANY(\(visits.map(\.description))::text[])
            """, logger: logger
        ).decode(String.self) {
            if let visit = RecordID(visit) { assignedVisits.insert(visit) }
        }

        var logHead = LogHead.empty
        for try await (sequence, serverHash) in try await connection.query(
            "SELECT sequence, server_hash FROM operations ORDER BY sequence DESC LIMIT 1", logger: logger
        ).decode((Int64, ByteBuffer).self) {
            logHead = LogHead(sequence: UInt64(sequence), serverHash: serverHash.byteArray)
        }
        return IngestSnapshot(
            replicaHead: replicaHead, stored: stored, records: records, assignedVisits: assignedVisits,
            logHead: logHead)
    }

    /// Writes a plan: one `INSERT ... SELECT FROM unnest(...)` per table, whatever
    /// the batch size. Nullable text columns travel as `''` (no id is empty).
    private func write(_ plan: IngestPlan, on connection: PostgresConnection) async throws {
        let rows = plan.operations
        if !rows.isEmpty {
            try await connection.query(
                """
                INSERT INTO operations (sequence, replica, counter, kind, record, author, device, visit, team, owner,
                    received_at, hash, server_hash, body)
                SELECT sequence, replica, counter, kind, record, author, device, NULLIF(visit, ''), NULLIF(team, ''),
                    owner, received_at, hash, server_hash, body
                FROM unnest(
                    \(rows.map { Int64($0.sequence) })::bigint[], \(rows.map(\.id.replica.description))::text[],
                    \(rows.map { Int64($0.id.counter) })::bigint[], \(rows.map(\.record.kind.rawValue))::text[],
                    \(rows.map(\.record.id.description))::text[], \(rows.map(\.author.rawValue))::text[],
                    \(rows.map(\.device.description))::text[], \(rows.map { $0.visit?.description ?? "" })::text[],
                    \(rows.map { $0.team?.rawValue ?? "" })::text[], \(rows.map(\.owner.rawValue))::text[],
                    \(rows.map(\.receivedAt))::bigint[], \(rows.map { ByteBuffer(bytes: $0.hash.bytes) })::bytea[],
                    \(rows.map { ByteBuffer(bytes: $0.serverHash) })::bytea[],
                    \(rows.map { ByteBuffer(bytes: $0.body) })::bytea[]
                ) AS batch(sequence, replica, counter, kind, record, author, device, visit, team, owner, received_at,
                    hash, server_hash, body)
                """, logger: logger)
        }
        let signatures = plan.signatures
        if !signatures.isEmpty {
            // The first signature of a (replica, counter) is kept, as on SQLite.
            try await connection.query(
                """
                INSERT INTO chain_signatures (replica, counter, head, signature, received_at)
                SELECT * FROM unnest(
                    \(signatures.map(\.replica.description))::text[], \(signatures.map { Int64($0.counter) })::bigint[],
                    \(signatures.map { ByteBuffer(bytes: $0.head.bytes) })::bytea[], \(signatures.map(\.signature))::text[],
                    \(signatures.map(\.receivedAt))::bigint[]
                )
                ON CONFLICT (replica, counter) DO NOTHING
                """, logger: logger)
        }
        let quarantined = plan.quarantined
        if !quarantined.isEmpty {
            // The same operation pushed again adds no row (the first is kept).
            try await connection.query(
                """
                INSERT INTO quarantine (replica, counter, digest, device, worker, kind, record, visit, team, code,
                    message, received_at, body)
                SELECT replica, counter, digest, device, worker, kind, record, NULLIF(visit, ''), NULLIF(team, ''), code,
                    message, received_at, body
                FROM unnest(
                    \(quarantined.map(\.id.replica.description))::text[], \(quarantined.map { Int64($0.id.counter) })::bigint[],
                    \(quarantined.map { ByteBuffer(bytes: $0.digest) })::bytea[], \(quarantined.map(\.device.description))::text[],
                    \(quarantined.map(\.worker.rawValue))::text[], \(quarantined.map(\.record.kind.rawValue))::text[],
                    \(quarantined.map(\.record.id.description))::text[],
                    \(quarantined.map { $0.visit?.description ?? "" })::text[],
                    \(quarantined.map { $0.team?.rawValue ?? "" })::text[], \(quarantined.map(\.code))::text[],
                    \(quarantined.map(\.message))::text[], \(quarantined.map(\.receivedAt))::bigint[],
                    \(quarantined.map { ByteBuffer(bytes: $0.body) })::bytea[]
                ) AS batch(replica, counter, digest, device, worker, kind, record, visit, team, code, message,
                    received_at, body)
                ON CONFLICT (replica, counter, digest) DO NOTHING
                """, logger: logger)
        }
        let entries = plan.newRecords
        if !entries.isEmpty {
            try await connection.query(
                """
                INSERT INTO records (kind, id, visit, team, owner, created_at)
                SELECT kind, id, NULLIF(visit, ''), NULLIF(team, ''), owner, created_at
                FROM unnest(
                    \(entries.map(\.ref.kind.rawValue))::text[], \(entries.map(\.ref.id.description))::text[],
                    \(entries.map { $0.visit?.description ?? "" })::text[], \(entries.map { $0.team?.rawValue ?? "" })::text[],
                    \(entries.map(\.owner.rawValue))::text[], \(entries.map { Int64($0.createdAt) })::bigint[]
                ) AS batch(kind, id, visit, team, owner, created_at)
                """, logger: logger)
        }
        // A worker keeps the first grant of a visit: drop later ones of the batch
        // here, earlier stored ones by ON CONFLICT.
        var seen: Set<VisitGrant.Key> = []
        let grants = plan.grants.filter { seen.insert($0.key).inserted }
        if !grants.isEmpty {
            try await connection.query(
                """
                INSERT INTO visit_access (visit, worker, granted_at)
                SELECT * FROM unnest(
                    \(grants.map(\.visit.description))::text[], \(grants.map(\.worker.rawValue))::text[],
                    \(grants.map { Int64($0.grantedAt) })::bigint[])
                ON CONFLICT (visit, worker) DO NOTHING
                """, logger: logger)
        }
    }
}

extension VisitGrant {
    /// The visit and worker of a grant: one row of `visit_access`.
    struct Key: Hashable {
        var visit: RecordID
        var worker: WorkerID
    }

    var key: Key { Key(visit: visit, worker: worker) }
}
