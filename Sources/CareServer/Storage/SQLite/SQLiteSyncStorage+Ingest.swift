public import CareModel
import Foundation
import GRDB

extension SQLiteSyncStorage {
    public func ingest(_ batch: IngestBatch, planner: IngestPlanner) async throws -> IngestPlan {
        try await pool.write { db in
            let snapshot = try Self.snapshot(for: batch, in: db)
            let plan = planner.plan(batch, snapshot: snapshot)
            try Self.write(plan, in: db)
            return plan
        }
    }

    /// Reads what the planner needs, with cached prepared statements.
    static func snapshot(for batch: IngestBatch, in db: Database) throws -> IngestSnapshot {
        let replica = batch.replica.description
        var replicaHead: (counter: UInt64, hash: OperationHash)?
        let headStatement = try db.cachedStatement(
            sql: "SELECT counter, hash FROM operations WHERE replica = ? ORDER BY counter DESC LIMIT 1")
        if let row = try Row.fetchOne(headStatement, arguments: [replica]) {
            replicaHead = (UInt64(row[0] as Int64), try operationHash(row[1]))
        }

        var stored: [UInt64: IngestSnapshot.StoredOperation] = [:]
        if let range = batch.storedCountersNeeded(lastStored: replicaHead?.counter ?? 0) {
            let statement = try db.cachedStatement(
                sql: """
                    SELECT counter, hash, sequence, received_at FROM operations
                    WHERE replica = ? AND counter BETWEEN ? AND ?
                    """)
            let rows = try Row.fetchCursor(
                statement, arguments: [replica, Int64(range.lowerBound), Int64(range.upperBound)])
            while let row = try rows.next() {
                stored[UInt64(row[0] as Int64)] = IngestSnapshot.StoredOperation(
                    hash: try operationHash(row[1]), sequence: UInt64(row[2] as Int64), receivedAt: row[3])
            }
        }

        var records: [RecordRef: RecordEntry] = [:]
        let recordStatement = try db.cachedStatement(
            sql: "SELECT visit, team, owner, created_at FROM records WHERE kind = ? AND id = ?")
        for ref in batch.referencedRecords {
            guard let row = try Row.fetchOne(recordStatement, arguments: [ref.kind.rawValue, ref.id.description])
            else { continue }
            records[ref] = RecordEntry(
                ref: ref, visit: (row[0] as String?).flatMap(RecordID.init), team: (row[1] as String?).flatMap(TeamID.init),
                owner: WorkerID(unchecked: row[2]), createdAt: UInt64(row[3] as Int64))
        }

        var visits: Set<RecordID> = Set(records.values.compactMap(\.visit))
        for operation in batch.operations where operation.record.kind == .visit {
            visits.insert(operation.record.id)
        }
        var assignedVisits: Set<RecordID> = []
        let accessStatement = try db.cachedStatement(
            sql: "SELECT 1 FROM visit_access WHERE visit = ? AND worker = ?")
        for visit in visits
        where try Int.fetchOne(accessStatement, arguments: [visit.description, batch.worker.id.rawValue]) != nil {
            assignedVisits.insert(visit)
        }

        var logHead = LogHead.empty
        let logStatement = try db.cachedStatement(
            sql: "SELECT sequence, server_hash FROM operations ORDER BY sequence DESC LIMIT 1")
        if let row = try Row.fetchOne(logStatement) {
            logHead = LogHead(sequence: UInt64(row[0] as Int64), serverHash: (row[1] as Data).byteArray)
        }
        return IngestSnapshot(
            replicaHead: replicaHead, stored: stored, records: records, assignedVisits: assignedVisits,
            logHead: logHead)
    }

    /// Writes a plan with cached prepared statements (no record types on this path).
    static func write(_ plan: IngestPlan, in db: Database) throws {
        if !plan.operations.isEmpty {
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO operations (sequence, replica, counter, kind, record, author, device, visit, team,
                        owner, received_at, hash, server_hash, body)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for row in plan.operations {
                try insert.execute(arguments: [
                    Int64(row.sequence), row.id.replica.description, Int64(row.id.counter), row.record.kind.rawValue,
                    row.record.id.description, row.author.rawValue, row.device.description, row.visit?.description,
                    row.team?.rawValue, row.owner.rawValue, row.receivedAt, Data(row.hash.bytes), Data(row.serverHash),
                    Data(row.body),
                ])
            }
        }
        if !plan.newRecords.isEmpty {
            let insert = try db.cachedStatement(
                sql: "INSERT INTO records (kind, id, visit, team, owner, created_at) VALUES (?, ?, ?, ?, ?, ?)")
            for entry in plan.newRecords {
                try insert.execute(arguments: [
                    entry.ref.kind.rawValue, entry.ref.id.description, entry.visit?.description, entry.team?.rawValue,
                    entry.owner.rawValue, Int64(entry.createdAt),
                ])
            }
        }
        if !plan.signatures.isEmpty {
            let insert = try db.cachedStatement(
                sql: """
                    INSERT OR IGNORE INTO chain_signatures (replica, counter, head, signature, received_at)
                    VALUES (?, ?, ?, ?, ?)
                    """)
            for signature in plan.signatures {
                try insert.execute(arguments: [
                    signature.replica.description, Int64(signature.counter), Data(signature.head.bytes),
                    signature.signature, signature.receivedAt,
                ])
            }
        }
        if !plan.workflowIndex.isEmpty {
            try write(plan.workflowIndex, in: db)
        }
        if !plan.quarantined.isEmpty {
            let insert = try db.cachedStatement(
                sql: """
                    INSERT OR IGNORE INTO quarantine (replica, counter, digest, device, worker, kind, record, visit, team,
                        code, message, received_at, body)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for entry in plan.quarantined {
                try insert.execute(arguments: [
                    entry.id.replica.description, Int64(entry.id.counter), Data(entry.digest), entry.device.description,
                    entry.worker.rawValue, entry.record.kind.rawValue, entry.record.id.description,
                    entry.visit?.description, entry.team?.rawValue, entry.code, entry.message, entry.receivedAt,
                    Data(entry.body),
                ])
            }
        }
        if !plan.grants.isEmpty {
            let insert = try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO visit_access (visit, worker, granted_at) VALUES (?, ?, ?)")
            for grant in plan.grants {
                try insert.execute(arguments: [grant.visit.description, grant.worker.rawValue, Int64(grant.grantedAt)])
            }
        }
    }

    static func operationHash(_ value: DatabaseValue) throws -> OperationHash {
        guard let data = Data.fromDatabaseValue(value), let hash = OperationHash(bytes: data.byteArray) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "an operation hash is not 32 bytes")
        }
        return hash
    }
}
