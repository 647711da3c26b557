public import CareModel
import Foundation
import GRDB

extension CareStore {
    /// The default number of operations in a batch.
    public static let defaultBatchLimit = 100
    /// The most operations a batch may hold, even to reach an abuse report.
    public static let maximumBatchSize = 1_000

    /// The next operations to push, or nil when the server has everything.
    ///
    /// The server takes each replica's operations with contiguous counters, so a
    /// batch always starts at the oldest unacknowledged operation and runs in
    /// counter order; "abuse reports first" cannot mean reordering them. It
    /// means: while an abuse-report operation waits, the batch ends exactly at
    /// the last one (growing past `limit` if needed, up to
    /// ``maximumBatchSize``), so the report travels in the very next, smallest
    /// possible push, ahead of everything written after it, whatever the
    /// backlog size. Otherwise the batch holds up to `limit` operations.
    /// Operations sent before but not acknowledged are sent again (the server
    /// answers "duplicate" for those it has).
    public func nextUploadBatch(limit: Int = CareStore.defaultBatchLimit) async throws(CareStoreError) -> UploadBatch? {
        guard limit >= 1 else { throw CareStoreError(.invalidArgument, "a batch holds at least one operation") }
        let replica = identity.replica
        return try await read { db -> UploadBatch? in
            let bounds = try Row.fetchOne(
                db, sql: "SELECT min(counter) AS first, max(counter) AS last FROM outbox")
            guard let first = bounds?["first"] as Int64?, let lastPending = bounds?["last"] as Int64? else {
                return nil
            }
            let lastAbuse = try Int64.fetchOne(db, sql: "SELECT max(counter) FROM outbox WHERE priority = 0")
            var last = first + Int64(min(limit, Self.maximumBatchSize)) - 1
            if let lastAbuse { last = min(lastAbuse, first + Int64(Self.maximumBatchSize) - 1) }
            last = min(last, lastPending)
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT counter, previous, hash, body FROM local_operation
                    WHERE counter BETWEEN ? AND ? ORDER BY counter
                    """,
                arguments: [first, last])
            var operations: [ChainedOperation] = []
            for row in rows {
                let operation = try OperationLog.decode(row["body"])
                guard let previous = OperationHash(bytes: Array(row["previous"] as Data)) else {
                    throw CareStoreError(.corruptDatabase, "a local operation has no chain link")
                }
                let chained = ChainedOperation(operation, after: previous)
                guard Array(row["hash"] as Data) == chained.hash.bytes else {
                    throw CareStoreError(
                        .corruptDatabase, "local operation \(operation.id.counter) does not match its stored hash")
                }
                operations.append(chained)
            }
            guard operations.count == Int(last - first + 1) else {
                throw CareStoreError(.corruptDatabase, "the op log is missing local operations the outbox names")
            }
            return UploadBatch(
                replica: replica, operations: operations,
                abuseReportCount: operations.count { $0.operation.record.kind == .abuseReport })
        }
    }

    /// Records that `batch` was sent (the operations show as ``SyncState/sent``
    /// until the server answers).
    public func markSent(_ batch: UploadBatch) async throws(CareStoreError) {
        let environment = self.environment
        let range = batch.counters
        try await write { db in
            try db.execute(
                sql: "UPDATE outbox SET sent_at = ?, attempts = attempts + 1 WHERE counter BETWEEN ? AND ?",
                arguments: [environment.now(), Int64(range.lowerBound), Int64(range.upperBound)])
        }
    }

    /// Applies the server's answer to a push, in one transaction: stored and
    /// duplicate operations are acknowledged (with their server sequence) and
    /// leave the outbox; rejected ones stay, marked with the server's code and
    /// message; the `receipts` of acknowledged operations are kept (the caller
    /// checked them against the server's key: the sync engine does, and passes
    /// only the results whose receipts verified). Results for other replicas or
    /// unknown counters are ignored. Applying the same answer twice changes nothing more.
    @discardableResult
    public func applyPushResults(
        _ results: [OperationResult], receipts: [OperationReceipt] = []
    ) async throws(CareStoreError) -> PushOutcome {
        let environment = self.environment
        let replica = identity.replica
        return try await write { db in
            var outcome = PushOutcome(acknowledged: 0, rejected: 0)
            for result in results where result.id.replica == replica {
                let counter = Int64(result.id.counter)
                switch result.status {
                case .stored, .duplicate:
                    if try Self.acknowledge(counter, sequence: result.sequence, db) { outcome.acknowledged += 1 }
                case .rejected:
                    try db.execute(
                        sql: "UPDATE outbox SET rejected_code = ?, rejected_message = ? WHERE counter = ?",
                        arguments: [
                            result.error?.code ?? "rejected", result.error?.message ?? "rejected by the server",
                            counter,
                        ])
                    if db.changesCount > 0 { outcome.rejected += 1 }
                default:
                    break
                }
            }
            try Self.keep(receipts, replica: replica, db)
            if !results.isEmpty {
                try db.execute(sql: "UPDATE store SET last_sync_at = ? WHERE singleton = 1", arguments: [environment.now()])
            }
            return outcome
        }
    }

    /// Acknowledges one local operation; false if it was not waiting.
    static func acknowledge(_ counter: Int64, sequence: UInt64?, _ db: Database) throws -> Bool {
        try db.execute(sql: "DELETE FROM outbox WHERE counter = ?", arguments: [counter])
        let wasPending = db.changesCount > 0
        try db.execute(
            sql: """
                UPDATE local_operation SET acknowledged = 1, server_sequence = coalesce(?, server_sequence)
                WHERE counter = ?
                """,
            arguments: [sequence.map { Int64($0) }, counter])
        return wasPending
    }
}

extension CareStore {
    /// This device's own operations from counter `first` on, in counter order,
    /// at most `limit`: the device's hash chain, for audit export and checks.
    public func localOperations(from first: UInt64 = 1, limit: Int = 1_000) async throws(CareStoreError) -> [ChainedOperation] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT previous, body FROM local_operation WHERE counter >= ? ORDER BY counter LIMIT ?",
                arguments: [Int64(first), limit]
            ).map { row in
                guard let previous = OperationHash(bytes: Array(row["previous"] as Data)) else {
                    throw CareStoreError(.corruptDatabase, "a local operation has no chain link")
                }
                return ChainedOperation(try OperationLog.decode(row["body"]), after: previous)
            }
        }
    }
}
