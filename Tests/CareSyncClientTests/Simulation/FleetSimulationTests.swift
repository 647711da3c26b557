import CareModel
import CareServer
import CareStore
import CareSyncClient
import CareSyncTestSupport
import Foundation
import Testing

/// A provider's day on 22 devices, each with its own store file, against a
/// real server through per-device faulty proxies: random offline periods,
/// double-handed visits, reassignments, concurrent note edits, abuse reports
/// filed offline. At the end everything converged, exactly once.
@Suite("Fleet simulation through a faulty network", .serialized)
struct FleetSimulationTests {
    static let rounds = 5
    static let faults = NetworkFaults.uniform(0.03)

    @Test("22 devices converge to the server's view; every op stored once; every report and text arrives", arguments: [UInt64(11), 22, 33])
    func fleetConverges(seed: UInt64) async throws {
        try await TestDirectory.with { directory in
            try await ClientTestServer.run(databasePath: directory.path("server.sqlite")) { server in
                let members = try await SimulatedFleet.enrol(on: server, in: directory)
                try await ProxyFleet.run(
                    count: members.count, upstreamPort: server.port, faults: Self.faults, seed: seed
                ) { proxies in
                    let fleet = SimulatedFleet(members, through: proxies)
                    #expect(fleet.devices.count >= 20)
                    var scenario = FleetScenario(fleet: fleet, seed: seed)
                    for _ in 0..<Self.rounds { try await scenario.runRound() }
                    try await FaultyNetworkTests.syncUntilSettled(fleet.devices)
                    try await scenario.editNotesAfterSettling()
                    try await FaultyNetworkTests.syncUntilSettled(fleet.devices)

                    try await SyncRoundTripTests.expectMatchesServer(fleet.devices, server)
                    try await Self.expectEveryOperationStoredOnce(fleet.devices, server)
                    try await scenario.ledger.expectAllReadable(auditor: fleet.auditor.store, lead: fleet.lead.store)
                    var injected = 0
                    for proxy in proxies { injected += await proxy.tally().filter { $0.key != .none }.values.reduce(0, +) }
                    #expect(injected > 0, "no fault was injected")
                    let tally = scenario.tally
                    #expect(tally.plannedDoubleHanded > 0 && tally.reassignments > 0 && tally.amendedOnTwoPhones > 0)
                    #expect(tally.markedEnteredInError > 0 && tally.offlineReports > 0)
                    print("fleet seed \(seed): \(try await server.operationCount()) ops, \(injected) faults injected; \(tally)")
                }
            }
        }
    }

    /// The server's log holds each device's outbox exactly: no operation
    /// missing, none twice, nothing else but the server's own writes (none
    /// while its jobs wait, ``ClientTestServer``; kept out should they run).
    static func expectEveryOperationStoredOnce(_ devices: [ClientDevice], _ server: ClientTestServer) async throws {
        var written: [OperationHash] = []
        for device in devices {
            #expect(try await device.store.pendingUploadCount() == 0)
            written += try await device.store.localOperations(limit: 100_000).map(\.hash)
        }
        let log = try await server.storage.logEntries(after: 0, limit: 1_000_000)
            .filter { try CareModel.Operation(canonicalBytes: $0.body).author != ServerIdentity.workerID }.map(\.hash)
        #expect(log.count == Set(log).count, "the server's log holds an operation twice")
        #expect(log.count == written.count)
        #expect(Set(log) == Set(written))
    }
}
