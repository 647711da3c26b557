import CareModel
import Foundation
import PostgresNIO

extension PostgresSyncStorage {
    /// Stores the batch with the others pushed to this server meanwhile, as
    /// one group (``GroupCommit``): one transaction takes the ingest lock,
    /// reads one snapshot for the whole group, plans each batch in turn from
    /// it, advanced in memory past the plans before it
    /// (``IngestGroupSnapshot``), writes every plan in one statement, and
    /// commits once: four round trips under the lock whatever the group's
    /// size.
    ///
    /// The lock is taken first and held until commit, so that across every
    /// server on the database one ingest at a time reads the log head and the
    /// replica's head and appends after them: no operation stored twice, no gap
    /// or reordering in the server chain, and commits in sequence order (see
    /// docs/ARCHITECTURE.md). Grouping pays the lock's round trip, the reads,
    /// the writes and the commit's flush once per group instead of once per
    /// push, while the next group gathers. If a group's transaction fails, each
    /// of its batches is tried again alone, so that one batch's failure is its
    /// own.
    public func ingest(_ batch: IngestBatch, planner: IngestPlanner) async throws -> IngestPlan {
        try await ingestGroups.submit(PendingIngest(batch: batch, planner: planner)) { group in
            try await self.inTransaction { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.ingestLockKey))", logger: self.logger)
                var snapshot = try await self.snapshot(for: group.map(\.batch), on: connection)
                let plans = snapshot.plan(group)
                try await self.write(IngestPlan(writing: plans), on: connection)
                return plans
            }
        }
    }

    /// Everything the group's planners need, in one prepared statement (one
    /// round trip while the ingest lock is held, ``IngestGroupSnapshotStatement``).
    ///
    /// The stored operations are read over the whole range each batch could
    /// need (``IngestBatch/snapshotCounters``): rows beyond the replica's head
    /// do not exist, so this is what
    /// ``IngestBatch/storedCountersNeeded(lastStored:)`` asks for.
    private func snapshot(for batches: [IngestBatch], on connection: PostgresConnection) async throws
        -> IngestGroupSnapshot
    {
        var snapshot = IngestGroupSnapshot()
        let rows = try await connection.execute(IngestGroupSnapshotStatement(batches), logger: logger)
        for try await (part, number, sequence, receivedAt, bytes, kind, id, visit, team, owner) in rows {
            switch part {
            case "replica_head":
                guard let replica = id.flatMap(ReplicaID.init) else { continue }
                snapshot.replicaHeads[replica] = (UInt64(number ?? 0), try Self.operationHash(bytes ?? ByteBuffer()))
            case "stored":
                guard let replica = id.flatMap(ReplicaID.init) else { continue }
                snapshot.stored[replica, default: [:]][UInt64(number ?? 0)] = IngestSnapshot.StoredOperation(
                    hash: try Self.operationHash(bytes ?? ByteBuffer()), sequence: UInt64(sequence ?? 0),
                    receivedAt: receivedAt ?? 0)
            case "log_head":
                snapshot.logHead = LogHead(sequence: UInt64(number ?? 0), serverHash: bytes?.byteArray ?? [])
            case "record":
                guard let kind, let id = id.flatMap(RecordID.init), let owner else { continue }
                let ref = RecordRef(kind: RecordKind(rawValue: kind), id: id)
                snapshot.records[ref] = RecordEntry(
                    ref: ref, visit: visit.flatMap(RecordID.init), team: team.flatMap(TeamID.init),
                    owner: WorkerID(unchecked: owner), createdAt: UInt64(number ?? 0))
            default:
                if let visit = visit.flatMap(RecordID.init), let owner {
                    snapshot.access.insert(VisitGrant.Key(visit: visit, worker: WorkerID(unchecked: owner)))
                }
            }
        }
        return snapshot
    }

    /// Writes a plan (a group's, ``IngestPlan/init(writing:)``) in one prepared statement (one round trip while the
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
