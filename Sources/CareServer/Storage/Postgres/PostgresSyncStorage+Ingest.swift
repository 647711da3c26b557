import CareModel
import Foundation
import PostgresNIO

extension PostgresSyncStorage {
    /// Stores the batch with the others pushed to this server meanwhile, as
    /// one group (``GroupCommit``): one transaction takes the ingest lock,
    /// then for each batch in turn reads its snapshot (which sees the batches
    /// before it in the group), plans it and writes it, and commits once.
    ///
    /// The lock is taken first and held until commit, so that across every
    /// server on the database one ingest at a time reads the log head and the
    /// replica's head and appends after them: no operation stored twice, no gap
    /// or reordering in the server chain, and commits in sequence order (see
    /// docs/ARCHITECTURE.md). Grouping pays the lock's round trip and the
    /// commit's flush once per group instead of once per push, while the next
    /// group gathers. If a group's transaction fails, each of its batches is
    /// tried again alone, so that one batch's failure is its own.
    public func ingest(_ batch: IngestBatch, planner: IngestPlanner) async throws -> IngestPlan {
        try await ingestGroups.submit(PendingIngest(batch: batch, planner: planner)) { group in
            try await self.inTransaction { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.ingestLockKey))", logger: self.logger)
                var plans: [IngestPlan] = []
                for pending in group {
                    let snapshot = try await self.snapshot(for: pending.batch, on: connection)
                    let plan = pending.planner.plan(pending.batch, snapshot: snapshot)
                    try await self.write(plan, on: connection)
                    plans.append(plan)
                }
                return plans
            }
        }
    }

    /// Everything the planner needs, in one prepared statement (one round
    /// trip while the ingest lock is held, ``IngestSnapshotStatement``).
    ///
    /// The stored operations are read over the whole range the batch could
    /// need (from before its first counter to its last): rows beyond the
    /// replica's head do not exist, so this is what
    /// ``IngestBatch/storedCountersNeeded(lastStored:)`` asks for.
    private func snapshot(for batch: IngestBatch, on connection: PostgresConnection) async throws -> IngestSnapshot {
        var replicaHead: (counter: UInt64, hash: OperationHash)?
        var stored: [UInt64: IngestSnapshot.StoredOperation] = [:]
        var logHead = LogHead.empty
        var records: [RecordRef: RecordEntry] = [:]
        var assignedVisits: Set<RecordID> = []
        let rows = try await connection.execute(IngestSnapshotStatement(batch), logger: logger)
        for try await (part, number, sequence, receivedAt, bytes, kind, id, visit, team, owner) in rows {
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

    /// Writes a plan in one prepared statement (one round trip while the
    /// ingest lock is held, ``IngestWriteStatement``): the log, the chain
    /// signatures, the record index, the schedule index, the report deadlines
    /// and visit access. Quarantined operations (rare) are one more statement,
    /// only when there are some.
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

        let statement = IngestWriteStatement(plan: plan)
        guard !statement.isEmpty else { return }
        try await connection.execute(statement, logger: logger)
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
