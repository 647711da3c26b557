import CareModel
import CareServer
import CareStore
import CareSyncClient
import CareSyncTestSupport
import Foundation
import Testing

/// A sync cut at each point where it can be cut — mid-request, mid-response,
/// mid-apply (between pages and inside a page's transaction), and a server
/// restart in the middle of a pass — resumes without losing or repeating
/// anything. The proxy's script puts each interruption at an exact request.
@Suite("Sync interrupted at each point", .serialized)
struct InterruptionPointTests {
    /// A worker with an abuse report and `supplements` supplements pending (several push batches).
    static func workerWithPendingReport(
        on server: ClientTestServer, in directory: TestDirectory, supplements: Int = 6
    ) async throws -> ClientDevice {
        let worker = try await ClientDevice.enrol(
            "worker-a", role: .careWorker, team: "north", createWith: [.careWorker], on: server, in: directory)
        let report = try await worker.store.fileAbuseReport(SyncRoundTripTests.abuseDraft("Kicked the door at me."))
        for index in 0..<supplements {
            try await worker.store.addSupplement(report: report.record.id, text: "Supplement \(index).")
        }
        return worker
    }

    /// A visit planned on the office's device and synced to worker-a's, who
    /// then writes seven notes on it (several push batches), not yet synced.
    static func visitWithPendingNotes(
        on server: ClientTestServer, in directory: TestDirectory
    ) async throws -> (office: ClientDevice, worker: ClientDevice) {
        let office = try await ClientDevice.enrol(
            "coord-1", role: .coordinator, team: "north", createWith: [.coordinator], on: server, in: directory)
        let worker = try await ClientDevice.enrol(
            "worker-a", role: .careWorker, team: "north", createWith: [.careWorker], on: server, in: directory)
        let visit = try await office.store.planVisit(
            resident: "resident-1", assignedWorkers: [worker.worker], scheduledStart: 1_767_258_000_000,
            scheduledEnd: 1_767_259_800_000)
        #expect(await office.engine.sync().pendingUploadCount == 0)
        #expect(await worker.engine.sync().activity == .idle)
        for index in 1...7 {
            try await worker.store.addNote(visit: visit.record.id, text: "Note \(index) on the visit.")
        }
        return (office, worker)
    }

    /// The pass ended idle with nothing pending, the server holds each of the
    /// device's `written` operations once, and the states agree.
    static func expectStoredOnce(
        _ status: SyncEngineStatus, written: Int, _ devices: [ClientDevice], _ server: ClientTestServer
    ) async throws {
        #expect(status.activity == .idle)
        #expect(status.pendingUploadCount == 0)
        #expect(try await server.operationCount() == written)
        try await FleetSimulationTests.expectEveryOperationStoredOnce(devices, server)
        try await SyncRoundTripTests.expectMatchesServer(devices, server)
    }

    @Test("mid-request: the connection drops before the server read the whole body; nothing is stored, the retry stores it once")
    func midRequest() async throws {
        try await TestDirectory.with { directory in
            try await ClientTestServer.run(databasePath: directory.path("server.sqlite")) { server in
                let worker = try await Self.workerWithPendingReport(on: server, in: directory)
                let storedBeforeRetry = ValueBox<Int>()
                let script = ProxyScript(faults: [1: .cutRequest]) { request in
                    if request == 2 { await storedBeforeRetry.set((try? await server.operationCount()) ?? -1) }
                }
                try await FaultInjectingProxy.run(ProxyConfiguration(upstreamPort: server.port, script: script)) { proxy in
                    let device = worker.via(proxy)
                    let status = await device.engine.sync()
                    #expect(await storedBeforeRetry.value == 0, "the server stored part of a cut request")
                    #expect(await proxy.tally()[.cutRequest] == 1)
                    try await Self.expectStoredOnce(status, written: 7, [device], server)
                }
            }
        }
    }

    @Test("mid-response: the server stored the batch and the answer is cut; the retry is acknowledged, nothing is doubled")
    func midResponse() async throws {
        try await TestDirectory.with { directory in
            try await ClientTestServer.run(databasePath: directory.path("server.sqlite")) { server in
                let worker = try await Self.workerWithPendingReport(on: server, in: directory)
                let storedBeforeRetry = ValueBox<Int>()
                let script = ProxyScript(faults: [1: .cutResponse]) { request in
                    if request == 2 { await storedBeforeRetry.set((try? await server.operationCount()) ?? -1) }
                }
                try await FaultInjectingProxy.run(ProxyConfiguration(upstreamPort: server.port, script: script)) { proxy in
                    let device = worker.via(proxy)
                    let status = await device.engine.sync()
                    #expect((await storedBeforeRetry.value ?? 0) > 0, "the server had not stored the batch")
                    #expect(await proxy.tally()[.cutResponse] == 1)
                    try await Self.expectStoredOnce(status, written: 7, [device], server)
                }
            }
        }
    }

    @Test("mid-apply, between pages: a pass cancelled after its first page keeps that page and its cursor; the next pass pulls only the rest")
    func midApplyBetweenPages() async throws {
        try await TestDirectory.with { directory in
            try await ClientTestServer.run(databasePath: directory.path("server.sqlite")) { server in
                try await server.createWorker("coord-1", roles: [.coordinator], teams: ["north"])
                let planner = try await OfficePlanner("coord-1", on: server)
                let worker = try await ClientDevice.enrol(
                    "worker-a", role: .careWorker, team: "north", createWith: [.careWorker], on: server, in: directory)
                for _ in 0..<10 { _ = try await planner.planVisit(team: "north", assigned: ["worker-a"], on: server) }
                let pageSize = try #require(ClientDevice.testConfiguration.pullPageLimit)
                let firstPage = try await server.transport(token: worker.enrolment.token).pull(after: 0, limit: pageSize)

                let secondRequest = OneShotSignal()
                let cancelled = OneShotSignal()
                let script = ProxyScript(faults: [2: .dropRequest]) { request in
                    guard request == 2 else { return }
                    await secondRequest.fire()
                    await cancelled.wait()
                }
                try await FaultInjectingProxy.run(ProxyConfiguration(upstreamPort: server.port, script: script)) { proxy in
                    let device = worker.via(proxy)
                    let engine = device.engine
                    let pass = Task { await engine.sync() }
                    await secondRequest.wait()
                    pass.cancel()
                    await cancelled.fire()
                    let interrupted = await pass.value
                    #expect(interrupted.activity == .idle)
                    #expect(interrupted.pull?.pages == 1)
                    #expect(try await device.store.syncStatus().pullCursor == firstPage.nextCursor)
                    #expect(try await device.store.visits(scheduledFrom: 0, to: .max).count == pageSize)

                    let resumed = await engine.sync()
                    #expect(resumed.pull?.operations == 10 - pageSize, "the next pass pulled a page again")
                    #expect(resumed.activity == .idle)
                    try await SyncRoundTripTests.expectMatchesServer([device], server)
                }
            }
        }
    }

    @Test("mid-apply, inside the transaction: a page refused part-way leaves none of its operations and not its cursor")
    func midApplyInsideTransaction() async throws {
        try await TestDirectory.with { directory in
            try await ClientTestServer.run(databasePath: directory.path("server.sqlite")) { server in
                try await server.createWorker("coord-1", roles: [.coordinator], teams: ["north"])
                let planner = try await OfficePlanner("coord-1", on: server)
                let worker = try await ClientDevice.enrol(
                    "worker-a", role: .careWorker, team: "north", createWith: [.careWorker], on: server, in: directory)
                for _ in 0..<3 { _ = try await planner.planVisit(team: "north", assigned: ["worker-a"], on: server) }
                let page = try await server.transport(token: worker.enrolment.token).pull(after: 0, limit: nil)
                #expect(page.operations.count == 3)

                // The page's last operation claims this device's replica wrote
                // more than it did: the store refuses it only after applying the
                // operations before it, inside the page's one transaction.
                var ids = SplitMix64(seed: 5)
                var impostor = LocalReplica(
                    replica: worker.enrolment.replica, device: worker.enrolment.device, author: worker.worker)
                let forged = try impostor.write(
                    RecordRef(kind: .visitNote, id: RecordID(uuid: .version7(unixMillis: 1_767_225_600_000, using: &ids))),
                    .create,
                    [.set(VisitNote.Field.visit, .string(page.operations[0].record.id.description)), .set(VisitNote.Field.text, "x")],
                    context: VersionVector(), physicalMillis: 1_767_225_600_000)
                let before = try await worker.store.canonicalState()
                let poisoned = PullResponse(
                    operations: page.operations + [forged.operation], nextCursor: page.nextCursor, hasMore: false)
                await #expect(throws: CareStoreError.self) { try await worker.store.applyPulledPage(poisoned) }
                #expect(try await worker.store.canonicalState() == before)
                #expect(try await worker.store.syncStatus().pullCursor == 0)
                #expect(try await worker.store.visits(scheduledFrom: 0, to: .max).isEmpty)

                let status = await worker.engine.sync()
                #expect(status.activity == .idle)
                #expect(status.pull?.operations == 3)
                try await SyncRoundTripTests.expectMatchesServer([worker], server)
            }
        }
    }

    @Test("server restart in the middle of a sync: the server stops after the first batch, the same pass resumes on the restarted server")
    func serverRestartMidSync() async throws {
        try await TestDirectory.with { directory in
            let database = directory.path("server.sqlite")
            let secondRequest = OneShotSignal()
            let stopped = OneShotSignal()
            let restarted = OneShotSignal()
            let script = ProxyScript { request in
                if request == 2 {
                    // Held until the server is down, then sent to its closed port.
                    await secondRequest.fire()
                    await stopped.wait()
                } else if request > 2 {
                    await restarted.wait()
                }
            }
            // The proxy outlives both server processes; it forwards to whichever runs.
            try await FaultInjectingProxy.run(ProxyConfiguration(upstreamPort: 9, script: script)) { proxy in
                let (devices, pass) = try await ClientTestServer.run(databasePath: database) { server in
                    await proxy.redirect(toPort: server.port)
                    let (office, worker) = try await Self.visitWithPendingNotes(on: server, in: directory)
                    let engine = worker.via(proxy).engine
                    let pass = Task { await engine.sync() }
                    await secondRequest.wait()
                    // The first batch is stored, not the rest.
                    #expect(try await server.operationCount() == 1 + ClientDevice.testConfiguration.pushBatchLimit)
                    return ([office, worker], pass)
                }
                await stopped.fire()
                try await ClientTestServer.run(databasePath: database) { server in
                    await proxy.redirect(toPort: server.port)
                    await restarted.fire()
                    let status = await pass.value
                    #expect(await devices[0].reconnected(to: server).engine.sync().activity == .idle)
                    try await Self.expectStoredOnce(status, written: 8, devices, server)
                }
            }
        }
    }
}

/// A value set by one task and read by another.
actor ValueBox<Value: Sendable> {
    private(set) var value: Value?

    func set(_ newValue: Value) { value = newValue }
}
