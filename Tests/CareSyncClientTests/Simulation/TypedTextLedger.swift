import CareModel
import CareStore
import Testing

/// Every piece of text the simulated people typed (and the store accepted),
/// by record: at the end each must be readable on a device allowed to see it.
struct TypedTextLedger: Sendable {
    /// Note texts, and the amendments added to each note.
    private(set) var notes: [RecordID: (text: String, team: String)] = [:]
    /// The notes in the order they were written.
    private(set) var noteOrder: [RecordID] = []
    var amendments: [RecordID: [String]] = [:]
    /// Abuse-report statements and supplements.
    var reports: [RecordID: String] = [:]
    var supplements: [RecordID: [String]] = [:]
    /// Missed-call details, with the visit they are on.
    var missedCalls: [RecordID: (visit: RecordID, details: String)] = [:]

    mutating func addNote(_ id: RecordID, text: String, team: String) {
        notes[id] = (text, team)
        noteOrder.append(id)
    }

    /// Checks every note, amendment and missed call on the auditor's device
    /// (which reads everything) and every report on the safeguarding lead's.
    func expectAllReadable(auditor: CareStore, lead: CareStore) async throws {
        for (id, note) in notes {
            let view = try await auditor.note(id)
            #expect(view?.text == note.text || view?.conflictingTexts.contains(note.text) == true, "note text missing")
            let amended = Set(view?.amendments.map(\.text) ?? [])
            #expect(amended.isSuperset(of: amendments[id] ?? []), "an amendment is missing")
        }
        for (id, statement) in reports {
            let view = try await lead.abuseReport(id)
            #expect(view?.statement == statement, "an abuse report did not reach the safeguarding lead")
            let added = Set(view?.supplements.map(\.text) ?? [])
            #expect(added.isSuperset(of: supplements[id] ?? []), "a supplement is missing")
        }
        for (id, missed) in missedCalls {
            let calls = try await auditor.visit(missed.visit)?.missedCalls ?? []
            #expect(calls.contains { $0.id == id && $0.details == missed.details }, "missed-call details missing")
        }
    }
}
