import CareModel
import CareStore
import CareSyncClient
import Foundation
import Testing

/// The engine on the wire: one `POST /v1/sync` per batch and page, gzip both
/// ways and the columns format by default; a plain-JSON transport without gzip
/// reaches the same state.
@Suite("Sync engine on the wire: round trips, gzip, formats", .serialized)
struct WireEfficiencyTests {
    /// A worker whose device recorded 40 notes offline while the office planned 30 more visits for it.
    static func backFromOffline(
        _ body: @Sendable (ClientTestServer, ClientDevice, ClientDevice) async throws -> Void
    ) async throws {
        try await TestDirectory.with { directory in
            try await ClientTestServer.run(databasePath: directory.path("server.sqlite")) { server in
                let office = try await ClientDevice.enrol(
                    "coord-1", role: .coordinator, team: "north", createWith: [.coordinator], on: server, in: directory)
                let worker = try await ClientDevice.enrol(
                    "worker-a", role: .careWorker, team: "north", createWith: [.careWorker], on: server, in: directory)
                let planner = try await OfficePlanner("coord-1", on: server)
                var visits: [RecordID] = []
                for _ in 0..<10 { visits.append(try await planner.planVisit(team: "north", assigned: ["worker-a"], on: server)) }
                #expect(await worker.engine.sync().activity == .idle)
                for visit in visits {
                    for index in 0..<4 {
                        try await worker.store.addNote(
                            visit: visit, text: "Visit went well, note \(index): medication taken, lunch eaten, all tidy.")
                    }
                }
                for _ in 0..<30 { _ = try await planner.planVisit(team: "north", assigned: ["worker-a"], on: server) }
                try await body(server, office, worker)
            }
        }
    }

    static func engine(
        _ device: ClientDevice, _ server: ClientTestServer, _ configuration: HTTPSyncTransport.Configuration,
        meter: TransferMeter
    ) -> SyncEngine {
        SyncEngine(
            store: device.store,
            transport: HTTPSyncTransport(configuration: configuration, token: device.enrolment.token, meter: meter),
            signer: ClientDevice.signer, sleep: ClientDevice.noWait)
    }

    @Test("40 up and 30 down take one round trip with the default sizes, gzipped both ways")
    func oneRoundTripGzipped() async throws {
        try await Self.backFromOffline { server, office, worker in
            let meter = TransferMeter()
            let status = await Self.engine(worker, server, .init(baseURL: server.baseURL), meter: meter).sync()
            #expect(status.activity == .idle)
            #expect(status.pendingUploadCount == 0)
            #expect(status.pull?.operations == 30)
            let totals = await meter.totals
            #expect(totals.roundTrips == 1)
            #expect(totals.sentBytes * 2 < totals.sentUncompressedBytes)
            #expect(totals.receivedBytes * 2 < totals.receivedUncompressedBytes)
            #expect(try await server.operationCount() == 10 + 40 + 30)
            #expect(await office.engine.sync().activity == .idle)
            try await SyncRoundTripTests.expectMatchesServer([office, worker], server)
        }
    }

    @Test("a plain-JSON transport without gzip syncs the same, byte for byte uncompressed")
    func plainJSON() async throws {
        try await Self.backFromOffline { server, office, worker in
            let meter = TransferMeter()
            let plain = HTTPSyncTransport.Configuration(baseURL: server.baseURL, format: .json, compression: false)
            let status = await Self.engine(worker, server, plain, meter: meter).sync()
            #expect(status.activity == .idle)
            #expect(status.pendingUploadCount == 0)
            let totals = await meter.totals
            #expect(totals.roundTrips == 1)
            #expect(totals.sentBytes == totals.sentUncompressedBytes)
            #expect(totals.receivedBytes == totals.receivedUncompressedBytes)
            #expect(await office.engine.sync().activity == .idle)
            try await SyncRoundTripTests.expectMatchesServer([office, worker], server)
        }
    }

    @Test("small limits split the exchange into batches and pages, each one request")
    func smallLimits() async throws {
        try await Self.backFromOffline { server, _, worker in
            let meter = TransferMeter()
            let engine = SyncEngine(
                store: worker.store,
                transport: HTTPSyncTransport(
                    configuration: .init(baseURL: server.baseURL), token: worker.enrolment.token, meter: meter),
                signer: ClientDevice.signer, configuration: SyncEngine.Configuration(pushBatchLimit: 15, pullPageLimit: 10), sleep: ClientDevice.noWait)
            let status = await engine.sync()
            #expect(status.activity == .idle)
            #expect(status.pendingUploadCount == 0)
            // 40 up in batches of 15 and 30 down in pages of 10 ride together: 3 requests,
            // and one more to learn that no page remains after the third.
            #expect(await meter.totals.roundTrips <= 4)
            try await SyncRoundTripTests.expectMatchesServer([worker], server)
        }
    }
}
