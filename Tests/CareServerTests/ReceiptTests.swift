import CareModel
import CareServer
import Foundation
import Hummingbird
import Testing

@Suite("The server signs a receipt for every operation it holds")
struct ReceiptTests {
    @Test("a push's receipts verify; pushed again, an operation keeps its first receipt's time and sequence", arguments: TestBackend.all)
    func storedAndAlreadyStored(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            let key = try ServerPublicKey(base64: server.serverKey)
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let (visit, plan) = try office.createVisit(team: "north", assigned: ["worker-a"])
            let reassign = try office.assign(visit, to: ["worker-b"])
            let first = try await server.push(office, [plan, reassign])
            let receipts = try #require(first.receipts).receipts(verifiedWith: key)
            #expect(receipts.map(\.entry.id) == [plan.operation.id, reassign.operation.id])
            #expect(receipts.map(\.entry.hash) == [plan.hash, reassign.hash])
            #expect(receipts.map(\.entry.sequence) == first.results.map(\.sequence))
            #expect(receipts.allSatisfy { $0.entry.receivedAt == 1_767_225_600_000 })
            for receipt in receipts { try receipt.verify(with: key) }

            server.clock.advance(seconds: 60)
            let (_, note) = try office.note(on: visit)
            let second = try await server.push(office, [plan, reassign, note])
            #expect(second.statuses == [.duplicate, .duplicate, .stored])
            let again = try #require(second.receipts).receipts(verifiedWith: key)
            #expect(Array(again.prefix(2).map(\.entry)) == receipts.map(\.entry))
            #expect(again[2].entry.receivedAt == 1_767_225_660_000)
            #expect(again[2].entry.hash == note.hash)
        }
    }

    @Test("rejected operations get no receipt; a push that holds nothing has none", arguments: TestBackend.all)
    func noReceiptForRejected(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            let key = try ServerPublicKey(base64: server.serverKey)
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let plan = try office.createVisit(team: "north", assigned: []).operation
            let foreign = try office.createVisit(team: "south", assigned: []).operation
            let response = try await server.push(office, [plan, foreign])
            #expect(response.statuses == [.stored, .rejected])
            #expect(try #require(response.receipts).receipts(verifiedWith: key).map(\.entry.id) == [plan.operation.id])
            let refused = try await server.push(office, [foreign])
            #expect(refused.statuses == [.rejected])
            #expect(refused.receipts == nil)
        }
    }

    @Test("the sync answer carries the receipts in both wire formats", arguments: TestBackend.all)
    func syncAnswerFormats(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            let key = try ServerPublicKey(base64: server.serverKey)
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let operations = [
                try office.createVisit(team: "north", assigned: []).operation,
                try office.createVisit(team: "north", assigned: []).operation,
            ]
            for format in WireFormat.allCases {
                let body = SyncRequest(push: office.pushRequest(operations), after: 0)
                var headers = HTTPFields()
                headers[.accept] = format.mediaType
                let result = try await server.request(
                    .post, "/v1/sync", token: office.token, body: Array(try JSONEncoder().encode(body)), headers: headers)
                #expect(result.status == .ok)
                let decoder = JSONDecoder()
                decoder.userInfo[WireFormat.userInfoKey] = format
                let answer = try decoder.decode(SyncResponse.self, from: Data(result.body))
                let receipts = try #require(answer.push?.receipts).receipts(verifiedWith: key)
                #expect(receipts.map(\.entry.hash) == operations.map(\.hash), "\(format)")
            }
        }
    }
}
