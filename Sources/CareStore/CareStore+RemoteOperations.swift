public import CareModel
import GRDB

extension CareStore {
    /// Applies a page of operations pulled from the server and stores its
    /// cursor, in one transaction, so that an interrupted pull resumes where it
    /// stopped.
    ///
    /// Idempotent and order-independent: operations already in the log are
    /// skipped; every record touched gets the model reducer's state over all
    /// of its operations in the log (its cached state with the new operations
    /// applied, or a replay of the log), so the tables equal ``CareState`` over
    /// the log whatever the pages and their order. The cursor never moves back. This device's own
    /// operations coming back are acknowledged by it.
    ///
    /// Refused as a whole, changing nothing, if any operation fails the model's
    /// checks (``CareStoreError/Code/invalidRemoteOperation``) or claims a
    /// counter of this device's replica beyond what it wrote
    /// (``CareStoreError/Code/replicaDiverged``).
    @discardableResult
    public func applyPulledPage(_ page: PullResponse) async throws(CareStoreError) -> PullOutcome {
        try await applyRemote(page.operations, cursor: page.nextCursor)
    }

    /// Applies operations received from the server, storing `cursor` (see
    /// ``applyPulledPage(_:)``).
    @discardableResult
    public func applyRemote(_ operations: [CareModel.Operation], cursor: UInt64) async throws(CareStoreError) -> PullOutcome {
        for (index, operation) in operations.enumerated() {
            let validation = Result { () throws(CareModelError) in try OperationValidator.validate(operation) }
            if case .failure(let error) = validation {
                throw CareStoreError(
                    .invalidRemoteOperation,
                    "operation \(index) of the page fails the model's checks (\(error.code): \(error.message))")
            }
        }
        let environment = self.environment
        let identity = self.identity
        let states = self.states
        return try await write { db in
            let store = try StoreRow.fetch(db, owner: identity)
            guard store.signedOutAt == nil else {
                throw CareStoreError(.signedOut, "the store was signed out; it takes no more data")
            }
            let own = store.identity.replica
            let now = environment.now()
            var replica = store.replica
            var outcome = PullOutcome(applied: 0, duplicates: 0, acknowledgedOwn: 0, clockSkewed: [], cursor: 0)
            var appended: [RecordRef: [CareModel.Operation]] = [:]
            for operation in operations {
                if operation.id.replica == own {
                    guard operation.id.counter <= replica.lastCounter else {
                        throw CareStoreError(
                            .replicaDiverged,
                            "the server holds operation \(operation.id.counter) of this device's replica, which wrote only \(replica.lastCounter)"
                        )
                    }
                    if try Self.acknowledge(Int64(operation.id.counter), sequence: nil, db) {
                        outcome.acknowledgedOwn += 1
                    }
                    outcome.duplicates += 1
                    continue
                }
                if case .tooFarAhead = replica.observe(operation.timestamp, physicalMillis: now) {
                    outcome.clockSkewed.append(operation.id)
                }
                if try OperationLog.appendRemote(operation, at: now, db) {
                    outcome.applied += 1
                    appended[operation.record, default: []].append(operation)
                } else {
                    outcome.duplicates += 1
                }
            }
            var written: [CareState] = []
            for (ref, operations) in appended {
                // The state over the record's operations before this page
                // (cached, or replayed from the log, which then already holds
                // the page's: applying those again changes nothing) plus the
                // page's: the reducer's result for the set the device holds.
                var state = try states.take(ref, db)
                for operation in operations {
                    let applied = Result { () throws(CareModelError) in try state.apply(operation) }
                    if case .failure(let error) = applied {
                        throw CareStoreError(.invalidRemoteOperation, "an operation fails the model's checks (\(error.code))")
                    }
                }
                if let record = state[ref] {
                    try Materializer.write(record, db)
                    written.append(state)
                }
            }
            states.keep(written)
            try db.execute(
                sql: """
                    UPDATE store SET hlc_wall = ?, hlc_logical = ?, pull_cursor = ?, last_sync_at = ?
                    WHERE singleton = 1
                    """,
                arguments: [
                    replica.clock.latest.wallMillis, Int64(replica.clock.latest.logical),
                    Int64(max(cursor, store.pullCursor)), now,
                ])
            outcome.cursor = max(cursor, store.pullCursor)
            return outcome
        }
    }
}
