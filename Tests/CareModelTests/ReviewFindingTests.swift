import CareModel
import Testing

/// The findings the server's review queue lists, one item each: which writes
/// are behind them, and which decision settles which (on the domain rules' visit).
extension DomainRuleTests {
    func merged(_ record: RecordRef) throws -> RecordState {
        try #require(try CareState(reducing: log)[record])
    }

    @Test("a decision naming its finding settles that finding only; the other stays open")
    mutating func decisionSettlesItsFindingOnly() throws {
        log.append(try phone.write(Fixtures.visit, .update, [Fixtures.checkIn()], into: &phoneState))
        log.append(try phone.write(Fixtures.visit, .update, [Fixtures.checkIn(method: "manual")], into: &phoneState))
        log.append(try office.write(Fixtures.visit, .update, [.set(Visit.Field.cancelled, true)], into: &officeState))
        let findings = Visit.openReviewFindings(of: try merged())
        #expect(findings.map(\.reason).sorted() == [.attendedButCancelled, .duplicateCheckIn])
        #expect(findings.first { $0.reason == .duplicateCheckIn }?.dots == log[1...2].map(\.id).sorted())

        for operation in log { try officeState.apply(operation) }
        log.append(try office.write(Fixtures.visit, .update, [
            .append(Visit.Field.reviewDecisions, [
                "decision": "one visit, the second check-in was a retry", "reason": "same minute",
                "finding": "duplicate_check_in",
            ]),
        ], into: &officeState))
        #expect(Visit.openReviewReasons(of: try merged()) == [.attendedButCancelled])
    }

    @Test("concurrent versions of a note's text are a finding until a decision that saw both")
    mutating func concurrentNoteVersions() throws {
        var tablet = Fixtures.writer(3, "w-ana")
        var tabletState = CareState()
        let create = try phone.write(Fixtures.note, .create, Fixtures.newNote(text: "Had lunch."), into: &phoneState)
        try tabletState.apply(create)
        try officeState.apply(create)
        log.append(create)
        log.append(try phone.write(Fixtures.note, .update, [.set(VisitNote.Field.text, "Had lunch, walked.")], into: &phoneState))
        log.append(try tablet.write(Fixtures.note, .update, [.set(VisitNote.Field.text, "Had lunch, slept.")], into: &tabletState))
        let findings = VisitNote.openReviewFindings(of: try merged(Fixtures.note))
        #expect(findings.map(\.reason) == [.concurrentVersions])
        #expect(findings.first?.dots == log[2...3].map(\.id).sorted())

        for operation in log { try officeState.apply(operation) }
        log.append(try office.write(Fixtures.note, .update, [
            .append(VisitNote.Field.reviewDecisions, [
                "decision": "both versions are right", "reason": "two visits' notes", "finding": "concurrent_note_versions",
            ]),
        ], into: &officeState))
        #expect(VisitNote.openReviewFindings(of: try merged(Fixtures.note)).isEmpty)
    }
}
