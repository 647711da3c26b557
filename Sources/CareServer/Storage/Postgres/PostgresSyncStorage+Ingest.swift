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

    /// Everything the planner needs, in one statement (one round trip while the
    /// ingest lock is held): the replica's head, its stored operations the batch
    /// needs, the log head, the index entries of the records the batch touches,
    /// and which of the batch's visits the worker is or was assigned to. Each row
    /// says which of these it is in `part`.
    ///
    /// The stored operations are read over the whole range the batch could
    /// need (from before its first counter to its last): rows beyond the
    /// replica's head do not exist, so this is what
    /// ``IngestBatch/storedCountersNeeded(lastStored:)`` asks for.
    private func snapshot(for batch: IngestBatch, on connection: PostgresConnection) async throws -> IngestSnapshot {
        let replica = batch.replica.description
        let counters = batch.operations.map(\.id.counter)
        let (low, high) = (Int64(max(counters.min() ?? 1, 1) - 1), Int64(counters.max() ?? 0))
        let refs = Array(batch.referencedRecords)
        let (kinds, ids) = (refs.map(\.kind.rawValue), refs.map(\.id.description))
        let batchVisits = batch.operations.filter { $0.record.kind == .visit }.map(\.record.id.description)

        var replicaHead: (counter: UInt64, hash: OperationHash)?
        var stored: [UInt64: IngestSnapshot.StoredOperation] = [:]
        var logHead = LogHead.empty
        var records: [RecordRef: RecordEntry] = [:]
        var assignedVisits: Set<RecordID> = []
        let rows = try await connection.query(
            """
            WITH found AS (
                SELECT r.kind, r.id, r.visit, r.team, r.owner, r.created_at
                FROM unnest(\(kinds)::text[], \(ids)::text[]) AS wanted(kind, id)
                JOIN records r ON r.kind = wanted.kind AND r.id = wanted.id
            )
            (SELECT 'replica_head', counter, NULL::bigint, NULL::bigint, hash, NULL, NULL, NULL, NULL, NULL
                FROM operations WHERE replica = \(replica) ORDER BY counter DESC LIMIT 1)
            UNION ALL
            SELECT 'stored', counter, sequence, received_at, hash, NULL, NULL, NULL, NULL, NULL FROM operations
                WHERE replica = \(replica) AND counter BETWEEN \(max(low, 1)) AND \(high)
            UNION ALL
            (SELECT 'log_head', sequence, NULL, NULL, server_hash, NULL, NULL, NULL, NULL, NULL FROM operations
                ORDER BY sequence DESC LIMIT 1)
            UNION ALL
            SELECT 'record', created_at, NULL, NULL, NULL, kind, id, visit, team, owner FROM found
            UNION ALL
            SELECT 'assigned', NULL, NULL, NULL, NULL, NULL, NULL, visit, NULL, NULL FROM visit_access
                WHERE worker = \(batch.worker.id.rawValue)
                AND visit IN (SELECT visit FROM found WHERE visit IS NOT NULL UNION ALL SELECT unnest(\(batchVisits)::text[]))
            """, logger: logger)
        for try await (part, number, sequence, receivedAt, bytes, kind, id, visit, team, owner) in rows.decode(
            (String, Int64?, Int64?, Int64?, ByteBuffer?, String?, String?, String?, String?, String?).self)
        {
            switch part {
            case "replica_head":
                replicaHead = (UInt64(number ?? 0), try Self.operationHash(bytes ?? ByteBuffer()))
            case "stored":
                stored[UInt64(number ?? 0)] = IngestSnapshot.StoredOperation(
                    hash: try Self.operationHash(bytes ?? ByteBuffer()), sequence: UInt64(sequence ?? 0),
                    receivedAt: receivedAt ?? 0)
            case "log_head":
                logHead = LogHead(sequence: UInt64(number ?? 0), serverHash: bytes?.byteArray ?? [])
            case "record":
                guard let kind, let id = id.flatMap(RecordID.init), let owner else { continue }
                let ref = RecordRef(kind: RecordKind(rawValue: kind), id: id)
                records[ref] = RecordEntry(
                    ref: ref, visit: visit.flatMap(RecordID.init), team: team.flatMap(TeamID.init),
                    owner: WorkerID(unchecked: owner), createdAt: UInt64(number ?? 0))
            default:
                if let visit = visit.flatMap(RecordID.init) { assignedVisits.insert(visit) }
            }
        }
        return IngestSnapshot(
            replicaHead: replicaHead, stored: stored, records: records, assignedVisits: assignedVisits,
            logHead: logHead)
    }

    /// Writes a plan in one statement (one round trip while the ingest lock is
    /// held): an `INSERT ... SELECT FROM unnest(...)` per table, the first three
    /// as data-modifying `WITH` parts, which PostgreSQL runs exactly once each
    /// whether or not anything refers to them. Empty arrays insert nothing.
    /// Nullable text columns travel as `''` (no id is empty).
    /// Quarantined operations (rare) are one more statement, only when there are some.
    private func write(_ plan: IngestPlan, on connection: PostgresConnection) async throws {
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

        let rows = plan.operations
        let signatures = plan.signatures
        let entries = plan.newRecords
        // A worker keeps the first grant of a visit: drop later ones of the batch
        // here, earlier stored ones by ON CONFLICT.
        var seen: Set<VisitGrant.Key> = []
        let grants = plan.grants.filter { seen.insert($0.key).inserted }
        guard !(rows.isEmpty && signatures.isEmpty && entries.isEmpty && grants.isEmpty) else { return }
        try await connection.query(
            """
            WITH logged AS (
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
            ), signed AS (
                -- The first signature of a (replica, counter) is kept, as on SQLite.
                INSERT INTO chain_signatures (replica, counter, head, signature, received_at)
                SELECT * FROM unnest(
                    \(signatures.map(\.replica.description))::text[], \(signatures.map { Int64($0.counter) })::bigint[],
                    \(signatures.map { ByteBuffer(bytes: $0.head.bytes) })::bytea[], \(signatures.map(\.signature))::text[],
                    \(signatures.map(\.receivedAt))::bigint[]
                )
                ON CONFLICT (replica, counter) DO NOTHING
            ), indexed AS (
                INSERT INTO records (kind, id, visit, team, owner, created_at)
                SELECT kind, id, NULLIF(visit, ''), NULLIF(team, ''), owner, created_at
                FROM unnest(
                    \(entries.map(\.ref.kind.rawValue))::text[], \(entries.map(\.ref.id.description))::text[],
                    \(entries.map { $0.visit?.description ?? "" })::text[], \(entries.map { $0.team?.rawValue ?? "" })::text[],
                    \(entries.map(\.owner.rawValue))::text[], \(entries.map { Int64($0.createdAt) })::bigint[]
                ) AS batch(kind, id, visit, team, owner, created_at)
            )
            INSERT INTO visit_access (visit, worker, granted_at)
            SELECT * FROM unnest(
                \(grants.map(\.visit.description))::text[], \(grants.map(\.worker.rawValue))::text[],
                \(grants.map { Int64($0.grantedAt) })::bigint[])
            ON CONFLICT (visit, worker) DO NOTHING
            """, logger: logger)
        // The schedule index and report deadlines: a second statement, only for
        // batches that write a field the care workflows read.
        if !plan.workflowIndex.isEmpty {
            try await write(plan.workflowIndex, on: connection)
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
