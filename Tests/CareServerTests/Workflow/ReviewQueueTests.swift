import CareModel
import CareServer
import Foundation
import Hummingbird
import Testing

/// The review queue on a real server and database: what the indexer (a log
/// follower) finds, who sees it, and decisions recorded as operations.
@Suite("Review queue")
struct ReviewQueueTests {
    /// Two teams' coordinators, a care worker with two devices, an auditor and a
    /// safeguarding lead; on team-a's visit a duplicate check-in, a check-in on
    /// a cancelled visit, a note edited concurrently, an operation from a clock an
    /// hour fast; on team-b's visit a duplicate check-in; and an abuse report.
    struct Scenario {
        var officeA: TestDevice
        var officeB: TestDevice
        var phone: TestDevice
        var auditor: TestDevice
        var safeguarding: TestDevice
        var visitA: RecordID
        var noteA: RecordID
        var visitB: RecordID

        /// Pushes and expects every operation stored.
        static func store(_ server: TestServer, _ device: TestDevice, _ operations: [ChainedOperation]) async throws {
            let response = try await server.push(device, operations)
            #expect(response.statuses.allSatisfy { $0 == .stored }, "\(response.codes)")
        }

        static func make(_ server: TestServer) async throws -> Scenario {
            var officeA = try await server.enrol("c-a", roles: [.coordinator], teams: ["team-a"])
            var officeB = try await server.enrol("c-b", roles: [.coordinator], teams: ["team-b"])
            var phone = try await server.enrol("w-1", roles: [.careWorker], teams: ["team-a"])
            var tablet = try await server.enrol("w-1")
            var otherPhone = try await server.enrol("w-2", roles: [.careWorker], teams: ["team-b"])
            let auditor = try await server.enrol("au", roles: [.auditor])
            let safeguarding = try await server.enrol("s-1", roles: [.safeguardingLead])

            let (visitA, planA) = try officeA.createVisit(team: "team-a", assigned: ["w-1"])
            try await store(server, officeA, [planA])
            let (visitB, planB) = try officeB.createVisit(team: "team-b", assigned: ["w-2"])
            try await store(server, officeB, [planB])

            let (noteA, note) = try phone.note(on: visitA, "Had lunch.")
            let checkIns = [try phone.checkIn(visitA), try phone.checkIn(visitA)]
            try await store(server, phone, [note] + checkIns)
            // The tablet edits the note without having seen the phone's version.
            let noteRef = RecordRef(kind: .visitNote, id: noteA)
            let edit = try tablet.write(noteRef, .update, [.set(VisitNote.Field.text, "Had lunch, slept.")])
            try await store(server, tablet, [edit])
            let cancel = try officeA.write(RecordRef(kind: .visit, id: visitA), .update, [.set(Visit.Field.cancelled, true)])
            try await store(server, officeA, [cancel])
            // The server receives this an hour before the phone's clock says it was written.
            server.clock.advance(seconds: -3_600)
            let status = try phone.write(RecordRef(kind: .visit, id: visitA), .update, [.set(Visit.Field.workerStatus, "completed")])
            try await store(server, phone, [status])
            server.clock.advance(seconds: 3_600)

            let otherCheckIns = [try otherPhone.checkIn(visitB), try otherPhone.checkIn(visitB)]
            try await store(server, otherPhone, otherCheckIns)
            let report = try phone.abuseReport(visit: visitA).operation
            try await store(server, phone, [report])
            try await server.workflows.reviewFollower.catchUp()
            return Scenario(
                officeA: officeA, officeB: officeB, phone: phone, auditor: auditor, safeguarding: safeguarding,
                visitA: visitA, noteA: noteA, visitB: visitB)
        }
    }

    static func items(_ server: TestServer, _ device: TestDevice, state: String = "open") async throws -> [ListedReviewItem] {
        let result = try await server.request(.get, "/v1/review?state=\(state)", token: device.token)
        guard result.status == .ok else { throw TestServerError.unexpectedStatus(result.status, result.text) }
        return try result.decode(ReviewListing.self).items
    }

    static func decide(
        _ server: TestServer, _ device: TestDevice, _ item: String, decision: String = "one visit, a retried check-in",
        reason: String = "same minute, same phone"
    ) async throws -> HTTPResult {
        try await server.request(
            .post, "/v1/review/\(item)/decision", token: device.token,
            json: ["decision": decision, "reason": reason])
    }

    @Test(
        "each kind of item reaches its team's coordinator and auditors, not another team's coordinator or a care worker",
        arguments: TestBackend.all)
    func itemsReachTheRightPeople(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            let scenario = try await Scenario.make(server)
            let teamA = try await Self.items(server, scenario.officeA)
            #expect(
                teamA.map(\.reason).sorted()
                    == ["attended_but_cancelled", "clock_skew", "concurrent_note_versions", "duplicate_check_in"])
            #expect(teamA.allSatisfy { $0.team == "team-a" && $0.resolvedAt == nil })
            #expect(teamA.first { $0.reason == "concurrent_note_versions" }?.record.id == scenario.noteA.description)
            #expect(teamA.first { $0.reason == "clock_skew" }?.record.id == scenario.visitA.description)

            let teamB = try await Self.items(server, scenario.officeB)
            #expect(teamB.map(\.reason) == ["duplicate_check_in"])
            #expect(teamB.map(\.record.id) == [scenario.visitB.description])

            let all = try await Self.items(server, scenario.auditor)
            #expect(all.count == 5)
            #expect(all.allSatisfy { $0.record.kind != "abuse_report" })

            for device in [scenario.phone, scenario.safeguarding] {
                let refused = try await server.request(.get, "/v1/review", token: device.token)
                #expect(refused.status == .forbidden)
                #expect(refused.errorCode == "reviewer_only")
            }

            // Reading the log again opens nothing new.
            try await server.workflows.reviewFollower.rehandle(after: 0)
            #expect(try await Self.items(server, scenario.auditor, state: "all").count == 5)
        }
    }

    @Test("a coordinator's decision is an operation in the log, with its reason, and resolves the item", arguments: TestBackend.all)
    func decisionIsAnOperation(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            let scenario = try await Scenario.make(server)
            let duplicate = try #require(try await Self.items(server, scenario.officeA).first { $0.reason == "duplicate_check_in" })
            let result = try await Self.decide(server, scenario.officeA, duplicate.id)
            #expect(result.status == .ok, "\(result.text)")
            let resolved = try result.decode(ListedReviewItem.self)
            #expect(resolved.resolvedBy == "c-a")
            let sequence = try #require(resolved.resolutionSequence)

            let entry = try #require(try await server.storage.logEntries(after: sequence - 1, limit: 1).first)
            let operation = try CareModel.Operation(canonicalBytes: entry.body)
            #expect(operation.author.rawValue == "c-a")
            #expect(operation.device != scenario.officeA.enrolment.device, "written by the server's replica")
            #expect(operation.record == RecordRef(kind: .visit, id: scenario.visitA))
            #expect(
                operation.changes == [
                    .append(
                        Visit.Field.reviewDecisions,
                        [
                            "decision": "one visit, a retried check-in", "reason": "same minute, same phone",
                            "finding": "duplicate_check_in",
                        ])
                ])

            // The indexer reads the decision: the item stays resolved, the others open.
            try await server.workflows.reviewFollower.catchUp()
            let open = try await Self.items(server, scenario.officeA)
            #expect(open.map(\.reason).sorted() == ["attended_but_cancelled", "clock_skew", "concurrent_note_versions"])
            let all = try await Self.items(server, scenario.officeA, state: "all")
            #expect(all.first { $0.id == duplicate.id }?.resolutionSequence == sequence)

            // A note's concurrent versions are decided the same way.
            let note = try #require(open.first { $0.reason == "concurrent_note_versions" })
            #expect(try await Self.decide(server, scenario.officeA, note.id).status == .ok)
            try await server.workflows.reviewFollower.catchUp()
            #expect(try await Self.items(server, scenario.officeA).map(\.reason).sorted() == ["attended_but_cancelled", "clock_skew"])
        }
    }

    @Test("a write that settles a finding resolves its item, by the write's author", arguments: TestBackend.all)
    func settlingWriteResolvesTheItem(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var scenario = try await Scenario.make(server)
            let note = RecordRef(kind: .visitNote, id: scenario.noteA)
            let item = try #require(try await Self.items(server, scenario.officeA).first { $0.record.id == note.id.description })
            // The author merges the two versions, having seen both.
            let seen = try #require(try CareState(reducing: try await server.storage.operations(on: note))[note]).version
            let merge = try scenario.phone.replica.write(
                note, .update, [.set(VisitNote.Field.text, "Had lunch, slept.")], context: seen,
                physicalMillis: 1_767_225_700_000)
            try await Scenario.store(server, scenario.phone, [merge])
            try await server.workflows.reviewFollower.catchUp()

            let resolved = try #require(try await Self.items(server, scenario.officeA, state: "all").first { $0.id == item.id })
            #expect(resolved.resolvedBy == "w-1")
            #expect(resolved.resolvedAt != nil)
            #expect(try await Self.items(server, scenario.officeA).allSatisfy { $0.record.id != note.id.description })
        }
    }

    @Test(
        "a bad decision (unknown item, blank reason, another team's item, a care worker, decided twice) is refused and changes nothing",
        arguments: TestBackend.all)
    func badDecisionsChangeNothing(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            let scenario = try await Scenario.make(server)
            let item = try #require(try await Self.items(server, scenario.officeA).first { $0.reason == "duplicate_check_in" })
            let before = try await server.counts()
            let cases: [(TestDevice, String, String, HTTPResponse.Status, String)] = [
                (scenario.officeA, "0123456789abcdef01234567", "same minute", .notFound, "unknown_review_item"),
                (scenario.officeA, item.id, "  ", .badRequest, "invalid_decision"),
                (scenario.officeA, item.id, String(repeating: "x", count: 65), .badRequest, "invalid_decision"),
                (scenario.officeB, item.id, "same minute", .notFound, "unknown_review_item"),
                (scenario.phone, item.id, "same minute", .forbidden, "reviewer_only"),
                (scenario.auditor, item.id, "same minute", .forbidden, "reviewer_only"),
            ]
            for (device, id, reason, status, code) in cases {
                let result = try await Self.decide(server, device, id, reason: reason)
                #expect(result.status == status, "\(code): \(result.text)")
                #expect(result.errorCode == code)
            }
            #expect(try await server.counts() == before)
            #expect(try await Self.items(server, scenario.officeA).contains { $0.id == item.id })

            #expect(try await Self.decide(server, scenario.officeA, item.id).status == .ok)
            let again = try await Self.decide(server, scenario.officeA, item.id)
            #expect(again.status == .conflict)
            #expect(again.errorCode == "review_item_resolved")
        }
    }
}

/// `GET /v1/review`, as a client reads it.
struct ReviewListing: Decodable {
    var items: [ListedReviewItem]
}

struct ListedReviewItem: Decodable {
    struct Record: Decodable {
        var kind: String
        var id: String
    }

    var id: String
    var reason: String
    var record: Record
    var team: String?
    var resolvedAt: Int64?
    var resolvedBy: String?
    var resolutionSequence: UInt64?

    enum CodingKeys: String, CodingKey {
        case id, reason, record, team
        case resolvedAt = "resolved_at"
        case resolvedBy = "resolved_by"
        case resolutionSequence = "resolution_sequence"
    }
}
