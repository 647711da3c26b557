import CareModel
import CareServer
import Hummingbird
import Testing

@Suite("Push and pull over HTTP")
struct SyncRoundTripTests {
    @Test("a visit planned in the office reaches the assigned worker, and the worker's evidence comes back", arguments: TestBackend.all)
    func roundTrip(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            var worker = try await server.enrol("worker-a", roles: [.careWorker], teams: ["north"])

            let (visit, plan) = try office.createVisit(team: "north", assigned: ["worker-a"])
            let planned = try await server.push(office, [plan])
            #expect(planned.statuses == [.stored])
            #expect(planned.results[0].sequence == 1)

            let received = try await server.pullAll(worker)
            #expect(received.operations == [plan.operation])
            #expect(received.cursor == 1)

            let checkIn = try worker.checkIn(visit)
            let (_, note) = try worker.note(on: visit)
            let evidence = try await server.push(worker, [checkIn, note])
            #expect(evidence.statuses == [.stored, .stored])
            #expect(evidence.results.map(\.sequence) == [2, 3])

            let officeView = try await server.pullAll(office)
            #expect(officeView.operations == [checkIn.operation, note.operation])  // its own op is not echoed
            let workerAgain = try await server.pullAll(worker, after: received.cursor)
            #expect(workerAgain.operations.isEmpty)
            #expect(workerAgain.cursor == 3)
            #expect(try await server.counts().operations == 3)
        }
    }

    @Test("sync pushes and pulls in one round trip", arguments: TestBackend.all)
    func syncRoundTrip(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            var worker = try await server.enrol("worker-a", roles: [.careWorker], teams: ["north"])
            let (visit, plan) = try office.createVisit(team: "north", assigned: ["worker-a"])
            try await server.push(office, [plan])

            let checkIn = try worker.checkIn(visit)
            let result = try await server.request(
                .post, "/v1/sync", token: worker.token,
                json: SyncRequest(push: worker.pushRequest([checkIn]), after: 0, limit: 100))
            #expect(result.status == .ok)
            let response = try result.decode(SyncResponse.self)
            #expect(response.push?.statuses == [.stored])
            #expect(response.pull.operations == [plan.operation])
            #expect(response.pull.nextCursor == 2)
            #expect(response.pull.hasMore == false)
        }
    }

    @Test("pages follow each other without loss or repeats", arguments: TestBackend.all, [1, 2, 5])
    func paging(backend: TestBackend, limit: Int) async throws {
        try await TestServer.run(backend) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let auditor = try await server.enrol("auditor-1", roles: [.auditor])
            var written: [ChainedOperation] = []
            for _ in 0..<7 { written.append(try office.createVisit(team: "north", assigned: ["w"]).operation) }
            try await server.push(office, written)
            let pulled = try await server.pullAll(auditor, limit: limit)
            #expect(pulled.operations == written.map(\.operation))
            #expect(pulled.cursor == 7)
        }
    }

    @Test("health, readiness and metrics answer", arguments: TestBackend.all)
    func operationalEndpoints(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            #expect(try await server.request(.get, "/v1/health/live").status == .ok)
            #expect(try await server.request(.get, "/v1/health/ready").status == .ok)
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            try await server.push(office, [try office.createVisit(team: "north", assigned: []).operation])
            let bogus = office.unvalidated(
                record: RecordRef(kind: .visit, id: TestDevice.newRecordID()), changes: [.set(Visit.Field.scheduledStart, .int(1_767_258_000_000))])
            try await server.push(office, office.pushRequest([bogus], after: office.replica.head))
            let metrics = try await server.request(.get, "/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.text.contains("caresync_operations_stored_total 1"))
            #expect(metrics.text.contains(#"caresync_operations_rejected_total{code="unknown_record"} 1"#))
            #expect(metrics.text.contains("caresync_push_batch_operations"))
            #expect(metrics.text.contains("caresync_request_duration_seconds"))
            #expect(metrics.text.contains("caresync_devices_connected 1"))  // office only
        }
    }
}
