import CareModel
import CareServer
import Hummingbird
import Testing

@Suite("Retries and duplicates change nothing")
struct IdempotencyTests {
    @Test("a retried batch answers duplicate for every operation and stores nothing more", arguments: TestBackend.all)
    func retriedBatch(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let (visit, plan) = try office.createVisit(team: "north", assigned: ["worker-a"])
            let update = try office.assign(visit, to: ["worker-a", "worker-b"])
            let first = try await server.push(office, [plan, update])
            let before = try await server.counts()
            let retry = try await server.push(office, [plan, update])
            #expect(retry.statuses == [.duplicate, .duplicate])
            #expect(retry.results.map(\.sequence) == first.results.map(\.sequence))
            #expect(try await server.counts() == before)
        }
    }

    @Test("a batch that partly overlaps what is stored stores only the new tail", arguments: TestBackend.all)
    func overlappingBatch(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let one = try office.createVisit(team: "north", assigned: []).operation
            let two = try office.createVisit(team: "north", assigned: []).operation
            try await server.push(office, [one])
            let response = try await server.push(office, [one, two])
            #expect(response.statuses == [.duplicate, .stored])
            #expect(try await server.counts().operations == 2)
        }
    }

    @Test("the same batch sent twice at once is stored once", arguments: TestBackend.all)
    func concurrentDuplicates(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            var operations: [ChainedOperation] = []
            for _ in 0..<20 { operations.append(try office.createVisit(team: "north", assigned: ["w"]).operation) }
            let batch = operations
            let device = office
            async let first = server.push(device, batch)
            async let second = server.push(device, batch)
            let responses = try await [first, second]
            let stored = responses.flatMap(\.statuses).filter { $0 == .stored }.count
            let duplicates = responses.flatMap(\.statuses).filter { $0 == .duplicate }.count
            #expect(stored == 20)
            #expect(duplicates == 20)
            #expect(try await server.counts().operations == 20)
        }
    }

    @Test("an operation repeated inside one batch is stored once", arguments: TestBackend.all)
    func repeatedWithinBatch(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let one = try office.createVisit(team: "north", assigned: []).operation
            let response = try await server.push(office, [one, one])
            #expect(response.statuses == [.stored, .duplicate])
            #expect(try await server.counts().operations == 1)
        }
    }
}
