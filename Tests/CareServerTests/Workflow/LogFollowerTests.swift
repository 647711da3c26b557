import CareModel
import CareServer
import ServiceLifecycleTestKit
import Testing

/// How a log follower moves and stores its cursor: at least once, the cursor
/// stored every stride of positions and when it has caught up.
@Suite("Log follower")
struct LogFollowerTests {
    @Test(
        "the cursor is stored every stride; after a failure the pages since the stored cursor are handled again, then caught up",
        arguments: TestBackend.all)
    func storesItsCursorEveryStride(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let visits = try (0..<10).map { _ in try office.createVisit(team: "north", assigned: []).operation }
            try await server.push(office, visits)
            let sequences = try await server.storage.logEntries(after: 0, limit: 100).map(\.sequence)
            #expect(sequences.count == 10)

            let seen = SeenSequences()
            let follower = LogFollower(
                job: "test-follower", storage: server.storage, clock: server.clock, pageSize: 2, cursorStride: 4
            ) { page in
                try await seen.handle(page.map(\.entry.sequence), failingAt: sequences[6])
            }
            // Fails on the page holding the seventh entry: the cursor was last
            // stored after the fourth, though six were handled.
            await #expect(throws: FollowerTestError.self) { try await follower.catchUp() }
            #expect(try await server.storage.jobCursor("test-follower") == sequences[3])
            #expect(await seen.handled == Array(sequences[0..<6]))

            // The next catch-up starts after the stored cursor and stores the end.
            #expect(try await follower.catchUp() == 6)
            #expect(await seen.handled == Array(sequences[0..<6]) + Array(sequences[4...]))
            #expect(try await server.storage.jobCursor("test-follower") == sequences[9])
            #expect(try await follower.catchUp() == 0)
        }
    }
}

private struct FollowerTestError: Error {}

/// The sequences a handler was given, in order; fails once on a given one.
extension LogFollowerTests {
    @Test("on graceful shutdown a catch-up stops after the page in hand with its cursor stored, and the next goes on from there", arguments: TestBackend.all)
    func stopsOnGracefulShutdown(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let visits = try (0..<10).map { _ in try office.createVisit(team: "north", assigned: []).operation }
            try await server.push(office, visits)
            let sequences = try await server.storage.logEntries(after: 0, limit: 100).map(\.sequence)
            let seen = SeenSequences()
            let handled = try await testGracefulShutdown { shutdown in
                let follower = LogFollower(
                    job: "test-follower", storage: server.storage, clock: server.clock, pageSize: 2, cursorStride: 100
                ) { page in
                    try await seen.handle(page.map(\.entry.sequence), failingAt: 0)
                    shutdown.triggerGracefulShutdown()
                }
                return try await follower.catchUp()
            }
            #expect(handled == 2)
            #expect(await seen.handled == Array(sequences[0..<2]))
            #expect(try await server.storage.jobCursor("test-follower") == sequences[1])

            let follower = LogFollower(
                job: "test-follower", storage: server.storage, clock: server.clock, pageSize: 2, cursorStride: 100
            ) { page in try await seen.handle(page.map(\.entry.sequence), failingAt: 0) }
            #expect(try await follower.catchUp() == sequences.count - 2)
            #expect(await seen.handled == sequences)
            #expect(try await server.storage.jobCursor("test-follower") == sequences.last)
        }
    }
}

private actor SeenSequences {
    private(set) var handled: [UInt64] = []
    private var failed = false

    func handle(_ sequences: [UInt64], failingAt failure: UInt64) throws {
        if !failed, sequences.contains(failure) {
            failed = true
            throw FollowerTestError()
        }
        handled += sequences
    }
}
