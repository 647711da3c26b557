import CareModel
import Foundation
import GRDB

/// The result of ``CareStore/verify()``: empty `problems` means consistent.
public struct StoreVerification: Sendable, Hashable {
    /// What `PRAGMA integrity_check` said ("ok" when the file is sound).
    public var integrityCheck: String
    /// Each inconsistency found, described without care content.
    public var problems: [String]
    /// Operations in the log, and of those, this device's own.
    public var operationCount: Int
    public var localOperationCount: Int

    public var isConsistent: Bool { integrityCheck == "ok" && problems.isEmpty }
}

extension CareStore {
    /// Checks the whole store, for diagnostics and crash tests:
    /// - SQLite's `PRAGMA integrity_check`;
    /// - this device's hash chain: counters 1…n without gaps, each link and
    ///   hash recomputed from the stored canonical bytes, the stored replica
    ///   state (counter, head) at the chain's end;
    /// - the outbox holds exactly the unacknowledged local operations;
    /// - no half-applied operation: every record's stored state is byte for
    ///   byte the reducer's state over the record's operations in the log, and
    ///   every created record has its screen row.
    ///
    /// Reads everything: cost grows with the log.
    public func verify() async throws(CareStoreError) -> StoreVerification {
        try await read { db in
            var problems: [String] = []
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ")
            let store = try StoreRow.fetch(db)

            // The local hash chain.
            let local = try Row.fetchAll(
                db,
                sql: """
                    SELECT counter, previous, hash, body, acknowledged, record_kind, record_id FROM local_operation
                    ORDER BY counter
                    """)
            let storedAsReceived = try Int64.fetchAll(
                db, sql: "SELECT counter FROM received_operation WHERE replica = ? ORDER BY counter",
                arguments: [store.identity.replica.description])
            for counter in storedAsReceived {
                problems.append("operation \(counter) of this replica is stored as received")
            }
            var expectedPrevious = OperationHash.genesis
            var unacknowledged: [Int64: String] = [:]
            for (index, row) in local.enumerated() {
                let counter: Int64 = row["counter"]
                if counter != Int64(index + 1) { problems.append("local counters jump to \(counter)") }
                let operation = try OperationLog.decode(row["body"])
                let previous = OperationHash(bytes: Array(row["previous"] as Data? ?? Data()))
                if previous != expectedPrevious { problems.append("operation \(counter) does not link to the one before") }
                let chained = ChainedOperation(operation, after: previous ?? .genesis)
                if chained.canonicalBytes != Array(row["body"] as Data) {
                    problems.append("operation \(counter) is not stored in canonical form")
                }
                if chained.hash.bytes != Array(row["hash"] as Data) {
                    problems.append("operation \(counter) does not match its hash")
                }
                expectedPrevious = chained.hash
                if (row["acknowledged"] as Bool) == false {
                    unacknowledged[counter] = "\(row["record_kind"] as String)/\(row["record_id"] as String)"
                }
            }
            if store.replica.lastCounter != UInt64(local.count) {
                problems.append("the replica's counter is \(store.replica.lastCounter), the log holds \(local.count)")
            }
            if store.replica.head != expectedPrevious {
                problems.append("the replica's stored head is not the hash of its last operation")
            }

            // The outbox against the log.
            var outbox: [Int64: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT counter, record_kind, record_id, priority FROM outbox") {
                let counter: Int64 = row["counter"]
                let kind: String = row["record_kind"]
                outbox[counter] = "\(kind)/\(row["record_id"] as String)"
                if (row["priority"] as Int == 0) != (kind == RecordKind.abuseReport.rawValue) {
                    problems.append("outbox entry \(counter) has the wrong priority")
                }
            }
            if outbox != unacknowledged {
                problems.append(
                    "the outbox (\(outbox.count) entries) differs from the unacknowledged local operations (\(unacknowledged.count))"
                )
            }

            // Every record's state against a replay of its operations.
            let stored = try Row.fetchAll(db, sql: "SELECT kind, id, state FROM record")
            var storedStates: [String: Data] = [:]
            for row in stored { storedStates["\(row["kind"] as String)/\(row["id"] as String)"] = row["state"] }
            let refs = try Row.fetchAll(
                db,
                sql: """
                    SELECT record_kind, record_id FROM local_operation
                    UNION SELECT record_kind, record_id FROM received_operation
                    """)
            if refs.count != stored.count {
                problems.append("\(stored.count) records are stored for \(refs.count) records in the log")
            }
            let screens: [RecordKind: String] = [
                .visit: "visit", .visitNote: "visit_note", .missedCall: "missed_call", .abuseReport: "abuse_report",
            ]
            for row in refs {
                let kind = RecordKind(rawValue: row["record_kind"])
                let id = try Self.recordID(row["record_id"])
                let ref = RecordRef(kind: kind, id: id)
                guard let state = try OperationLog.reduce(ref, db)[ref] else { continue }
                guard let bytes = storedStates["\(ref.kind)/\(ref.id)"] else {
                    problems.append("\(ref.kind) \(ref.id) has operations but no stored state")
                    continue
                }
                if Array(bytes) != state.canonicalBytes {
                    problems.append("\(ref.kind) \(ref.id): stored state differs from the replay of its operations")
                }
                if state.isCreated, let table = screens[kind],
                    try Bool.fetchOne(
                        db, sql: "SELECT EXISTS (SELECT 1 FROM \(table) WHERE id = ?)", arguments: [id.description])
                        != true
                {
                    problems.append("\(ref.kind) \(ref.id) has no screen row")
                }
            }
            let total = try Int.fetchOne(
                db, sql: "SELECT (SELECT count(*) FROM local_operation) + (SELECT count(*) FROM received_operation)") ?? 0
            return StoreVerification(
                integrityCheck: integrity, problems: problems, operationCount: total, localOperationCount: local.count)
        }
    }
}
