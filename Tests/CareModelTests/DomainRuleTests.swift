import CareModel
import Testing

/// The domain rules of DESIGN.md and DOMAIN.md: the office owns the plan, the
/// worker owns what happened at the door, and nothing recorded is erased.
@Suite("Domain rules")
struct DomainRuleTests {
    var office = Fixtures.writer(1, "c-olu")
    var phone = Fixtures.writer(2, "w-ana")
    var officeState = CareState()
    var phoneState = CareState()
    var log: [Operation] = []

    init() throws {
        let plan = try office.write(Fixtures.visit, .create, Fixtures.planVisit(), into: &officeState)
        try phoneState.apply(plan)
        log = [plan]
    }

    func merged() throws -> RecordState {
        try #require(try CareState(reducing: log)[Fixtures.visit])
    }

    @Test("a check-in concurrent with an office 'missed' mark keeps both and needs review")
    mutating func checkInVersusMissed() throws {
        log.append(try phone.write(Fixtures.visit, .update, [Fixtures.checkIn()], into: &phoneState))
        log.append(try office.write(Fixtures.visit, .update, [
            .set(Visit.Field.markedMissed, true), .set(Visit.Field.markedMissedReason, "no_access"),
        ], into: &officeState))
        let visit = try merged()
        #expect(visit[Visit.Field.markedMissed] == true)
        #expect(visit[Visit.Field.checkIns]?.listValue?.count == 1)
        #expect(Visit.status(of: visit) == .inProgress)
        #expect(Visit.openReviewReasons(of: visit) == [.attendedButMarkedMissed])
    }

    @Test("a cancellation never erases a recorded check-in; the visit needs review")
    mutating func cancelledButAttended() throws {
        log.append(try phone.write(Fixtures.visit, .update, [Fixtures.checkIn()], into: &phoneState))
        log.append(try office.write(Fixtures.visit, .update, [.set(Visit.Field.cancelled, true)], into: &officeState))
        let visit = try merged()
        #expect(visit[Visit.Field.checkIns]?.listValue?.count == 1)
        #expect(Visit.openReviewReasons(of: visit) == [.attendedButCancelled])
    }

    @Test("a reassignment keeps the evidence of the worker it was taken from, flagged for review")
    mutating func reassignedButAttended() throws {
        log.append(try phone.write(Fixtures.visit, .update, [Fixtures.checkIn()], into: &phoneState))
        log.append(try office.write(Fixtures.visit, .update, [.set(Visit.Field.assignedWorkers, ["w-ben"])], into: &officeState))
        let visit = try merged()
        #expect(visit[Visit.Field.checkIns]?.listValue?.count == 1)
        #expect(Visit.openReviewReasons(of: visit) == [.attendedByUnassignedWorker])
    }

    @Test("two check-ins by one worker are a possible duplicate")
    mutating func duplicateCheckIn() throws {
        log.append(try phone.write(Fixtures.visit, .update, [Fixtures.checkIn()], into: &phoneState))
        log.append(try phone.write(Fixtures.visit, .update, [Fixtures.checkIn(method: "manual")], into: &phoneState))
        #expect(Visit.openReviewReasons(of: try merged()) == [.duplicateCheckIn])
    }

    @Test("a review decision that has seen both sides settles the review; one that has not, does not")
    mutating func reviewDecisionSettles() throws {
        log.append(try phone.write(Fixtures.visit, .update, [Fixtures.checkIn()], into: &phoneState))
        log.append(try office.write(Fixtures.visit, .update, [.set(Visit.Field.markedMissed, true)], into: &officeState))
        // The office decides before it has seen the check-in: still open.
        let blind = try office.write(Fixtures.visit, .update, [
            .append(Visit.Field.reviewDecisions, ["decision": "confirmed missed"]),
        ], into: &officeState)
        log.append(blind)
        #expect(Visit.needsReview(try merged()))
        // Once the office has seen the check-in, its decision settles it.
        for operation in log { try officeState.apply(operation) }
        log.append(try office.write(Fixtures.visit, .update, [
            .append(Visit.Field.reviewDecisions, ["decision": "visit took place, sync was delayed"]),
        ], into: &officeState))
        let visit = try merged()
        #expect(!Visit.needsReview(visit))
        #expect(visit[Visit.Field.markedMissed] == true)
        #expect(visit[Visit.Field.checkIns]?.listValue?.count == 1)
    }

    @Test("a plan conflict needs review until a write that saw both settles it")
    mutating func planConflict() throws {
        log.append(try phone.write(Fixtures.visit, .update, [Fixtures.checkIn()], into: &phoneState))
        var second = Fixtures.writer(3, "c-bea")
        var secondState = officeState
        log.append(try office.write(Fixtures.visit, .update, [.set(Visit.Field.scheduledStart, .int(Fixtures.start + 7_200_000))], into: &officeState))
        log.append(try second.write(Fixtures.visit, .update, [.set(Visit.Field.scheduledStart, .int(Fixtures.start + 9_000_000))], into: &secondState))
        #expect(Visit.openReviewReasons(of: try merged()) == [.conflictingValues])
        for operation in log { try officeState.apply(operation) }
        log.append(try office.write(Fixtures.visit, .update, [.set(Visit.Field.scheduledStart, .int(Fixtures.start + 7_200_000))], into: &officeState))
        #expect(Visit.openReviewReasons(of: try merged()).isEmpty)
    }

    @Test("status is derived: scheduled, then in progress, then completed; or cancelled, or missed")
    mutating func derivedStatus() throws {
        #expect(Visit.status(of: try merged()) == .scheduled)
        log.append(try office.write(Fixtures.visit, .update, [.set(Visit.Field.cancelled, true)], into: &officeState))
        #expect(Visit.status(of: try merged()) == .cancelled)
        log.append(try office.write(Fixtures.visit, .update, [.set(Visit.Field.cancelled, false), .set(Visit.Field.markedMissed, true)], into: &officeState))
        #expect(Visit.status(of: try merged()) == .missed)
        log.append(try phone.write(Fixtures.visit, .update, [Fixtures.checkIn()], into: &phoneState))
        #expect(Visit.status(of: try merged()) == .inProgress)
        log.append(try phone.write(Fixtures.visit, .update, [.append(Visit.Field.checkOuts, ["time": .int(Fixtures.start + 5_000_000), "method": "nfc"])], into: &phoneState))
        #expect(Visit.status(of: try merged()) == .completed)
    }

    @Test("an abuse report can never be deleted and its statement never edited")
    mutating func abuseReportIsPermanent() throws {
        var reporter = Fixtures.writer(4, "w-ana")
        var state = CareState()
        _ = try reporter.write(Fixtures.report, .create, Fixtures.newReport(statement: "what happened"), into: &state)
        #expect(throws: CareModelError(.abuseReportDeletion, "abuse reports can never be deleted; add a supplement instead")) {
            _ = try reporter.write(Fixtures.report, .delete, [.set(AbuseReport.Field.severity, 1)], into: &state)
        }
        #expect(throws: CareModelError.self) {
            _ = try reporter.write(Fixtures.report, .update, [.set(AbuseReport.Field.statement, "softened")], into: &state)
        }
        _ = try reporter.write(Fixtures.report, .update, [.append(AbuseReport.Field.supplements, ["text": "he apologised later"])], into: &state)
        let report = try #require(state[Fixtures.report])
        #expect(report[AbuseReport.Field.statement] == "what happened")
        #expect(report[AbuseReport.Field.supplements] == .list([["text": "he apologised later"]]))
        #expect(reporter.lastCounter == 2)
    }

    @Test("a note is amended or marked entered-in-error, never deleted")
    mutating func notesAreNeverDeleted() throws {
        var writer = Fixtures.writer(4, "w-ana")
        var state = CareState()
        _ = try writer.write(Fixtures.note, .create, Fixtures.newNote(text: "gave meds at 9"), into: &state)
        #expect(throws: CareModelError.self) {
            _ = try writer.write(Fixtures.note, .delete, [.set(VisitNote.Field.enteredInError, true)], into: &state)
        }
        _ = try writer.write(Fixtures.note, .update, [.append(VisitNote.Field.amendments, ["text": "at 9:30, not 9"])], into: &state)
        _ = try writer.write(Fixtures.note, .update, [.set(VisitNote.Field.enteredInError, true)], into: &state)
        let note = try #require(state[Fixtures.note])
        #expect(note[VisitNote.Field.text] == "gave meds at 9")
        #expect(note[VisitNote.Field.enteredInError] == true)
        #expect(note[VisitNote.Field.amendments]?.listValue?.count == 1)
    }
}
