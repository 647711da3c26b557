import CareModel
import Foundation
import GRDB

extension CareStore {
    /// Signs the worker out, switches worker or wipes the store.
    ///
    /// Refused with ``CareStoreError/Code/unacknowledgedOperations`` while any
    /// operation waits for the server's acknowledgement ("saved" is not
    /// "synced": signing out offline must not lose a record), unless `force` is
    /// true. Either way the event is written to the store's event log, with the
    /// counters and chain head of what was not acknowledged, and returned.
    ///
    /// Afterwards the store refuses writes and pulls (``CareStoreError/Code/signedOut``).
    /// A wipe also deletes every care record, the op log and the outbox, and
    /// vacuums the file so their content does not linger in free pages.
    @discardableResult
    public func signOut(_ action: SignOutAction = .signOut, force: Bool = false) async throws(CareStoreError) -> StoreEvent {
        let environment = self.environment
        let states = self.states
        let event = try await write { db -> StoreEvent in
            let store = try StoreRow.fetch(db)
            guard store.signedOutAt == nil else {
                throw CareStoreError(.signedOut, "the store is already signed out")
            }
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT count(*) AS pending, count(*) FILTER (WHERE priority = 0) AS abuse,
                           min(counter) AS first, max(counter) AS last
                    FROM outbox
                    """)!
            let pending: Int = row["pending"]
            let abuse: Int = row["abuse"]
            if pending > 0 && !force {
                throw CareStoreError(
                    .unacknowledgedOperations,
                    "\(pending) operation(s) are not yet acknowledged by the server"
                        + (abuse > 0 ? ", \(abuse) of them for abuse reports" : "")
                        + "; sync before you \(action.description.replacingOccurrences(of: "_", with: " ")), or force it")
            }
            let first: Int64? = row["first"]
            let last: Int64? = row["last"]
            let event = StoreEvent(
                action: action, at: environment.now(), forced: pending > 0, worker: store.identity.worker,
                replica: store.identity.replica, unacknowledgedCount: pending,
                unacknowledgedCounters: first.flatMap { first in last.map { UInt64(first)...UInt64($0) } },
                head: store.replica.head)
            try db.execute(
                sql: """
                    INSERT INTO store_event (at, action, forced, worker, replica, unacknowledged_count,
                                             first_unacknowledged, last_unacknowledged, head)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    event.at, action.rawValue, event.forced, event.worker.rawValue, event.replica.description, pending,
                    first, last, Data(event.head.bytes),
                ])
            try db.execute(sql: "UPDATE store SET signed_out_at = ? WHERE singleton = 1", arguments: [event.at])
            if action == .wipe {
                for table in ["local_operation", "received_operation", "outbox", "record", "visit", "visit_worker", "visit_note", "missed_call",
                              "abuse_report"] {
                    try db.execute(sql: "DELETE FROM \(table)")
                }
                // The op log no longer only grows: no cached state may outlive it.
                states.clearOnCommit()
            }
            return event
        }
        if action == .wipe {
            do {
                try await pool.writeWithoutTransaction { db in
                    try db.execute(sql: "VACUUM")
                    try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                }
            } catch {
                throw CareStoreError.wrapping(error)
            }
        }
        return event
    }

    /// The store's sign-out / switch / wipe events, oldest first.
    public func events() async throws(CareStoreError) -> [StoreEvent] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM store_event ORDER BY at, rowid").map { row in
                let first: Int64? = row["first_unacknowledged"]
                let last: Int64? = row["last_unacknowledged"]
                guard let worker = WorkerID(row["worker"] as String), let replica = ReplicaID(row["replica"] as String),
                    let head = OperationHash(bytes: Array(row["head"] as Data))
                else { throw CareStoreError(.corruptDatabase, "a store event does not parse") }
                return StoreEvent(
                    action: SignOutAction(rawValue: row["action"]), at: row["at"], forced: row["forced"],
                    worker: worker, replica: replica, unacknowledgedCount: row["unacknowledged_count"],
                    unacknowledgedCounters: first.flatMap { first in last.map { UInt64(first)...UInt64($0) } },
                    head: head)
            }
        }
    }

    /// Whether the store was signed out (it then refuses writes).
    public func isSignedOut() async throws(CareStoreError) -> Bool {
        try await read { db in try StoreRow.fetch(db).signedOutAt != nil }
    }
}
