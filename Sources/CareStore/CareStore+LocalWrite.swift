import CareModel
import CareSQLite
import Foundation
import GRDB

/// The change one app action makes: the record, create or update, the changes.
struct PlannedChange: Sendable {
    var record: RecordRef
    var action: Action
    var changes: [Change]
}

/// What a plan may use: the store's row, the time of the write, new ids, the
/// reduced state of existing records.
struct WriteContext {
    let store: StoreRow
    /// The device's clock reading for this write (Unix milliseconds).
    let now: Int64
    var random: EnvironmentRandom
    let states: RecordStateCache
    /// Records taken from `states` in this transaction (each a one-record
    /// ``CareState``), so that the plan and the write share one lookup.
    var loaded: [RecordRef: CareState] = [:]

    /// The reducer's state of `ref` over the log (empty if no operation touched it).
    mutating func state(_ ref: RecordRef, _ db: Database) throws -> CareState {
        if let state = loaded[ref] { return state }
        let state = try states.take(ref, db)
        loaded[ref] = state
        return state
    }

    /// Throws ``CareStoreError/Code/recordNotFound`` unless the record's
    /// creating operation is on this device; returns its state.
    mutating func existingState(_ ref: RecordRef, _ db: Database) throws -> RecordState {
        guard let state = try state(ref, db)[ref], state.isCreated else {
            throw CareStoreError(.recordNotFound, "no \(ref.kind) with this id is on this device")
        }
        return state
    }

    /// A new UUIDv7 record id for this write.
    mutating func newRecordID() -> RecordID {
        RecordID(uuid: UUIDValue.version7(unixMillis: now, using: &random))
    }
}

extension CareStore {
    /// The one path every local write takes, in one transaction: check the store
    /// takes writes, plan the change, get the record's reduced state for its
    /// causal context (from the ``RecordStateCache``, else replayed from the
    /// log), build and seal the operation with the persisted ``LocalReplica``,
    /// check the access policy, append to the op log and the outbox, save the
    /// replica, rewrite the record's tables, and hand the new state to the cache
    /// for when the transaction commits. Any failure rolls the whole transaction
    /// back: nothing is written, no counter is used up, nothing is cached.
    func commitLocal(
        _ plan: @escaping @Sendable (Database, inout WriteContext) throws -> PlannedChange
    ) async throws(CareStoreError) -> WriteReceipt {
        let environment = self.environment
        let identity = self.identity
        let policy = self.policy
        let states = self.states
        return try await write { db in
            let store = try StoreRow.fetch(db, owner: identity)
            guard store.signedOutAt == nil else {
                throw CareStoreError(.signedOut, "the store was signed out; it takes no more writes")
            }
            var context = WriteContext(
                store: store, now: environment.now(), random: EnvironmentRandom(word: environment.randomWord),
                states: states)
            let planned = try plan(db, &context)
            var state = try context.state(planned.record, db)
            // Ours alone from here on, so the reducer applies in place.
            context.loaded[planned.record] = nil
            let existing = state[planned.record]
            var replica = store.replica
            let chained = try replica.write(
                planned.record, planned.action, planned.changes, context: existing?.version ?? VersionVector(),
                physicalMillis: context.now)
            let relationship = try Relationships.of(
                chained.operation, existing: existing, identity: store.identity, db)
            try policy.authorize(chained.operation, role: store.identity.role, relationship: relationship)
            try state.apply(chained.operation)
            try OperationLog.appendLocal(chained, at: context.now, db)
            try StoreRow.saveReplica(db, replica)
            try Materializer.write(state[planned.record]!, db)
            states.keep([state])
            return WriteReceipt(record: planned.record, operation: chained.operation.id, hash: chained.hash)
        }
    }

    /// Throws ``CareStoreError/Code/recordNotFound`` unless the visit's creating
    /// operation is on this device (it then has a row in `visit`). Cheaper than
    /// ``WriteContext/existingState(_:_:)``, for writes that only point at a visit.
    static func requireVisit(_ id: RecordID, _ db: Database) throws {
        guard try db.firstRow("SELECT 1 FROM visit WHERE id = ?", [.text(id.description)], { _ in true }) == true else {
            throw CareStoreError(.recordNotFound, "no visit with this id is on this device")
        }
    }
}
