import CareModel
import CareServer
import CareStore
import CareSyncClient
import CareSyncTestSupport
import Foundation
import Testing

/// Devices sync through a proxy that drops, cuts, delays, duplicates and
/// answers 502/503; everything still arrives exactly once and converges.
@Suite("Sync through a faulty network", .serialized)
struct FaultyNetworkTests {
    @Test("a sync through the fault-injecting proxy converges and stores every operation once", arguments: [UInt64(1), 2])
    func convergesThroughFaults(seed: UInt64) async throws {
        try await TestDirectory.with { directory in
            try await ClientTestServer.run(databasePath: directory.path("server.sqlite")) { server in
                let enrolled = [
                    try await ClientDevice.enrol(
                        "coord-1", role: .coordinator, team: "north", createWith: [.coordinator], on: server,
                        in: directory),
                    try await ClientDevice.enrol(
                        "worker-a", role: .careWorker, team: "north", createWith: [.careWorker], on: server,
                        in: directory),
                    try await ClientDevice.enrol(
                        "worker-b", role: .careWorker, team: "north", createWith: [.careWorker], on: server,
                        in: directory),
                    try await ClientDevice.enrol(
                        "lead-1", role: .safeguardingLead, team: "north", createWith: [.safeguardingLead], on: server,
                        in: directory),
                ]
                let planner = try await OfficePlanner("coord-1", on: server)
                try await FaultInjectingProxy.run(
                    upstreamPort: server.port, faults: .uniform(0.05), seed: seed
                ) { proxy in
                    let url = URL(string: "http://127.0.0.1:\(proxy.port)")!
                    let devices = enrolled.map { $0.via(url) }
                    let (first, second, lead) = (devices[1], devices[2], devices[3])
                    var written = 0
                    var visits: [RecordID] = []
                    for _ in 0..<3 {
                        visits.append(
                            try await planner.planVisit(team: "north", assigned: ["worker-a", "worker-b"], on: server))
                        written += 1
                    }
                    let report = try await first.store.fileAbuseReport(
                        SyncRoundTripTests.abuseDraft("Grabbed my arm."))
                    written += 1
                    try await Self.syncUntilSettled(devices)
                    for visit in visits {
                        for device in [first, second] {
                            try await device.store.checkIn(visit: visit, AttendanceEvidence(method: .manual))
                            try await device.store.addNote(visit: visit, text: "Note by \(device.worker) on \(visit)")
                            written += 2
                        }
                    }
                    try await Self.syncUntilSettled(devices)

                    #expect(try await server.operationCount() == written)
                    #expect(try await lead.store.abuseReport(report.record.id) != nil)
                    #expect(try await second.store.abuseReport(report.record.id) == nil)
                    // The shared records (first also holds its own abuse report, which second may not see).
                    for visit in visits {
                        let shared = try #require(try await first.store.visit(visit))
                        #expect(try await second.store.visit(visit) == shared)
                        #expect(shared.notes.count == 2)
                    }
                    try await SyncRoundTripTests.expectMatchesServer(devices, server)
                    let tally = await proxy.tally()
                    #expect(tally.filter { $0.key != .none }.values.reduce(0, +) > 0, "no fault was injected")
                }
            }
        }
    }

    /// Syncs every device round after round until a whole round pushes
    /// nothing and ends idle everywhere (at most 60 rounds).
    static func syncUntilSettled(_ devices: [ClientDevice]) async throws {
        for _ in 0..<60 {
            var settled = true
            for device in devices {
                // A round that pushed something may have done so after others pulled.
                if try await device.store.pendingUploadCount() > 0 { settled = false }
                let status = await device.engine.sync()
                if status.activity != .idle || status.pendingUploadCount > 0 { settled = false }
            }
            if settled { return }
        }
        Issue.record("the devices did not settle in 60 rounds")
    }
}
