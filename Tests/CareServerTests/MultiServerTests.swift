import CareModel
import CareServer
import Foundation
import PostgresNIO
import Testing

/// Several servers on one PostgreSQL database behave as one server: nothing
/// stored twice, nothing lost, and no pull cursor ever moves past an operation
/// that commits later (docs/ARCHITECTURE.md, "Several servers on one PostgreSQL").
@Suite("Two servers on one PostgreSQL database", .enabled(if: TestBackend.all.contains(.postgres), "CARESYNC_TEST_BACKENDS leaves PostgreSQL out"))
struct MultiServerTests {
    /// What one device's task did: the operations it wrote and those it pulled, in order.
    struct DeviceRun: Sendable {
        var name: String
        var written: [Dot] = []
        var pulled: [Dot] = []
    }

    @Test("devices syncing through both servers at once converge, and no pull misses or repeats an operation")
    func concurrentDevicesConverge() async throws {
        try await ServerPair.run { pair in
            let workers = 4
            let rounds = 8
            var office = try await pair.first.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            var devices: [TestDevice] = []
            var visits: [RecordID] = []
            for index in 0..<workers {
                let name = "worker-\(index)"
                devices.append(try await pair.server(index).enrol(name, roles: [.careWorker], teams: ["north"]))
                let (visit, plan) = try office.createVisit(team: "north", assigned: [name])
                try await pair.server(index + 1).push(office, [plan])
                visits.append(visit)
            }
            let observers = [
                try await pair.first.enrol("coord-2", roles: [.coordinator], teams: ["north"]),
                try await pair.second.enrol("coord-3", roles: [.coordinator], teams: ["north"]),
            ]

            let (workerDevices, workerVisits) = (devices, visits)
            let workersDone = Countdown(workers)
            let runs = try await withThrowingTaskGroup(of: DeviceRun.self) { group in
                for (index, device) in workerDevices.enumerated() {
                    group.addTask {
                        defer { workersDone.tick() }
                        var device = device
                        var run = DeviceRun(name: device.worker.rawValue)
                        var cursor: UInt64 = 0
                        for round in 0..<rounds {
                            let visit = workerVisits[index]
                            let batch = [try device.checkIn(visit), try device.note(on: visit).operation]
                            run.written += batch.map(\.operation.id)
                            // The same batch through both servers at once, as a retry after
                            // a lost answer would send it: stored exactly once.
                            let pusher = device
                            async let one = pair.server(index + round).push(pusher, batch)
                            async let other = pair.server(index + round + 1).push(pusher, batch)
                            let statuses = try await one.statuses + other.statuses
                            #expect(statuses.filter { $0 == .stored }.count == 2)
                            #expect(statuses.filter { $0 == .duplicate }.count == 2)
                            let pulled = try await pair.server(index + round + 1).pullAll(device, after: cursor, limit: 3)
                            run.pulled += pulled.operations.map(\.id)
                            cursor = pulled.cursor
                        }
                        return run
                    }
                }
                for (index, observer) in observers.enumerated() {
                    group.addTask {
                        // Pulls page after page, alternating servers, while the workers
                        // push through both; then once more after they are done.
                        var run = DeviceRun(name: observer.worker.rawValue)
                        var cursor: UInt64 = 0
                        var turn = index
                        var last = false
                        while !last {
                            last = workersDone.isFinished
                            let pulled = try await pair.server(turn).pullAll(observer, after: cursor, limit: 5)
                            run.pulled += pulled.operations.map(\.id)
                            cursor = pulled.cursor
                            turn += 1
                        }
                        return run
                    }
                }
                var runs: [String: DeviceRun] = [:]
                for try await run in group { runs[run.name] = run }
                return runs
            }

            // Every operation stored once, in one gapless, correctly chained log.
            let log = try await pair.second.storage.logEntries(after: 0, limit: 10_000)
            #expect(log.count == workers + workers * rounds * 2)
            #expect(log.map(\.sequence) == Array(1...UInt64(log.count)))
            var previous = ServerLogChain.genesis
            for entry in log {
                let expected = ServerLogChain.link(
                    previous: previous, operationHash: entry.hash, sequence: entry.sequence, receivedAt: entry.receivedAt)
                #expect(entry.serverHash == expected)
                previous = entry.serverHash
            }
            let stored = try log.map { try JSONDecoder().decode(CareModel.Operation.self, from: Data($0.body)).id }
            #expect(Set(stored) == Set(runs.values.flatMap(\.written)).union(stored.prefix(workers)))

            // The observers see the whole team's log, each operation exactly once and in
            // log order, although they pulled while both servers were committing.
            for observer in observers {
                #expect(runs[observer.worker.rawValue]?.pulled == stored)
            }
            // Each worker's pulls, made during the run, hold what a fresh pull from 0 returns.
            for (index, device) in devices.enumerated() {
                let fresh = try await pair.server(index).pullAll(device).operations.map(\.id)
                #expect(runs[device.worker.rawValue]?.pulled == fresh)
            }
        }
    }
}

extension MultiServerTests {
    @Test("while one ingest is in flight, no other takes a later sequence and no pull moves past it")
    func inFlightIngestHoldsBackLaterOnes() async throws {
        try await ServerPair.run { pair in
            var office = try await pair.first.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            var planner = try await pair.second.enrol("coord-2", roles: [.coordinator], teams: ["north"])
            let observer = try await pair.second.enrol("coord-3", roles: [.coordinator], teams: ["north"])
            try await pair.first.push(office, [try office.createVisit(team: "north", assigned: []).operation])
            let before = try await pair.second.pullAll(observer)
            #expect(before.cursor == 1)
            let fromOffice = [try office.createVisit(team: "north", assigned: []).operation]
            let fromPlanner = [try planner.createVisit(team: "north", assigned: []).operation]
            let (officeDevice, plannerDevice) = (office, planner)

            // An ingest that has begun and not committed: it holds the ingest lock, as
            // one would between taking sequence 2 and its commit.
            try await pair.cluster.withConnection(database: pair.database) { inFlight in
                try await inFlight.query("BEGIN", logger: PostgresTestCluster.logger)
                try await inFlight.query(
                    "SELECT pg_advisory_xact_lock(\(PostgresSyncStorage.ingestLockKey))", logger: PostgresTestCluster.logger)
                async let first = pair.first.push(officeDevice, fromOffice)
                async let second = pair.second.push(plannerDevice, fromPlanner)
                do {
                    try await pair.cluster.waitForLockWaiters(2, database: pair.database)
                    // Both pushes wait behind it, having taken no sequence; a pull now
                    // neither returns them nor moves its cursor past the committed log.
                    let during = try await pair.first.pullAll(observer, after: before.cursor)
                    #expect(during.operations.isEmpty)
                    #expect(during.cursor == before.cursor)
                } catch {
                    // Let the pushes finish before this scope awaits them.
                    _ = try? await inFlight.query("ROLLBACK", logger: PostgresTestCluster.logger)
                    throw error
                }
                try await inFlight.query("COMMIT", logger: PostgresTestCluster.logger)
                let sequences = try await (first.results + second.results).compactMap(\.sequence)
                #expect(sequences.sorted() == [2, 3])
            }
            let after = try await pair.second.pullAll(observer, after: before.cursor)
            #expect(Set(after.operations.map(\.id)) == Set((fromOffice + fromPlanner).map(\.operation.id)))
            #expect(after.cursor == 3)
        }
    }
}

/// Counts finished tasks down to zero. `@unchecked Sendable` is safe: `left`
/// is only read and written while holding `lock`.
final class Countdown: @unchecked Sendable {
    private let lock = NSLock()
    private var left: Int

    init(_ count: Int) { left = count }

    var isFinished: Bool { lock.withLock { left == 0 } }
    func tick() { lock.withLock { left -= 1 } }
}
