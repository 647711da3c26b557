import CareModel
import Foundation
import GRDB

/// The change one app action makes: the record, create or update, the changes.
struct PlannedChange: Sendable {
    var record: RecordRef
    var action: Action
    var changes: [Change]
}

/// What a plan may use: the store's row, the time of the write, new ids.
struct WriteContext {
    let store: StoreRow
    /// The device's clock reading for this write (Unix milliseconds).
    let now: Int64
    var random: EnvironmentRandom

    /// A new UUIDv7 record id for this write.
    mutating func newRecordID() -> RecordID {
        RecordID(uuid: UUIDValue.version7(unixMillis: now, using: &random))
    }
}

extension CareStore {
    /// The one path every local write takes, in one transaction: check the store
    /// takes writes, plan the change, replay the record through the reducer for
    /// its causal context, build and seal the operation with the persisted
    /// ``LocalReplica``, check the access policy, append to the op log and the
    /// outbox, save the replica, rewrite the record's tables. Any failure rolls
    /// the whole transaction back: nothing is written, no counter is used up.
    func commitLocal(
        _ plan: @escaping @Sendable (Database, inout WriteContext) throws -> PlannedChange
    ) async throws(CareStoreError) -> WriteReceipt {
        let environment = self.environment
        let policy = self.policy
        return try await write { db in
            let store = try StoreRow.fetch(db)
            guard store.signedOutAt == nil else {
                throw CareStoreError(.signedOut, "the store was signed out; it takes no more writes")
            }
            var context = WriteContext(
                store: store, now: environment.now(), random: EnvironmentRandom(word: environment.randomWord))
            let planned = try plan(db, &context)
            var state = try OperationLog.reduce(planned.record, db)
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
            return WriteReceipt(record: planned.record, operation: chained.operation.id, hash: chained.hash)
        }
    }

    /// Throws ``CareStoreError/Code/recordNotFound`` unless the visit's creating
    /// operation is on this device (it then has a row in `visit`). Cheaper than
    /// ``existingState(_:_:)``: no replay, for writes that only point at a visit.
    static func requireVisit(_ id: RecordID, _ db: Database) throws {
        guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM visit WHERE id = ?)"), arguments: [id.description]) == true
        else {
            throw CareStoreError(.recordNotFound, "no visit with this id is on this device")
        }
    }

    /// Throws ``CareStoreError/Code/recordNotFound`` unless the record's
    /// creating operation is on this device; returns its state.
    static func existingState(_ ref: RecordRef, _ db: Database) throws -> RecordState {
        guard let state = try OperationLog.reduce(ref, db)[ref], state.isCreated else {
            throw CareStoreError(.recordNotFound, "no \(ref.kind) with this id is on this device")
        }
        return state
    }
}
