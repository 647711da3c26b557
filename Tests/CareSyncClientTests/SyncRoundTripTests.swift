import CareModel
import CareServer
import CareStore
import CareSyncClient
import Foundation
import Testing

/// Devices with real stores sync through a real server over real HTTP.
@Suite("Sync engine against a real server", .serialized)
struct SyncRoundTripTests {
    /// Every device's canonical state equals the server's reduction of what its worker may see.
    static func expectMatchesServer(_ devices: [ClientDevice], _ server: ClientTestServer) async throws {
        for device in devices {
            let local = try await device.store.canonicalState()
            let expected = try await server.canonicalState(for: device.worker)
            #expect(local == expected, "device of \(device.worker) differs from the server's reduction")
        }
    }

    static func abuseDraft(_ statement: String) -> AbuseReportDraft {
        AbuseReportDraft(
            incidentKind: "verbal", occurredAt: 1_767_258_000_000, involved: [.init(relationship: "family_member")],
            statement: statement, severity: 2)
    }

    @Test("a visit plan reaches the worker; the check-in and note come back to the coordinator")
    func planAndEvidenceRoundTrip() async throws {
        try await TestDirectory.with { directory in
            try await ClientTestServer.run(databasePath: directory.path("server.sqlite")) { server in
                let office = try await ClientDevice.enrol(
                    "coord-1", role: .coordinator, team: "north", createWith: [.coordinator], on: server, in: directory)
                let worker = try await ClientDevice.enrol(
                    "worker-a", role: .careWorker, team: "north", createWith: [.careWorker], on: server, in: directory)

                let planner = try await OfficePlanner("coord-1", on: server)
                let visit = try await planner.planVisit(team: "north", assigned: ["worker-a"], on: server)
                let officeStatus = await office.engine.sync()
                #expect(officeStatus.activity == .idle)
                #expect(officeStatus.pendingUploadCount == 0)
                #expect(officeStatus.lastSuccessfulSync != nil)

                let pulled = await worker.engine.sync()
                #expect(pulled.activity == .idle)
                #expect(pulled.pull?.operations == 1)
                #expect(try await worker.store.visit(visit) != nil)

                try await worker.store.checkIn(visit: visit, AttendanceEvidence(method: .manual))
                let note = try await worker.store.addNote(visit: visit, text: "Had lunch, in good spirits.")
                #expect(await worker.engine.sync().pendingUploadCount == 0)
                #expect(await office.engine.sync().activity == .idle)

                let seen = try #require(try await office.store.visit(visit))
                #expect(seen.checkIns.map(\.worker) == [worker.worker])
                #expect(try await office.store.note(note.record.id)?.text == "Had lunch, in good spirits.")
                #expect(try await server.operationCount() == 3)
                try await Self.expectMatchesServer([office, worker], server)
            }
        }
    }

    @Test("an abuse report filed offline reaches the server and the safeguarding lead, not a colleague")
    func abuseReportVisibility() async throws {
        try await TestDirectory.with { directory in
            try await ClientTestServer.run(databasePath: directory.path("server.sqlite")) { server in
                let reporter = try await ClientDevice.enrol(
                    "worker-a", role: .careWorker, team: "north", createWith: [.careWorker], on: server, in: directory)
                let colleague = try await ClientDevice.enrol(
                    "worker-b", role: .careWorker, team: "north", createWith: [.careWorker], on: server, in: directory)
                let lead = try await ClientDevice.enrol(
                    "lead-1", role: .safeguardingLead, team: "north", createWith: [.safeguardingLead], on: server,
                    in: directory)

                let report = try await reporter.store.fileAbuseReport(Self.abuseDraft("Shouted at me at the door."))
                #expect(try await reporter.store.syncState(of: report.record) == .localOnly)
                let status = await reporter.engine.sync()
                #expect(status.activity == .idle)
                #expect(status.pendingUploadCount == 0)
                #expect(try await reporter.store.syncState(of: report.record) == .acknowledged)
                #expect(try await server.operationCount() == 1)

                #expect(await lead.engine.sync().activity == .idle)
                #expect(await colleague.engine.sync().activity == .idle)
                #expect(try await lead.store.abuseReport(report.record.id)?.reporter == reporter.worker)
                #expect(try await colleague.store.abuseReport(report.record.id) == nil)
                #expect(try await colleague.store.abuseReports().isEmpty)
                try await Self.expectMatchesServer([reporter, colleague, lead], server)
            }
        }
    }

    @Test("two workers recording the same double-handed visit offline converge")
    func doubleHandedVisitConverges() async throws {
        try await TestDirectory.with { directory in
            try await ClientTestServer.run(databasePath: directory.path("server.sqlite")) { server in
                let office = try await ClientDevice.enrol(
                    "coord-1", role: .coordinator, team: "north", createWith: [.coordinator], on: server, in: directory)
                let first = try await ClientDevice.enrol(
                    "worker-a", role: .careWorker, team: "north", createWith: [.careWorker], on: server, in: directory)
                let second = try await ClientDevice.enrol(
                    "worker-b", role: .careWorker, team: "north", createWith: [.careWorker], on: server, in: directory)
                let planner = try await OfficePlanner("coord-1", on: server)
                let visit = try await planner.planVisit(team: "north", assigned: ["worker-a", "worker-b"], on: server)
                await office.engine.sync()
                await first.engine.sync()
                await second.engine.sync()

                // Both offline: each records the same visit.
                for device in [first, second] {
                    try await device.store.checkIn(visit: visit, AttendanceEvidence(method: .manual))
                    try await device.store.addNote(visit: visit, text: "Note by \(device.worker)")
                    try await device.store.checkOut(visit: visit, AttendanceEvidence(method: .manual))
                }
                for device in [first, second, first, office] {
                    #expect(await device.engine.sync().activity == .idle)
                }
                let firstView = try #require(try await first.store.visit(visit))
                let secondView = try #require(try await second.store.visit(visit))
                #expect(Set(firstView.checkIns.map(\.worker)) == [first.worker, second.worker])
                #expect(firstView.notes.count == 2)
                #expect(firstView == secondView)
                #expect(try await first.store.canonicalState() == second.store.canonicalState())
                #expect(try await server.operationCount() == 7)
                try await Self.expectMatchesServer([office, first, second], server)
            }
        }
    }

    @Test("a push whose answer was lost is sent again and stored once")
    func lostPushResponse() async throws {
        try await TestDirectory.with { directory in
            try await ClientTestServer.run(databasePath: directory.path("server.sqlite")) { server in
                let reporter = try await ClientDevice.enrol(
                    "worker-a", role: .careWorker, team: "north", createWith: [.careWorker], on: server, in: directory)
                let report = try await reporter.store.fileAbuseReport(Self.abuseDraft("Pushed me."))
                for text in ["First.", "Second.", "Third.", "Fourth."] {
                    try await reporter.store.addSupplement(report: report.record.id, text: text)
                }
                // The device sends its first batch; the answer never arrives.
                let batch = try #require(try await reporter.store.nextUploadBatch(limit: 3))
                try await reporter.store.markSent(batch)
                _ = try await server.transport(token: reporter.enrolment.token).push(batch.pushRequest.signed(by: ClientDevice.signer))
                #expect(try await reporter.store.syncStatus().sentCount == batch.operations.count)
                #expect(try await server.operationCount() == batch.operations.count)

                let status = await reporter.engine.sync()
                #expect(status.activity == .idle)
                #expect(status.pendingUploadCount == 0)
                #expect(try await server.operationCount() == 5)
                let log = try await server.storage.logEntries(after: 0, limit: 100)
                #expect(Set(log.map(\.hash)).count == 5)

                // A page applied twice (a duplicated answer) changes nothing.
                let before = try await reporter.store.canonicalState()
                let page = try await server.transport(token: reporter.enrolment.token).pull(after: 0, limit: nil)
                try await reporter.store.applyPulledPage(page)
                try await reporter.store.applyPulledPage(page)
                #expect(try await reporter.store.canonicalState() == before)
                try await Self.expectMatchesServer([reporter], server)
            }
        }
    }

    @Test("a long pull arrives in pages and reports its progress")
    func pagedPullProgress() async throws {
        try await TestDirectory.with { directory in
            try await ClientTestServer.run(databasePath: directory.path("server.sqlite")) { server in
                let office = try await ClientDevice.enrol(
                    "coord-1", role: .coordinator, team: "north", createWith: [.coordinator], on: server, in: directory)
                let worker = try await ClientDevice.enrol(
                    "worker-a", role: .careWorker, team: "north", createWith: [.careWorker], on: server, in: directory)
                let planner = try await OfficePlanner("coord-1", on: server)
                for _ in 0..<10 { _ = try await planner.planVisit(team: "north", assigned: ["worker-a"], on: server) }
                #expect(await office.engine.sync().pull?.operations == 10)

                let updates = await worker.engine.statusUpdates()
                let status = await worker.engine.sync()
                #expect(status.pull?.operations == 10)
                #expect((status.pull?.pages ?? 0) >= 3)
                #expect(status.pull?.hasMore == false)
                // The stream keeps the newest value: after the pass, that is its final status.
                var iterator = updates.makeAsyncIterator()
                #expect(await iterator.next() == status)
                try await Self.expectMatchesServer([office, worker], server)
            }
        }
    }
}
