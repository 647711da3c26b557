import CareModel
import CareServer
import Hummingbird
import Foundation
import Testing

@Suite("The server log: sequence numbers, receive times and the server hash chain")
struct ServerLogTests {
    @Test("stored operations get consecutive sequences, the receive time, and chain into the server log", arguments: TestBackend.all)
    func serverChain(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            var worker = try await server.enrol("worker-a", roles: [.careWorker], teams: ["north"])
            let (visit, plan) = try office.createVisit(team: "north", assigned: ["worker-a"])
            try await server.push(office, [plan])
            server.clock.advance(seconds: 60)
            let evidence = [try worker.checkIn(visit), try worker.note(on: visit).operation]
            try await server.push(worker, evidence)

            let log = try await server.storage.logEntries(after: 0, limit: 100)
            #expect(log.map(\.sequence) == [1, 2, 3])
            #expect(log.map(\.receivedAt) == [1_767_225_600_000, 1_767_225_660_000, 1_767_225_660_000])
            let written = [plan] + evidence
            var previous = ServerLogChain.genesis
            for (entry, chained) in zip(log, written) {
                #expect(entry.body == chained.canonicalBytes)
                #expect(entry.hash == chained.hash)
                let expected = ServerLogChain.link(
                    previous: previous, operationHash: chained.hash, sequence: entry.sequence,
                    receivedAt: entry.receivedAt)
                #expect(entry.serverHash == expected)
                previous = entry.serverHash
            }
        }
    }
}
