import CareModel
import CareSQLite
import Foundation
import GRDB

/// The op log table: appending local and received operations, and replaying a
/// record's operations through the model's reducer.
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
            INSERT INTO operation (replica, counter, record_kind, record_id, is_local, previous, hash, body,
                                   acknowledged, stored_at)
            VALUES (?, ?, ?, ?, 1, ?, ?, ?, 0, ?)
            """,
            [
                .text(operation.id.replica.description), .int(counter), .text(kind), .text(id),
                .blob(chained.previous.bytes), .blob(chained.hash.bytes), .blob(chained.canonicalBytes), .int(now),
            ])
        try db.run(
            "INSERT INTO outbox (counter, record_kind, record_id, priority) VALUES (?, ?, ?, ?)",
            [.int(counter), .text(kind), .text(id), .int(operation.record.kind == .abuseReport ? 0 : 1)])
    }

    /// Appends an operation received from the server; false if the log already
    /// had an operation with its dot (duplicates are ignored, as the reducer does).
    static func appendRemote(_ operation: CareModel.Operation, at now: Int64, _ db: Database) throws -> Bool {
        try db.run(
            """
            INSERT INTO operation (replica, counter, record_kind, record_id, is_local, body, acknowledged, stored_at)
            VALUES (?, ?, ?, ?, 0, ?, 1, ?)
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
        let bodies = try Data.fetchAll(
            db.cachedStatement(sql: "SELECT body FROM operation WHERE record_kind = ? AND record_id = ?"),
            arguments: [ref.kind.rawValue, ref.id.description])
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
