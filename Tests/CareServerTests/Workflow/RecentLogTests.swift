import CareModel
import CareServer
import Testing

/// The log entries a server has just stored, kept for its followers: read
/// before the database, with the same result.
@Suite("Recent log")
struct RecentLogTests {
    @Test(
        "a follower reading the recent log, across a hole, is handed what a follower reading the database is",
        arguments: TestBackend.all)
    func sameAsTheDatabase(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let recent = RecentLog(capacity: 100)
            var batchEnds: [UInt64] = []
            for batch in 0..<3 {
                let (plan, stored) = try await Self.ingest(Self.visitsWithNotes(3, by: &office), by: office, on: server)
                // The middle batch never reaches the recent log: a hole, as
                // another server's writes on a shared database leave.
                if batch != 1 { await recent.add(plan, of: stored) }
                batchEnds.append(try #require(plan.operations.last?.sequence))
            }
            #expect(await recent.window(after: batchEnds[0], positions: 10, kinds: nil) == nil)
            #expect(await recent.window(after: batchEnds[1], positions: 10, kinds: nil)?.entries.count == 6)

            // From memory only, a follower stops at the hole; a catch-up reads past it.
            let handed = HandedEntries()
            let follower = LogFollower(
                job: "memory-only", storage: server.storage, clock: server.clock, pageSize: 4, recentLog: recent
            ) { page in await handed.add(page) }
            #expect(try await follower.catchUpFromMemory() == 6)
            #expect(try await server.storage.jobCursor("memory-only") == batchEnds[0])
            #expect(try await follower.catchUpFromMemory() == 0)
            #expect(try await follower.catchUp() == 12)
            #expect(try await server.storage.jobCursor("memory-only") == batchEnds[2])
            let sequences = try await Self.sequences(on: server)
            #expect(await handed.entries.map(\.entry.sequence) == sequences)

            for kinds in [nil, [RecordKind.visitNote]] {
                let fromMemory = HandedEntries()
                let fromDatabase = HandedEntries()
                for (job, log, handed) in [("memory", recent, fromMemory), ("database", nil, fromDatabase)] {
                    let follower = LogFollower(
                        job: "\(job)-\(kinds == nil)", storage: server.storage, clock: server.clock, pageSize: 4,
                        kinds: kinds, recentLog: log
                    ) { page in await handed.add(page) }
                    try await follower.catchUp()
                }
                let expected = try await server.storage.logEntries(after: 0, limit: 100).filter { entry in
                    kinds == nil || (try? CareModel.Operation(canonicalBytes: entry.body).record.kind) == .visitNote
                }
                #expect(await fromDatabase.entries.map(\.entry) == expected)
                #expect(expected.count == (kinds == nil ? 18 : 9))
                #expect(await fromMemory.entries == fromDatabase.entries)
            }
        }
    }

    @Test("it keeps the last `capacity` positions, and a window stops at its size", arguments: [TestBackend.sqlite])
    func keepsTheLastPositions(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let recent = RecentLog(capacity: 4)
            let (plan, batch) = try await Self.ingest(Self.visitsWithNotes(3, by: &office), by: office, on: server)
            await recent.add(plan, of: batch)
            let sequences = plan.operations.map(\.sequence)
            #expect(await recent.window(after: sequences[0], positions: 10, kinds: nil) == nil)
            let kept = try #require(await recent.window(after: sequences[1], positions: 10, kinds: nil))
            #expect(kept.entries.map(\.entry.sequence) == Array(sequences[2...]))
            #expect(kept.entries.map(\.operation) == Array(batch.operations[2...]))
            #expect(kept.end == sequences[5])
            let notes = try #require(await recent.window(after: sequences[1], positions: 2, kinds: [.visitNote]))
            #expect(notes.entries.map(\.entry.sequence) == [sequences[3]])
            #expect(notes.end == sequences[3])
        }
    }

    @Test("what every reader has passed is forgotten; a job that is not a reader frees nothing")
    func forgetsWhatTheReadersPassed() async throws {
        try await TestServer.run(.sqlite) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let recent = RecentLog(capacity: 100, readers: ["review", "notifier"])
            let (plan, batch) = try await Self.ingest(Self.visitsWithNotes(2, by: &office), by: office, on: server)
            await recent.add(plan, of: batch)
            let sequences = plan.operations.map(\.sequence)
            let before = sequences[0] - 1
            await recent.passed("review", through: sequences[2])
            await recent.passed("other", through: sequences[3])
            #expect(await recent.window(after: before, positions: 10, kinds: nil)?.entries.count == 4)
            await recent.passed("notifier", through: sequences[1])
            #expect(await recent.window(after: before, positions: 10, kinds: nil) == nil)
            #expect(await recent.window(after: sequences[1], positions: 10, kinds: nil)?.entries.count == 2)
        }
    }

    @Test("a job is woken once a backlog of additions built up since it was last woken")
    func wakesAfterABacklog() async throws {
        try await TestServer.run(.sqlite) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let recent = RecentLog(capacity: 100)
            #expect(await !recent.wakes("review", after: 1))
            let (plan, batch) = try await Self.ingest(Self.visitsWithNotes(2, by: &office), by: office, on: server)
            await recent.add(plan, of: batch)
            #expect(await !recent.wakes("review", after: 5))
            #expect(await recent.wakes("review", after: 4))
            #expect(await !recent.wakes("review", after: 1))
            #expect(await recent.wakes("notifier", after: 4))
            #expect(await !recent.wakes("review", after: 0))
        }
    }

    @Test(
        "pushes over HTTP reach the recent log; a backlog wakes the followers before their interval, and they free it",
        arguments: TestBackend.all)
    func pushesWakeTheFollowers(backend: TestBackend) async throws {
        try await TestServer.run(backend, configure: { $0.jobWakeOperations = 5 }) { server in
            var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let recent = server.workflows.recentLog
            // Four operations: short of the backlog, so nothing wakes yet.
            try await server.push(office, try Self.visitsWithNotes(2, by: &office))
            let stored = try await server.storage.logEntries(after: 0, limit: 100)
            let before = try #require(stored.first?.sequence) - 1
            let window = try #require(await recent.window(after: before, positions: 100, kinds: nil))
            #expect(window.entries.map(\.entry) == stored)
            // Two more reach it. The job interval is a day: only the early wake moves the cursors.
            try await server.push(office, try Self.visitsWithNotes(1, by: &office))
            let last = try #require(try await server.storage.logEntries(after: 0, limit: 100).last?.sequence)
            for follower in [server.workflows.reviewFollower, server.workflows.abuseReportFollower] {
                for _ in 0..<600 where try await server.storage.jobCursor(follower.job) < last {
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(try await server.storage.jobCursor(follower.job) == last)
            }
            // Both readers passed every entry: none is kept.
            #expect(await recent.window(after: before, positions: 100, kinds: nil) == nil)
        }
    }

    /// Every position of the server's log.
    private static func sequences(on server: TestServer) async throws -> [UInt64] {
        try await server.storage.logEntries(after: 0, limit: 1_000).map(\.sequence)
    }

    /// `count` visits, each with a note, as one batch's operations.
    private static func visitsWithNotes(_ count: Int, by device: inout TestDevice) throws -> [ChainedOperation] {
        try (0..<count).flatMap { _ in
            let (visit, create) = try device.createVisit(team: "north", assigned: [])
            return [create, try device.note(on: visit).operation]
        }
    }

    /// Stores `operations` through the storage's ingest, as a push does, past the HTTP server.
    private static func ingest(
        _ operations: [ChainedOperation], by device: TestDevice, on server: TestServer
    ) async throws -> (IngestPlan, IngestBatch) {
        let worker = try #require(try await server.storage.worker(device.worker))
        let batch = IngestBatch(
            replica: device.replica.replica, device: device.replica.device, worker: worker,
            operations: operations.map(\.operation), head: nil, receivedAt: server.clock.nowMillis())
        let plan = try await server.storage.ingest(
            batch, planner: IngestPlanner(maximumOperationBytes: server.configuration.maximumOperationBytes))
        #expect(plan.storedCount == operations.count)
        return (plan, batch)
    }
}

/// What a follower's handler was handed, in order.
private actor HandedEntries {
    struct Handed: Equatable {
        let entry: CareServer.LogEntry
        let operation: CareModel.Operation
    }

    private(set) var entries: [Handed] = []

    func add(_ page: [FollowedEntry]) {
        entries += page.map { Handed(entry: $0.entry, operation: $0.operation) }
    }
}
