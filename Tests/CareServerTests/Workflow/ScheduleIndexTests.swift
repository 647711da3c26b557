import CareModel
import CareServer
import Testing

@Suite("The schedule index kept at ingest")
struct ScheduleIndexTests {
    @Test("concurrent plan changes: the index holds the value the reducer shows, whatever the push order", arguments: TestBackend.all)
    func registerWinner(backend: TestBackend) async throws {
        try await TestServer.runWorkflows(backend, settings: .tests) { server in
            var first = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            var second = try await server.enrol("coord-2", roles: [.coordinator], teams: ["north"])
            var worker = try await server.enrol("worker-a", roles: [.careWorker], teams: ["north"])
            let (visit, plan) = try first.planVisit(assigned: ["worker-a"])
            let ref = RecordRef(kind: .visit, id: visit)
            try await server.push(first, [plan])
            // Written without having seen each other.
            let moveLater = try second.write(ref, .update, [.set(Visit.Field.scheduledStart, .int(TestServer.visitStart + 3_600_000)), .set(Visit.Field.cancelled, true)])
            let moveEarlier = try first.write(ref, .update, [.set(Visit.Field.scheduledStart, .int(TestServer.visitStart - 3_600_000)), .set(Visit.Field.cancelled, false)])
            try await server.push(second, [moveLater])
            try await server.push(first, [moveEarlier])
            try await server.push(
                worker, [try worker.attend(visit, at: TestServer.visitStart + 60_000), try worker.attend(visit, at: TestServer.visitStart)])

            let state = try #require(try await server.state(of: ref))
            let day: Int64 = 86_400_000
            let row = try #require(
                try await server.storage.scheduledVisits(
                    teams: nil, from: TestServer.visitStart - day, to: TestServer.visitStart + day, limit: 10
                ).first)
            #expect(row.visit == visit)
            #expect(row.team == TeamID("north"))
            #expect(row.scheduledStart == state[Visit.Field.scheduledStart]?.intValue)
            #expect(row.cancelled == Visit.isCancelled(state))
            #expect(row.checkInTime == TestServer.visitStart, "the earliest check-in")
            #expect(row.checkInTime == Visit.firstCheckInTime(of: state))
            #expect(row.checkInReceivedAt == server.clock.nowMillis())
            #expect(row.alertState == .none)
        }
    }
}
