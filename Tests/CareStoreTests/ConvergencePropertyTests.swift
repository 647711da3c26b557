import CareModel
import Foundation
import Testing

@testable import CareStore

/// The property the store exists for: whatever the interleaving of local
/// actions and remote pages (in any order, split and duplicated), its tables
/// hold exactly the model reducer's state over the operations it holds.
struct ConvergencePropertyTests {
    @Test("materialized state equals CareState after random interleavings", arguments: 0..<16 as Range<UInt64>)
    func materializedEqualsReducer(seed: UInt64) async throws {
        let folder = try TemporaryFolder()
        var random = SeededRandom(seed: 0xC0FFEE &+ seed)
        let store = try await Fixture.open(folder, environment: TestEnvironment(seed: seed))
        var office = RemoteReplica("office-1", number: 1)
        var colleague = RemoteReplica(Fixture.otherWorker.rawValue, number: 2)
        var undelivered: [Operation] = []
        var delivered: [Operation] = []
        var officeVisits: [RecordID] = []
        var myNotes: [RecordID] = []
        var myReports: [RecordID] = []
        var colleagueNotes: [RecordID] = []
        var nextID: UInt64 = 1_000
        var refusals = 0

        func pick<T>(_ items: [T]) -> T? {
            items.isEmpty ? nil : items[Int(random.next() % UInt64(items.count))]
        }
        func newID() -> RecordID {
            nextID += 1
            return Fixture.recordID(nextID)
        }
        func checkAgainstReducer(_ context: String) async throws {
            let local = try await store.localOperations(limit: 100_000).map(\.operation)
            let reference = try CareState(reducing: delivered + local)
            let stored = try await store.canonicalState()
            #expect(stored == reference.canonicalBytes(), "seed \(seed), \(context)")
            for visit in officeVisits {
                guard let state = reference[RecordRef(kind: .visit, id: visit)], state.isCreated else { continue }
                let summary = try await store.visit(visit)?.summary
                #expect(summary?.status == Visit.status(of: state), "seed \(seed), \(context)")
                #expect(summary?.reviewReasons == Visit.openReviewReasons(of: state), "seed \(seed), \(context)")
            }
        }

        for step in 0..<48 {
            switch random.next() % 8 {
            case 0:
                let id = newID()
                let assigned = random.next() % 4 == 0 ? [Fixture.otherWorker] : [Fixture.worker, Fixture.otherWorker]
                undelivered.append(try office.createVisit(id, start: Fixture.day + Int64(step) * 600_000, assigned: assigned))
                officeVisits.append(id)
            case 1:
                guard let visit = pick(officeVisits) else { continue }
                let ref = RecordRef(kind: .visit, id: visit)
                let change: Change =
                    switch random.next() % 4 {
                    case 0: .set(Visit.Field.cancelled, true)
                    case 1: .set(Visit.Field.markedMissed, true)
                    case 2: .set(Visit.Field.assignedWorkers, [.string(Fixture.otherWorker.rawValue)])
                    default: .set(Visit.Field.riskFlag, .string("flag \(step)"))
                    }
                undelivered.append(try office.write(ref, .update, [change]))
            case 2:
                // The colleague acts on a visit it has seen (from the server).
                let seen = officeVisits.filter { colleague.view[RecordRef(kind: .visit, id: $0)]?.isCreated == true }
                guard let visit = pick(seen) else { continue }
                if random.next() % 2 == 0 {
                    undelivered.append(
                        try colleague.write(
                            RecordRef(kind: .visit, id: visit), .update,
                            [.append(Visit.Field.checkIns, ["time": .int(Fixture.day), "method": "manual"])]))
                } else if let note = pick(colleagueNotes), random.next() % 2 == 0 {
                    undelivered.append(
                        try colleague.write(
                            RecordRef(kind: .visitNote, id: note), .update, [.set(VisitNote.Field.text, .string("edit \(step)"))]))
                } else {
                    let note = newID()
                    colleagueNotes.append(note)
                    undelivered.append(
                        try colleague.write(
                            RecordRef(kind: .visitNote, id: note), .create,
                            [.set(VisitNote.Field.visit, .string(visit.description)), .set(VisitNote.Field.text, "by colleague")]))
                }
            case 3, 4, 5:
                let known = try await store.visits(scheduledFrom: 0, to: .max).map(\.id)
                guard let visit = pick(known) else { continue }
                let before = try await store.canonicalState()
                do {
                    switch random.next() % 9 {
                    case 0: try await store.checkIn(visit: visit, AttendanceEvidence(method: .nfc))
                    case 1: try await store.checkOut(visit: visit, AttendanceEvidence(method: .manual))
                    case 2: try await store.recordTasksDone(visit: visit, [TaskDone(task: "meal")])
                    case 3: myNotes.append(try await store.addNote(visit: visit, text: "note \(step)").record.id)
                    case 4:
                        guard let note = pick(myNotes) else { continue }
                        try await store.amendNote(note, text: "amend \(step)")
                    case 5:
                        guard let note = pick(myNotes) else { continue }
                        try await store.markNoteEnteredInError(note, reason: "mistake")
                    case 6: try await store.logMissedCall(visit: visit, reason: "declined")
                    case 7 where !myReports.isEmpty:
                        try await store.addSupplement(report: pick(myReports)!, text: "more \(step)")
                    default:
                        myReports.append(
                            try await store.fileAbuseReport(
                                AbuseReportDraft(
                                    visit: visit, incidentKind: "verbal", occurredAt: Fixture.day,
                                    involved: [.init(relationship: "visitor")], statement: "s", severity: 1)
                            ).record.id)
                    }
                } catch let error as CareStoreError {
                    // Reassigned away from the worker: refused, and nothing changed.
                    #expect(error.code.rawValue == "access_denied", "seed \(seed): \(error)")
                    #expect(try await store.canonicalState() == before, "seed \(seed)")
                    refusals += 1
                }
            case 6:
                // The server delivers a page: some new ops, in any order, with repeats.
                var page: [Operation] = []
                for operation in undelivered where random.next() % 3 != 0 { page.append(operation) }
                undelivered.removeAll { operation in page.contains { $0.id == operation.id } }
                for _ in 0..<Int(random.next() % 3) { if let old = pick(delivered) { page.append(old) } }
                page.shuffle(using: &random)
                delivered += page
                try await store.applyRemote(page, cursor: UInt64(step))
                try await checkAgainstReducer("after page at step \(step)")
            default:
                // The other replicas hear from the server: what was delivered, and the worker's ops.
                let local = try await store.localOperations(limit: 100_000).map(\.operation)
                let heard = (delivered + local).filter { _ in random.next() % 2 == 0 }
                try office.see(heard)
                try colleague.see(heard)
            }
        }
        delivered += undelivered
        try await store.applyRemote(undelivered.reversed(), cursor: 999)
        try await checkAgainstReducer("at the end")
        #expect(try await store.verify().isConsistent, "seed \(seed)")
        _ = refusals
    }
}
