public import CareModel
import GRDB

extension CareStore {
    /// Records that the worker arrived at `visit`, at the device's current time.
    ///
    /// The visit must be on the device and the worker assigned to it (or already
    /// related to it by evidence). A check-in on a cancelled or missed visit is
    /// kept and flags the visit for review.
    @discardableResult
    public func checkIn(visit: RecordID, _ evidence: AttendanceEvidence) async throws(CareStoreError) -> WriteReceipt {
        try await recordAttendance(Visit.Field.checkIns, visit: visit, evidence)
    }

    /// Records that the worker left `visit`, at the device's current time.
    @discardableResult
    public func checkOut(visit: RecordID, _ evidence: AttendanceEvidence) async throws(CareStoreError) -> WriteReceipt {
        try await recordAttendance(Visit.Field.checkOuts, visit: visit, evidence)
    }

    /// Records the tasks done at `visit`, in one operation.
    @discardableResult
    public func recordTasksDone(visit: RecordID, _ tasks: [TaskDone]) async throws(CareStoreError) -> WriteReceipt {
        guard !tasks.isEmpty else { throw CareStoreError(.invalidArgument, "no tasks given") }
        let ref = RecordRef(kind: .visit, id: visit)
        return try await commitLocal { db, context in
            _ = try context.existingState(ref, db)
            return PlannedChange(
                record: ref, action: .update, changes: tasks.map { .append(Visit.Field.tasksDone, $0.value) })
        }
    }

    private func recordAttendance(
        _ field: String, visit: RecordID, _ evidence: AttendanceEvidence
    ) async throws(CareStoreError) -> WriteReceipt {
        let ref = RecordRef(kind: .visit, id: visit)
        return try await commitLocal { db, context in
            _ = try context.existingState(ref, db)
            return PlannedChange(
                record: ref, action: .update, changes: [.append(field, evidence.value(at: context.now))])
        }
    }
}
