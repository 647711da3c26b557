import CareModel
import Testing

/// One test per merge kind, with two replicas writing concurrently.
@Suite("Merge kinds")
struct MergeKindTests {
    /// Two replicas that have both seen `setup`, written by replica 1.
    struct Pair {
        var office = Fixtures.writer(1, "c-olu")
        var phone = Fixtures.writer(2, "w-ana")
        var officeState = CareState()
        var phoneState = CareState()
        var log: [Operation] = []

        init(_ record: RecordRef, create: [Change]) throws {
            let created = try office.write(record, .create, create, into: &officeState)
            try phoneState.apply(created)
            log.append(created)
        }

        mutating func officeWrites(_ record: RecordRef, _ changes: [Change]) throws {
            log.append(try office.write(record, .update, changes, into: &officeState, at: Fixtures.start + 10))
        }

        mutating func phoneWrites(_ record: RecordRef, _ changes: [Change]) throws {
            log.append(try phone.write(record, .update, changes, into: &phoneState, at: Fixtures.start + 20))
        }

        func merged() throws -> CareState { try CareState(reducing: log) }
    }

    @Test("multi-value register: concurrent texts are both kept, with a deterministic winner")
    func multiValueKeepsSiblings() throws {
        var pair = try Pair(Fixtures.note, create: Fixtures.newNote(text: "first draft"))
        try pair.officeWrites(Fixtures.note, [.set(VisitNote.Field.text, "office edit")])
        try pair.phoneWrites(Fixtures.note, [.set(VisitNote.Field.text, "phone edit")])
        let note = try #require(try pair.merged()[Fixtures.note])
        guard case .register(let register) = note.fields[VisitNote.Field.text] else {
            Issue.record("text is not a register")
            return
        }
        #expect(Set(register.siblings.map(\.value)) == ["office edit", "phone edit"])
        // The phone's write has the later HLC timestamp, so it is shown.
        #expect(note[VisitNote.Field.text] == "phone edit")
        #expect(note.conflictedFields == [VisitNote.Field.text])
        #expect(register.history.map(\.value) == ["first draft"])
    }

    @Test("multi-value register: a write that has seen both siblings resolves the conflict")
    func multiValueResolves() throws {
        var pair = try Pair(Fixtures.note, create: Fixtures.newNote(text: "first draft"))
        try pair.officeWrites(Fixtures.note, [.set(VisitNote.Field.text, "office edit")])
        try pair.phoneWrites(Fixtures.note, [.set(VisitNote.Field.text, "phone edit")])
        for operation in pair.log { try pair.phoneState.apply(operation) }
        try pair.phoneWrites(Fixtures.note, [.set(VisitNote.Field.text, "merged by hand")])
        let note = try #require(try pair.merged()[Fixtures.note])
        #expect(note[VisitNote.Field.text] == "merged by hand")
        #expect(note.conflictedFields.isEmpty)
        guard case .register(let register) = note.fields[VisitNote.Field.text] else { return }
        #expect(Set(register.history.map(\.value)) == ["first draft", "office edit", "phone edit"])
    }

    @Test("append-only: concurrent appends are all kept in a deterministic order")
    func appendOnlyKeepsAll() throws {
        var pair = try Pair(Fixtures.visit, create: Fixtures.planVisit(workers: ["w-ana", "w-ben"]))
        try pair.officeWrites(Fixtures.visit, [.append(Visit.Field.tasksDone, ["task": "meds"])])
        try pair.phoneWrites(Fixtures.visit, [
            .append(Visit.Field.tasksDone, ["task": "lunch"]), .append(Visit.Field.tasksDone, ["task": "wash"]),
        ])
        let forward = try pair.merged()
        let backward = try CareState(reducing: pair.log.reversed())
        #expect(forward[Fixtures.visit]?[Visit.Field.tasksDone] == .list([["task": "meds"], ["task": "lunch"], ["task": "wash"]]))
        #expect(forward.canonicalBytes() == backward.canonicalBytes())
    }

    @Test("maximum: abuse-report status only moves forward and severity only escalates")
    func maximumOnlyRises() throws {
        var pair = try Pair(Fixtures.report, create: Fixtures.newReport())
        try pair.officeWrites(Fixtures.report, [
            .set(AbuseReport.Field.status, "investigating"), .set(AbuseReport.Field.severity, 4),
        ])
        try pair.phoneWrites(Fixtures.report, [
            .set(AbuseReport.Field.status, "acknowledged"), .set(AbuseReport.Field.severity, 1),
        ])
        let report = try #require(try pair.merged()[Fixtures.report])
        #expect(report[AbuseReport.Field.status] == "investigating")
        #expect(report[AbuseReport.Field.severity] == 4)
    }

    @Test("maximum: a verification flag, once set, stays set")
    func flagsOnlyGetSet() throws {
        var pair = try Pair(Fixtures.visit, create: Fixtures.planVisit())
        try pair.officeWrites(Fixtures.visit, [.set(Visit.Field.attendanceVerified, true)])
        try pair.officeWrites(Fixtures.visit, [.set(Visit.Field.attendanceVerified, false)])
        #expect(try pair.merged()[Fixtures.visit]?[Visit.Field.attendanceVerified] == true)
    }

    @Test("immutable: the creating values stand; updates to them are refused")
    func immutableAfterCreate() throws {
        var pair = try Pair(Fixtures.report, create: Fixtures.newReport(statement: "original words"))
        #expect(throws: CareModelError.self) {
            try pair.officeWrites(Fixtures.report, [.set(AbuseReport.Field.statement, "rewritten")])
        }
        #expect(try pair.merged()[Fixtures.report]?[AbuseReport.Field.statement] == "original words")
    }

    @Test("last-writer-wins: the later HLC timestamp wins, whatever the arrival order")
    func lastWriterWins() throws {
        var pair = try Pair(Fixtures.visit, create: Fixtures.planVisit(workers: ["w-ana", "w-ben"]))
        try pair.phoneWrites(Fixtures.visit, [.set(Visit.Field.workerStatus, "arrived")])
        try pair.officeWrites(Fixtures.visit, [.set(Visit.Field.workerStatus, "en_route")])
        let forward = try pair.merged()
        let backward = try CareState(reducing: pair.log.reversed())
        // The phone wrote at a later physical time, so its HLC timestamp is later.
        #expect(forward[Fixtures.visit]?[Visit.Field.workerStatus] == "arrived")
        #expect(forward[Fixtures.visit]?.conflictedFields == [])
        #expect(forward.canonicalBytes() == backward.canonicalBytes())
    }
}
