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
        let store = try await Fixture.open(folder, environment: TestEnvironment(seed: seed))
        var run = ConvergenceRun(store: store, seed: seed)
        for step in 0..<48 { try await run.step(step) }
        try await run.deliverEverything()
        #expect(try await store.verify().isConsistent, "seed \(seed)")
    }
}

/// One random run: the office and a colleague write ops the server delivers in
/// random pages, while the worker acts on the store.
struct ConvergenceRun {
    let store: CareStore
    let seed: UInt64
    var random: SplitMix64
    var office = RemoteReplica("office-1", number: 1)
    var colleague = RemoteReplica(Fixture.otherWorker.rawValue, number: 2)
    var undelivered: [CareModel.Operation] = []
    var delivered: [CareModel.Operation] = []
    var officeVisits: [RecordID] = []
    var myNotes: [RecordID] = []
    var myReports: [RecordID] = []
    var colleagueNotes: [RecordID] = []
    var nextID: UInt64 = 1_000

    init(store: CareStore, seed: UInt64) {
        self.store = store
        self.seed = seed
        random = SplitMix64(seed: 0xC0FFEE &+ seed)
    }

    mutating func pick<T>(_ items: [T]) -> T? {
        items.isEmpty ? nil : items[Int(random.next() % UInt64(items.count))]
    }

    mutating func newID() -> RecordID {
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

    mutating func step(_ step: Int) async throws {
        switch random.next() % 8 {
        case 0: try officeCreatesVisit(step)
        case 1: try officeChangesPlan(step)
        case 2: try colleagueActs(step)
        case 3, 4, 5: try await workerActs(step)
        case 6: try await deliverPage(step)
        default: try await othersHearFromServer()
        }
    }

    mutating func officeCreatesVisit(_ step: Int) throws {
        let id = newID()
        let assigned = random.next() % 4 == 0 ? [Fixture.otherWorker] : [Fixture.worker, Fixture.otherWorker]
        undelivered.append(try office.createVisit(id, start: Fixture.day + Int64(step) * 600_000, assigned: assigned))
        officeVisits.append(id)
    }

    mutating func officeChangesPlan(_ step: Int) throws {
        guard let visit = pick(officeVisits) else { return }
        let change: Change
        switch random.next() % 4 {
        case 0: change = .set(Visit.Field.cancelled, true)
        case 1: change = .set(Visit.Field.markedMissed, true)
        case 2: change = .set(Visit.Field.assignedWorkers, [.string(Fixture.otherWorker.rawValue)])
        default: change = .set(Visit.Field.riskFlag, .string("flag \(step)"))
        }
        undelivered.append(try office.write(RecordRef(kind: .visit, id: visit), .update, [change]))
    }

    /// The colleague acts on a visit it has seen (from the server).
    mutating func colleagueActs(_ step: Int) throws {
        let colleagueView = colleague.view
        let seen = officeVisits.filter { colleagueView[RecordRef(kind: .visit, id: $0)]?.isCreated == true }
        guard let visit = pick(seen) else { return }
        let choice = random.next() % 3
        if choice == 0 {
            undelivered.append(
                try colleague.write(
                    RecordRef(kind: .visit, id: visit), .update,
                    [.append(Visit.Field.checkIns, ["time": .int(Fixture.day), "method": "manual"])]))
        } else if choice == 1, let note = pick(colleagueNotes) {
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
    }

    mutating func workerActs(_ step: Int) async throws {
        let known = try await store.visits(scheduledFrom: 0, to: .max).map(\.id)
        guard let visit = pick(known) else { return }
        let before = try await store.canonicalState()
        let choice = random.next() % 9
        let note = pick(myNotes)
        let report = pick(myReports)
        do {
            switch choice {
            case 0: try await store.checkIn(visit: visit, AttendanceEvidence(method: .nfc))
            case 1: try await store.checkOut(visit: visit, AttendanceEvidence(method: .manual))
            case 2: try await store.recordTasksDone(visit: visit, [TaskDone(task: "meal")])
            case 4 where note != nil: try await store.amendNote(note!, text: "amend \(step)")
            case 5 where note != nil: try await store.markNoteEnteredInError(note!, reason: "mistake")
            case 6: try await store.logMissedCall(visit: visit, reason: "declined")
            case 7 where report != nil: try await store.addSupplement(report: report!, text: "more \(step)")
            case 8:
                let receipt = try await store.fileAbuseReport(
                    AbuseReportDraft(
                        visit: visit, incidentKind: "verbal", occurredAt: Fixture.day,
                        involved: [.init(relationship: "visitor")], statement: "s", severity: 1))
                myReports.append(receipt.record.id)
            default:
                myNotes.append(try await store.addNote(visit: visit, text: "note \(step)").record.id)
            }
        } catch {
            // Reassigned away from the worker: refused, and nothing changed.
            #expect(error.code.rawValue == "access_denied", "seed \(seed): \(error)")
            #expect(try await store.canonicalState() == before, "seed \(seed)")
        }
    }

    /// The server delivers a page: some new ops, in any order, with repeats.
    mutating func deliverPage(_ step: Int) async throws {
        var page: [CareModel.Operation] = []
        var kept: [CareModel.Operation] = []
        for operation in undelivered {
            if random.next() % 3 != 0 { page.append(operation) } else { kept.append(operation) }
        }
        undelivered = kept
        for _ in 0..<Int(random.next() % 3) {
            if let old = pick(delivered) { page.append(old) }
        }
        page.shuffle(using: &random)
        delivered += page
        try await store.applyRemote(page, cursor: UInt64(step))
        try await checkAgainstReducer("after page at step \(step)")
    }

    /// The other replicas hear from the server: some of what was delivered, and the worker's ops.
    mutating func othersHearFromServer() async throws {
        let local = try await store.localOperations(limit: 100_000).map(\.operation)
        var heard: [CareModel.Operation] = []
        for operation in delivered + local where random.next() % 2 == 0 { heard.append(operation) }
        try office.see(heard)
        try colleague.see(heard)
    }

    mutating func deliverEverything() async throws {
        delivered += undelivered
        try await store.applyRemote(undelivered.reversed(), cursor: 999)
        undelivered = []
        try await checkAgainstReducer("at the end")
    }
}
