import CareModel
import CareServer
import CareStore
import CareSyncClient
import Foundation
import Testing

/// Restarts, revocations, cancellations and the run loop, on real parts.
@Suite("Sync engine across interruptions", .serialized)
struct InterruptionTests {
    @Test("a server restarted between syncs: the device is offline meanwhile, then resumes; nothing is lost or doubled")
    func serverRestart() async throws {
        try await TestDirectory.with { directory in
            let database = directory.path("server.sqlite")
            let (office, worker, planner, visit) = try await ClientTestServer.run(databasePath: database) { server in
                let office = try await ClientDevice.enrol(
                    "coord-1", role: .coordinator, team: "north", createWith: [.coordinator], on: server, in: directory)
                let worker = try await ClientDevice.enrol(
                    "worker-a", role: .careWorker, team: "north", createWith: [.careWorker], on: server, in: directory)
                let planner = try await OfficePlanner("coord-1", on: server)
                let visit = try await planner.planVisit(team: "north", assigned: ["worker-a"], on: server)
                await office.engine.sync()
                await worker.engine.sync()
                try await worker.store.checkIn(visit: visit, AttendanceEvidence(method: .manual))
                #expect(await worker.engine.sync().pendingUploadCount == 0)
                return (office, worker, planner, visit)
            }

            // The server is down: the worker keeps recording; its sync ends offline, data kept.
            try await worker.store.addNote(visit: visit, text: "Written while the server was down.")
            let down = await worker.engine.sync()
            #expect(down.activity == .offline)
            #expect(down.pendingUploadCount == 1)

            try await ClientTestServer.run(databasePath: database) { server in
                let office = office.reconnected(to: server)
                let worker = worker.reconnected(to: server)
                let second = try await planner.planVisit(team: "north", assigned: ["worker-a"], on: server)
                #expect(await office.engine.sync().activity == .idle)
                let status = await worker.engine.sync()
                #expect(status.activity == .idle)
                #expect(status.pendingUploadCount == 0)
                #expect(try await worker.store.visit(second) != nil)
                #expect(await office.engine.sync().activity == .idle)
                #expect(try await office.store.visit(visit)?.notes.count == 1)
                #expect(try await server.operationCount() == 4)
                try await SyncRoundTripTests.expectMatchesServer([office, worker], server)
            }
        }
    }

    @Test("a credential revoked while offline gives credentialRejected and keeps local data")
    func revokedWhileOffline() async throws {
        try await TestDirectory.with { directory in
            try await ClientTestServer.run(databasePath: directory.path("server.sqlite")) { server in
                let worker = try await ClientDevice.enrol(
                    "worker-a", role: .careWorker, team: "north", createWith: [.careWorker], on: server, in: directory)
                #expect(await worker.engine.sync().activity == .idle)
                let report = try await worker.store.fileAbuseReport(
                    SyncRoundTripTests.abuseDraft("Threatened me on the stairs."))
                try await server.revoke(worker.enrolment.device)

                let status = await worker.engine.sync()
                #expect(status.activity == .credentialRejected(code: "device_revoked"))
                #expect(status.pendingUploadCount == 1)
                #expect(try await worker.store.abuseReport(report.record.id)?.reporter == worker.worker)
                #expect(try await worker.store.syncState(of: report.record) != .acknowledged)
                #expect(try await server.operationCount() == 0)
                // Terminal: later passes do not change it.
                #expect(await worker.engine.sync().activity == .credentialRejected(code: "device_revoked"))
            }
        }
    }

    @Test("a pass cancelled at any point loses and repeats nothing", arguments: 0..<4)
    func cancelledPass(yields: Int) async throws {
        try await TestDirectory.with { directory in
            try await ClientTestServer.run(databasePath: directory.path("server.sqlite")) { server in
                let worker = try await ClientDevice.enrol(
                    "worker-a", role: .careWorker, team: "north", createWith: [.careWorker], on: server, in: directory)
                let report = try await worker.store.fileAbuseReport(SyncRoundTripTests.abuseDraft("Spat at me."))
                for index in 0..<6 {
                    try await worker.store.addSupplement(report: report.record.id, text: "Supplement \(index).")
                }
                let engine = worker.engine
                let pass = Task { await engine.sync() }
                for _ in 0..<(yields * 20) { await Task.yield() }
                pass.cancel()
                _ = await pass.value
                #expect(await engine.status.activity != .syncing)

                let status = await engine.sync()
                #expect(status.activity == .idle)
                #expect(status.pendingUploadCount == 0)
                #expect(try await server.operationCount() == 7)
                try await SyncRoundTripTests.expectMatchesServer([worker], server)
            }
        }
    }

    @Test("the run loop syncs at start and on syncNow and connectivityRestored, and ends on cancellation")
    func runLoopTriggers() async throws {
        try await TestDirectory.with { directory in
            try await ClientTestServer.run(databasePath: directory.path("server.sqlite")) { server in
                try await server.createWorker("coord-1", roles: [.coordinator], teams: ["north"])
                let planner = try await OfficePlanner("coord-1", on: server)
                let visit = try await planner.planVisit(team: "north", assigned: ["worker-a"], on: server)
                let office = try await ClientDevice.enrol(
                    "worker-a", role: .careWorker, team: "north", createWith: [.careWorker], on: server, in: directory)
                // Waits on the real clock here: the periodic tick (an hour) must not fire.
                let engine = SyncEngine(
                    store: office.store, transport: server.transport(token: office.enrolment.token),
                    signer: ClientDevice.signer, configuration: ClientDevice.testConfiguration, sleep: SyncEngine.continuousSleep)
                let updates = await engine.statusUpdates()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { await engine.run(every: .seconds(3_600)) }
                    var iterator = updates.makeAsyncIterator()
                    // The first pass runs at start and brings the visit.
                    while let update = await iterator.next() {
                        if update.activity == .idle, update.lastSuccessfulSync != nil { break }
                    }
                    #expect(try await office.store.visit(visit) != nil)

                    try await office.store.addNote(visit: visit, text: "Family asked for a call.")
                    engine.syncNow()
                    while let update = await iterator.next() {
                        if update.activity == .idle, update.pendingUploadCount == 0,
                            try await server.operationCount() == 2
                        {
                            break
                        }
                    }
                    try await office.store.addNote(visit: visit, text: "Key safe code changed.")
                    engine.connectivityRestored()
                    while let update = await iterator.next() {
                        if update.activity == .idle, update.pendingUploadCount == 0,
                            try await server.operationCount() == 3
                        {
                            break
                        }
                    }
                    group.cancelAll()
                }
                #expect(try await server.operationCount() == 3)
            }
        }
    }
}

@Suite("Retry backoff")
struct RetryPolicyTests {
    @Test("waits grow exponentially with jitter in [d/2, d] and stop at the maximum")
    func backoffBounds() {
        let policy = RetryPolicy(initialDelay: .seconds(1), multiplier: 2, maximumDelay: .seconds(10))
        for (retry, ceiling) in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (5, 10.0), (9, 10.0)] {
            let low = policy.delay(beforeRetry: retry, unit: 0)
            let high = policy.delay(beforeRetry: retry, unit: 0.999_999_999)
            #expect(low == .milliseconds(Int64(ceiling * 500)))
            #expect(high <= .milliseconds(Int64(ceiling * 1000)))
            #expect(high > .milliseconds(Int64(ceiling * 999)))
        }
    }

    @Test("only network failures, 408, 429 and 5xx are retried; credential refusals are recognised")
    func classification() {
        #expect(SyncTransportError(.unreachable, message: "").isRetryable)
        #expect(SyncTransportError(.server, status: 503, message: "").isRetryable)
        #expect(SyncTransportError(.server, status: 429, message: "").isRetryable)
        #expect(!SyncTransportError(.server, status: 400, message: "").isRetryable)
        let revoked = SyncTransportError(
            .server, status: 403, error: ErrorBody(code: "device_revoked", message: ""), message: "")
        #expect(revoked.isCredentialRejection)
        #expect(revoked.code == "device_revoked")
        let forged = SyncTransportError(
            .server, status: 403, error: ErrorBody(code: "replica_mismatch", message: ""), message: "")
        #expect(!forged.isCredentialRejection)
    }
}
