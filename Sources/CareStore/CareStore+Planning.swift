public import CareModel
import GRDB

extension CareStore {
    /// Plans a new visit for the store's team (the office's write: the access
    /// policy gives it to coordinators of that team); returns the visit's new id.
    ///
    /// Refused with ``CareStoreError/Code/invalidArgument`` when the store has
    /// no team, no worker is assigned, or the window ends before it starts.
    @discardableResult
    public func planVisit(
        resident: String, assignedWorkers: [WorkerID], scheduledStart: Int64, scheduledEnd: Int64,
        plannedTasks: [String] = []
    ) async throws(CareStoreError) -> WriteReceipt {
        guard let team = identity.team else {
            throw CareStoreError(.invalidArgument, "the store has no team: only a team's coordinator plans visits")
        }
        guard !assignedWorkers.isEmpty else { throw CareStoreError(.invalidArgument, "no worker assigned") }
        guard scheduledEnd > scheduledStart else {
            throw CareStoreError(.invalidArgument, "the visit ends before it starts")
        }
        return try await commitLocal { _, context in
            var changes: [Change] = [
                .set(Visit.Field.resident, .string(resident)), .set(Visit.Field.team, .string(team.rawValue)),
                .set(Visit.Field.assignedWorkers, Self.workerList(assignedWorkers)),
                .set(Visit.Field.scheduledStart, .int(scheduledStart)),
                .set(Visit.Field.scheduledEnd, .int(scheduledEnd)),
            ]
            if !plannedTasks.isEmpty {
                changes.append(.set(Visit.Field.plannedTasks, .list(plannedTasks.map { .string($0) })))
            }
            return PlannedChange(
                record: RecordRef(kind: .visit, id: context.newRecordID()), action: .create, changes: changes)
        }
    }

    /// Moves `visit` to other workers (the office's write). Evidence already
    /// recorded stays; a check-in by a worker no longer assigned flags the
    /// visit for review.
    @discardableResult
    public func reassignVisit(_ visit: RecordID, to workers: [WorkerID]) async throws(CareStoreError) -> WriteReceipt {
        guard !workers.isEmpty else { throw CareStoreError(.invalidArgument, "no worker assigned") }
        let ref = RecordRef(kind: .visit, id: visit)
        return try await commitLocal { db, context in
            _ = try context.existingState(ref, db)
            return PlannedChange(
                record: ref, action: .update, changes: [.set(Visit.Field.assignedWorkers, Self.workerList(workers))])
        }
    }

    private static func workerList(_ workers: [WorkerID]) -> Value {
        .list(workers.map { .string($0.rawValue) })
    }
}
