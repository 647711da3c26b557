public import CareModel
import GRDB

extension CareStore {
    /// Records that `visit` did not happen, with the reason (one of
    /// ``MissedCall/reasons``) and optional details; returns the new record's id.
    @discardableResult
    public func logMissedCall(
        visit: RecordID, reason: String, details: String? = nil
    ) async throws(CareStoreError) -> WriteReceipt {
        return try await commitLocal { db, context in
            try Self.requireVisit(visit, db)
            var changes: [Change] = [
                .set(MissedCall.Field.visit, .string(visit.description)), .set(MissedCall.Field.reason, .string(reason)),
            ]
            if let details { changes.append(.set(MissedCall.Field.details, .string(details))) }
            return PlannedChange(
                record: RecordRef(kind: .missedCall, id: context.newRecordID()), action: .create, changes: changes)
        }
    }
}
