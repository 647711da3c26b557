public import CareModel
import GRDB

extension CareStore {
    /// Files an abuse report; returns its new id. Its operation goes up in the
    /// very next upload batch (see ``nextUploadBatch(limit:)``).
    @discardableResult
    public func fileAbuseReport(_ draft: AbuseReportDraft) async throws(CareStoreError) -> WriteReceipt {
        try await commitLocal { _, context in
            PlannedChange(
                record: RecordRef(kind: .abuseReport, id: context.newRecordID()), action: .create,
                changes: draft.changes)
        }
    }

    /// Adds a supplement to the worker's own report (the statement itself never changes).
    @discardableResult
    public func addSupplement(report: RecordID, text: String) async throws(CareStoreError) -> WriteReceipt {
        try await appendToReport(report, AbuseReport.Field.supplements, ["text": .string(text)])
    }

    /// Safeguarding lead: acknowledges a report (status `acknowledged`).
    @discardableResult
    public func acknowledgeAbuseReport(_ report: RecordID) async throws(CareStoreError) -> WriteReceipt {
        try await changeAbuseReportStatus(report, to: "acknowledged")
    }

    /// Safeguarding lead: moves a report's status forward (one of
    /// ``AbuseReport/statuses``). A status at or before the current one is
    /// refused with ``CareStoreError/Code/invalidTransition``: status only moves forward.
    @discardableResult
    public func changeAbuseReportStatus(
        _ report: RecordID, to status: String
    ) async throws(CareStoreError) -> WriteReceipt {
        let ref = RecordRef(kind: .abuseReport, id: report)
        return try await commitLocal { db, context in
            let state = try context.existingState(ref, db)
            let current = state[AbuseReport.Field.status]?.stringValue ?? AbuseReport.statuses[0]
            if let from = AbuseReport.statuses.firstIndex(of: current),
                let to = AbuseReport.statuses.firstIndex(of: status), to <= from
            {
                throw CareStoreError(
                    .invalidTransition, "a report's status only moves forward (it is \(current), not \(status))")
            }
            return PlannedChange(
                record: ref, action: .update, changes: [.set(AbuseReport.Field.status, .string(status))])
        }
    }

    /// Safeguarding lead: adds a note to the report's safeguarding stream.
    @discardableResult
    public func addSafeguardingNote(report: RecordID, text: String) async throws(CareStoreError) -> WriteReceipt {
        try await appendToReport(report, AbuseReport.Field.safeguardingNotes, ["text": .string(text)])
    }

    /// Safeguarding lead: records an action taken.
    @discardableResult
    public func recordSafeguardingAction(report: RecordID, action: String) async throws(CareStoreError) -> WriteReceipt {
        try await appendToReport(report, AbuseReport.Field.actionsTaken, ["action": .string(action)])
    }

    private func appendToReport(
        _ report: RecordID, _ field: String, _ entry: [String: Value]
    ) async throws(CareStoreError) -> WriteReceipt {
        let ref = RecordRef(kind: .abuseReport, id: report)
        return try await commitLocal { db, context in
            _ = try context.existingState(ref, db)
            return PlannedChange(record: ref, action: .update, changes: [.append(field, .object(entry))])
        }
    }
}
