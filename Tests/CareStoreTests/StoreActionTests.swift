import CareModel
import Foundation
import Testing

@testable import CareStore

/// Every app action, on a real SQLite file, and the reads that show it.
struct StoreActionTests {
    let folder: TemporaryFolder
    let visitID = Fixture.recordID(1)

    init() throws { folder = try TemporaryFolder() }

    /// A store with one visit, assigned to its worker, received from the office.
    func storeWithVisit(
        identity: StoreIdentity = Fixture.identity(), start: Int64 = Fixture.day
    ) async throws -> CareStore {
        let store = try await Fixture.open(folder, identity: identity)
        var office = RemoteReplica("office-1", number: 1)
        try await store.applyRemote([office.createVisit(visitID, start: start)], cursor: 1)
        return store
    }

    @Test("check in, check out and tasks done show on the visit, saved but not synced")
    func visitEvidence() async throws {
        let store = try await storeWithVisit()
        let checkIn = try await store.checkIn(visit: visitID, AttendanceEvidence(method: .nfc, tag: "door"))
        #expect(checkIn.operation == Dot(replica: store.identity.replica, counter: 1))
        var detail = try #require(try await store.visit(visitID))
        #expect(detail.summary.status == .inProgress)
        #expect(detail.checkIns.map(\.worker) == [Fixture.worker])
        #expect(detail.checkIns.first?.method == .nfc)
        #expect(detail.checkIns.first?.tag == "door")
        #expect(detail.summary.syncState == .localOnly)

        try await store.recordTasksDone(visit: visitID, [TaskDone(task: "medication", quantity: 2), TaskDone(task: "meal")])
        try await store.checkOut(visit: visitID, AttendanceEvidence(method: .gps, latitudeE6: 51_500_000, longitudeE6: -100))
        detail = try #require(try await store.visit(visitID))
        #expect(detail.summary.status == .completed)
        #expect(detail.tasksDone.map(\.task) == [TaskDone(task: "medication", quantity: 2), TaskDone(task: "meal")])
        #expect(detail.checkOuts.first?.latitudeE6 == 51_500_000)
        #expect(detail.plannedTasks == ["medication", "meal"])
        #expect(try await store.pendingUploadCount() == 3)
        #expect(try await store.verify().isConsistent)
    }

    @Test("notes: add, amend, mark entered in error; the note is never removed")
    func notes() async throws {
        let store = try await storeWithVisit()
        let added = try await store.addNote(visit: visitID, text: "Ate well, took medication.")
        #expect(added.record.kind == .visitNote)
        try await store.amendNote(added.record.id, text: "Correction: half the meal.")
        var note = try #require(try await store.note(added.record.id))
        #expect(note.text == "Ate well, took medication.")
        #expect(note.amendments.map(\.text) == ["Correction: half the meal."])
        #expect(note.author == Fixture.worker)
        #expect(note.enteredInError == false)
        try await store.markNoteEnteredInError(added.record.id, reason: "wrong resident")
        note = try #require(try await store.note(added.record.id))
        #expect(note.enteredInError)
        #expect(note.enteredInErrorReason == "wrong resident")
        let detail = try #require(try await store.visit(visitID))
        #expect(detail.notes.map(\.id) == [added.record.id])
        #expect(note.syncState == .localOnly)
    }

    @Test("a missed call is recorded with its reason")
    func missedCall() async throws {
        let store = try await storeWithVisit()
        let receipt = try await store.logMissedCall(visit: visitID, reason: "no_access", details: "no reply at door")
        let detail = try #require(try await store.visit(visitID))
        #expect(detail.missedCalls.map(\.id) == [receipt.record.id])
        #expect(detail.missedCalls.first?.reason == "no_access")
        #expect(detail.missedCalls.first?.details == "no reply at door")
        #expect(detail.missedCalls.first?.syncState == .localOnly)
    }

    @Test("abuse report: filed, supplemented; the reporter sees it and its status")
    func abuseReport() async throws {
        let store = try await storeWithVisit()
        let filed = try await store.fileAbuseReport(
            AbuseReportDraft(
                visit: visitID, incidentKind: "verbal", occurredAt: Fixture.day,
                involved: [.init(relationship: "family_member", description: "son")], statement: "Shouted at me.",
                severity: 2, injury: false))
        try await store.addSupplement(report: filed.record.id, text: "He apologised later.")
        let reports = try await store.abuseReports()
        #expect(reports.map(\.id) == [filed.record.id])
        let report = try #require(reports.first)
        #expect(report.status == "submitted")
        #expect(report.statement == "Shouted at me.")
        #expect(report.involved == [.init(relationship: "family_member", description: "son")])
        #expect(report.supplements.map(\.text) == ["He apologised later."])
        #expect(report.syncState == .localOnly)
        #expect(try await store.syncStatus().pendingAbuseReportCount == 2)
    }

    @Test("safeguarding lead: acknowledge, move status forward, add notes and actions")
    func safeguarding() async throws {
        let lead = Fixture.identity(WorkerID("lead-1")!, role: .safeguardingLead, replica: 0xB)
        let store = try await Fixture.open(folder, identity: lead)
        var reporter = RemoteReplica(Fixture.worker.rawValue, number: 2)
        let reportID = Fixture.recordID(77)
        try await store.applyRemote(
            [
                reporter.write(
                    RecordRef(kind: .abuseReport, id: reportID), .create,
                    [
                        .set(AbuseReport.Field.incidentKind, "physical"), .set(AbuseReport.Field.occurredAt, .int(Fixture.day)),
                        .set(AbuseReport.Field.involved, [["relationship": "visitor"]]),
                        .set(AbuseReport.Field.statement, "Pushed."), .set(AbuseReport.Field.severity, 3),
                    ])
            ], cursor: 5)
        #expect(try await store.abuseReports().map(\.id) == [reportID])
        try await store.acknowledgeAbuseReport(reportID)
        #expect(try await store.abuseReport(reportID)?.status == "acknowledged")
        try await store.addSafeguardingNote(report: reportID, text: "Called the worker.")
        try await store.recordSafeguardingAction(report: reportID, action: "Two workers required.")
        try await store.changeAbuseReportStatus(reportID, to: "investigating")
        let report = try #require(try await store.abuseReport(reportID))
        #expect(report.status == "investigating")
        #expect(report.safeguardingNotes.map(\.text) == ["Called the worker."])
        #expect(report.actionsTaken.map(\.text) == ["Two workers required."])
        #expect(report.reporter == Fixture.worker)

        let before = try await store.canonicalState()
        await expectStoreError(.invalidTransition) { try await store.changeAbuseReportStatus(reportID, to: "acknowledged") }
        #expect(try await store.canonicalState() == before)
    }

    @Test("today's visits follow the calendar day in the given time zone")
    func todaysVisits() async throws {
        // 2026-06-01T23:30:00Z: 1 June in UTC, 2 June in London (BST, UTC+1).
        let lateStart: Int64 = 1_780_356_600_000
        let store = try await storeWithVisit(start: lateStart)
        var office = RemoteReplica("office-1", number: 3)
        try await store.applyRemote(
            [
                office.createVisit(Fixture.recordID(2), start: lateStart - 3_600_000 * 10),
                office.createVisit(Fixture.recordID(3), start: lateStart, assigned: [Fixture.otherWorker]),
            ], cursor: 2)
        let utc = TimeZone(identifier: "UTC")!
        let london = TimeZone(identifier: "Europe/London")!
        let firstJuneNoon = Date(timeIntervalSince1970: 1_780_315_200)  // 2026-06-01T12:00Z
        let secondJuneNoon = firstJuneNoon.addingTimeInterval(86_400)
        #expect(try await store.todaysVisits(on: firstJuneNoon, in: utc).map(\.id) == [Fixture.recordID(2), visitID])
        #expect(try await store.todaysVisits(on: firstJuneNoon, in: london).map(\.id) == [Fixture.recordID(2)])
        #expect(try await store.todaysVisits(on: secondJuneNoon, in: london).map(\.id) == [visitID])
        let summary = try #require(try await store.todaysVisits(on: secondJuneNoon, in: london).first)
        #expect(summary.status == .scheduled)
        #expect(summary.syncState == .acknowledged)
        #expect(summary.resident == "resident-1")
    }

    @Test("sync state of a record: local only, sent, acknowledged; rejected stays visible")
    func syncStates() async throws {
        let store = try await storeWithVisit()
        let note = try await store.addNote(visit: visitID, text: "first")
        #expect(try await store.syncState(of: note.record) == .localOnly)
        let batch = try #require(try await store.nextUploadBatch())
        try await store.markSent(batch)
        #expect(try await store.syncState(of: note.record) == .sent)
        #expect(try await store.syncStatus().sentCount == 1)
        // The pull that brought the visit was the last contact with the server.
        let pulledAt = try #require(try await store.syncStatus().lastSuccessfulSync)
        let outcome = try await store.applyPushResults([OperationResult(id: note.operation, status: .stored, sequence: 9)])
        #expect(outcome == PushOutcome(acknowledged: 1, rejected: 0))
        #expect(try await store.syncState(of: note.record) == .acknowledged)
        #expect(try await store.pendingUploadCount() == 0)
        #expect(try #require(try await store.syncStatus().lastSuccessfulSync) > pulledAt)
        #expect(try await store.scalar("SELECT server_sequence FROM operation WHERE is_local = 1") == 9)

        let second = try await store.addNote(visit: visitID, text: "second")
        try await store.applyPushResults([
            OperationResult(id: second.operation, status: .rejected, error: ErrorBody(code: "access_denied", message: "no"))
        ])
        #expect(try await store.syncState(of: second.record) == .rejected)
        #expect(try await store.syncStatus().rejectedCount == 1)
        #expect(try await store.syncStatus().isFullySynced == false)
        #expect(try await store.verify().isConsistent)
    }

    @Test("a concurrent office cancellation of an attended visit shows for review")
    func needsReview() async throws {
        let store = try await storeWithVisit()
        try await store.checkIn(visit: visitID, AttendanceEvidence(method: .qr))
        // The office replica that created the visit (same deterministic op), which
        // has not seen the check-in, cancels the visit: concurrent with it.
        var office = RemoteReplica("office-1", number: 1)
        _ = try office.createVisit(visitID, start: Fixture.day)
        let cancel = try office.write(
            RecordRef(kind: .visit, id: visitID), .update, [.set(Visit.Field.cancelled, true)])
        try await store.applyRemote([cancel], cursor: 3)
        let review = try await store.recordsNeedingReview()
        #expect(review.map(\.record) == [RecordRef(kind: .visit, id: visitID)])
        #expect(review.first?.reviewReasons == [.attendedButCancelled])
        let summary = try #require(try await store.visit(visitID)?.summary)
        #expect(summary.needsReview)
        #expect(summary.status == .inProgress)
    }
}
