public import CareModel
import GRDB

extension CareStore {
    /// Writes a new note on `visit`; returns the note's new id in the receipt.
    @discardableResult
    public func addNote(visit: RecordID, text: String) async throws(CareStoreError) -> WriteReceipt {
        return try await commitLocal { db, context in
            try Self.requireVisit(visit, db)
            return PlannedChange(
                record: RecordRef(kind: .visitNote, id: context.newRecordID()), action: .create,
                changes: [
                    .set(VisitNote.Field.visit, .string(visit.description)), .set(VisitNote.Field.text, .string(text)),
                ])
        }
    }

    /// Adds an amendment to a note: the original text stays, the amendment is
    /// listed after it. Only the note's author may amend it.
    @discardableResult
    public func amendNote(_ note: RecordID, text: String) async throws(CareStoreError) -> WriteReceipt {
        let ref = RecordRef(kind: .visitNote, id: note)
        return try await commitLocal { db, context in
            _ = try context.existingState(ref, db)
            return PlannedChange(
                record: ref, action: .update,
                changes: [.append(VisitNote.Field.amendments, .object(["text": .string(text)]))])
        }
    }

    /// Marks a note entered in error, with the reason. The note stays readable;
    /// it is never deleted.
    @discardableResult
    public func markNoteEnteredInError(_ note: RecordID, reason: String) async throws(CareStoreError) -> WriteReceipt {
        let ref = RecordRef(kind: .visitNote, id: note)
        return try await commitLocal { db, context in
            _ = try context.existingState(ref, db)
            return PlannedChange(
                record: ref, action: .update,
                changes: [
                    .set(VisitNote.Field.enteredInError, .bool(true)),
                    .set(VisitNote.Field.enteredInErrorReason, .string(reason)),
                ])
        }
    }
}
