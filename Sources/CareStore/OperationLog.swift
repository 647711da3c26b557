import CareModel
import CareSQLite
import Foundation
import GRDB

/// The op log: this device's own operations (`local_operation`, keyed by
/// counter, so appends go to the end of its B-tree) and those received from
/// the server (`received_operation`, keyed by dot); appending to either, and
/// replaying a record's operations through the model's reducer.
enum OperationLog {
    /// Appends an operation this device wrote, sealed in its hash chain, and
    /// queues it for upload.
    static func appendLocal(_ chained: ChainedOperation, at now: Int64, _ db: Database) throws {
        let operation = chained.operation
        let kind = operation.record.kind.rawValue
        let id = operation.record.id.description
        let counter = Int64(operation.id.counter)
        try db.run(
            """
            INSERT INTO local_operation (counter, record_kind, record_id, previous, hash, body, acknowledged, stored_at)
            VALUES (?, ?, ?, ?, ?, ?, 0, ?)
            """,
            [
                .int(counter), .text(kind), .text(id), .blob(chained.previous.bytes), .blob(chained.hash.bytes),
                .blob(chained.canonicalBytes), .int(now),
            ])
        try db.run(
            "INSERT INTO outbox (counter, record_kind, record_id, priority) VALUES (?, ?, ?, ?)",
            [.int(counter), .text(kind), .text(id), .int(operation.record.kind == .abuseReport ? 0 : 1)])
    }

    /// Appends an operation of another replica received from the server; false
    /// if the log already had an operation with its dot (duplicates are ignored,
    /// as the reducer does). The caller handles this device's own operations
    /// coming back: they are in `local_operation` already.
    static func appendRemote(_ operation: CareModel.Operation, at now: Int64, _ db: Database) throws -> Bool {
        try db.run(
            """
            INSERT INTO received_operation (replica, counter, record_kind, record_id, body, stored_at)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (replica, counter) DO NOTHING
            """,
            [
                .text(operation.id.replica.description), .int(Int64(operation.id.counter)),
                .text(operation.record.kind.rawValue), .text(operation.record.id.description),
                .blob(operation.canonicalBytes), .int(now),
            ])
        return db.changesCount > 0
    }

    /// Every operation in the log on `ref`, decoded.
    static func operations(on ref: RecordRef, _ db: Database) throws -> [CareModel.Operation] {
        let kind = ref.kind.rawValue
        let id = ref.id.description
        let bodies = try Data.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT body FROM local_operation WHERE record_kind = ? AND record_id = ?
                    UNION ALL
                    SELECT body FROM received_operation WHERE record_kind = ? AND record_id = ?
                    """),
            arguments: [kind, id, kind, id])
        return try bodies.map(decode)
    }

    /// The reducer's state over every operation in the log on `ref` (empty if
    /// no operation touched it).
    static func reduce(_ ref: RecordRef, _ db: Database) throws -> CareState {
        var state = CareState()
        for operation in try operations(on: ref, db) {
            let applied = Result { () throws(CareModelError) in try state.apply(operation) }
            if case .failure(let error) = applied {
                throw CareStoreError(.corruptDatabase, "the op log holds an invalid operation (\(error.code))")
            }
        }
        return state
    }

    static func decode(_ body: Data) throws -> CareModel.Operation {
        let decoded = body.withUnsafeBytes { bytes in
            Result { () throws(JSONReadError) in try CareModel.Operation(json: bytes) }
        }
        guard case .success(let operation) = decoded else {
            throw CareStoreError(.corruptDatabase, "the op log holds an operation that does not decode")
        }
        return operation
    }
}
