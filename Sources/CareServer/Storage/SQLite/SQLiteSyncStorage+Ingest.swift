public import CareModel
import Foundation
import CareSQLite
import GRDB

extension SQLiteSyncStorage {
    /// Stores the batch with the others pushed meanwhile, as one group
    /// (``GroupCommit``): one write transaction reads each batch's snapshot in
    /// turn (which sees the batches before it in the group), plans it and
    /// writes it, and commits once, so the group shares one sync of the WAL;
    /// the WAL is then checkpointed off the writer's path
    /// (``SQLiteCheckpointer``). Each push is answered only after that
    /// commit. If a group's transaction fails, each of its batches is tried
    /// again alone, so that one batch's failure is its own.
    public func ingest(_ batch: IngestBatch, planner: IngestPlanner) async throws -> IngestPlan {
        try await ingestGroups.submit(PendingIngest(batch: batch, planner: planner)) { group in
            let plans = try await self.pool.write { db in
                try group.map { pending in
                    let plan = pending.planner.plan(pending.batch, snapshot: try Self.snapshot(for: pending.batch, in: db))
                    try Self.write(plan, in: db)
                    return plan
                }
            }
            await self.checkpointer?.request()
            return plans
        }
    }

    /// Reads what the planner needs, with cached prepared statements run
    /// through SQLite's C API (`CareSQLite`): one point lookup per referenced
    /// record and visit, under the ingest lock.
    static func snapshot(for batch: IngestBatch, in db: Database) throws -> IngestSnapshot {
        let replica = SQLArgument.text(batch.replica.description)
        let replicaHead = try db.firstRow(
            "SELECT counter, hash FROM operations WHERE replica = ? ORDER BY counter DESC LIMIT 1", [replica]
        ) { row in (counter: UInt64(row.int(0)), hash: try operationHash(row.blob(1))) }

        var stored: [UInt64: IngestSnapshot.StoredOperation] = [:]
        if let range = batch.storedCountersNeeded(lastStored: replicaHead?.counter ?? 0) {
            try db.forEachRow(
                """
                SELECT counter, hash, sequence, received_at FROM operations
                WHERE replica = ? AND counter BETWEEN ? AND ?
                """, [replica, .int(Int64(range.lowerBound)), .int(Int64(range.upperBound))]
            ) { row in
                stored[UInt64(row.int(0))] = IngestSnapshot.StoredOperation(
                    hash: try operationHash(row.blob(1)), sequence: UInt64(row.int(2)), receivedAt: row.int(3))
            }
        }

        var records: [RecordRef: RecordEntry] = [:]
        for ref in batch.referencedRecords {
            let entry = try db.firstRow(
                "SELECT visit, team, owner, created_at FROM records WHERE kind = ? AND id = ?",
                [.text(ref.kind.rawValue), .text(ref.id.description)]
            ) { row in
                RecordEntry(
                    ref: ref, visit: row.text(orNull: 0).flatMap(RecordID.init), team: row.text(orNull: 1).flatMap(TeamID.init),
                    owner: WorkerID(unchecked: row.text(orNull: 2) ?? ""), createdAt: UInt64(row.int(3)))
            }
            records[ref] = entry
        }

        // The visits of the records found: a visit's own row names itself. A
        // visit not in the record index has no access rows either (they are
        // granted by its stored operations), so it is not looked up.
        let visits = Set(records.values.compactMap(\.visit))
        var assignedVisits: Set<RecordID> = []
        let worker = SQLArgument.text(batch.worker.id.rawValue)
        for visit in visits
        where try db.firstRow("SELECT 1 FROM visit_access WHERE visit = ? AND worker = ?", [.text(visit.description), worker], { _ in true }) != nil {
            assignedVisits.insert(visit)
        }

        let logHead =
            try db.firstRow("SELECT sequence, server_hash FROM operations ORDER BY sequence DESC LIMIT 1") { row in
                LogHead(sequence: UInt64(row.int(0)), serverHash: row.blob(1))
            } ?? .empty
        return IngestSnapshot(
            replicaHead: replicaHead, stored: stored, records: records, assignedVisits: assignedVisits,
            logHead: logHead)
    }

    /// Writes a plan with cached prepared statements run through SQLite's C
    /// API (no record types, no GRDB arguments on this path).
    static func write(_ plan: IngestPlan, in db: Database) throws {
        for row in plan.operations {
            try db.run(
                """
                INSERT INTO operations (sequence, replica, counter, kind, record, author, device, visit, team,
                    owner, received_at, hash, server_hash, body)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    .int(Int64(row.sequence)), .text(row.id.replica.description), .int(Int64(row.id.counter)),
                    .text(row.record.kind.rawValue), .text(row.record.id.description), .text(row.author.rawValue),
                    .text(row.device.description), .text(orNull: row.visit?.description), .text(orNull: row.team?.rawValue),
                    .text(row.owner.rawValue), .int(row.receivedAt), .blob(row.hash.bytes), .blob(row.serverHash),
                    .blob(row.body),
                ])
        }
        for entry in plan.newRecords {
            try db.run(
                "INSERT INTO records (kind, id, visit, team, owner, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    .text(entry.ref.kind.rawValue), .text(entry.ref.id.description), .text(orNull: entry.visit?.description),
                    .text(orNull: entry.team?.rawValue), .text(entry.owner.rawValue), .int(Int64(entry.createdAt)),
                ])
        }
        for signature in plan.signatures {
            try db.run(
                """
                INSERT OR IGNORE INTO chain_signatures (replica, counter, head, signature, received_at)
                VALUES (?, ?, ?, ?, ?)
                """,
                [
                    .text(signature.replica.description), .int(Int64(signature.counter)), .blob(signature.head.bytes),
                    .text(signature.signature), .int(signature.receivedAt),
                ])
        }
        if !plan.workflowIndex.isEmpty {
            try write(plan.workflowIndex, in: db)
        }
        for entry in plan.quarantined {
            try db.run(
                """
                INSERT OR IGNORE INTO quarantine (replica, counter, digest, device, worker, kind, record, visit, team,
                    code, message, received_at, body)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    .text(entry.id.replica.description), .int(Int64(entry.id.counter)), .blob(entry.digest),
                    .text(entry.device.description), .text(entry.worker.rawValue), .text(entry.record.kind.rawValue),
                    .text(entry.record.id.description), .text(orNull: entry.visit?.description),
                    .text(orNull: entry.team?.rawValue), .text(entry.code), .text(entry.message), .int(entry.receivedAt),
                    .blob(entry.body),
                ])
        }
        for grant in plan.grants {
            try db.run(
                "INSERT OR IGNORE INTO visit_access (visit, worker, granted_at) VALUES (?, ?, ?)",
                [.text(grant.visit.description), .text(grant.worker.rawValue), .int(Int64(grant.grantedAt))])
        }
    }

    static func operationHash(_ value: DatabaseValue) throws -> OperationHash {
        try operationHash(Data.fromDatabaseValue(value)?.byteArray ?? [])
    }

    static func operationHash(_ bytes: [UInt8]) throws -> OperationHash {
        guard let hash = OperationHash(bytes: bytes) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "an operation hash is not 32 bytes")
        }
        return hash
    }
}
