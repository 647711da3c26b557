import CareModel
import CareServer
import Hummingbird
import Testing

/// The planner on its own: no server, no database. Each case is a batch and a
/// snapshot of what the server holds.
@Suite("IngestPlanner decides without I/O")
struct IngestPlannerTests {
    static let coordinator = Worker(id: WorkerID("coord-1")!, roles: [.coordinator], teams: [TeamID("north")!])
    static let planner = IngestPlanner(maximumOperationBytes: 64 * 1024)

    static func replica() -> LocalReplica {
        LocalReplica(
            replica: TestServer.newReplica(), device: DeviceID(uuid: TestServer.newReplica().uuid),
            author: coordinator.id)
    }

    static func createVisit(_ replica: inout LocalReplica, assigned: [String] = ["worker-a"]) throws -> ChainedOperation {
        try replica.write(
            RecordRef(kind: .visit, id: TestDevice.newRecordID()), .create,
            [
                .set(Visit.Field.resident, "r1"), .set(Visit.Field.team, "north"),
                .set(Visit.Field.assignedWorkers, .list(assigned.map { .string($0) })),
                .set(Visit.Field.scheduledStart, .int(1_767_258_000_000)),
                .set(Visit.Field.scheduledEnd, .int(1_767_259_800_000)),
            ], context: VersionVector(), physicalMillis: 1_767_225_600_000)
    }

    static func batch(_ replica: LocalReplica, _ operations: [ChainedOperation], head: OperationHash? = nil) -> IngestBatch {
        IngestBatch(
            replica: replica.replica, device: replica.device, worker: coordinator, operations: operations.map(\.operation),
            head: head, receivedAt: 1_767_225_600_000)
    }

    static let empty = IngestSnapshot(replicaHead: nil, stored: [:], records: [:], assignedVisits: [], logHead: .empty)

    @Test("new operations are stored in order, indexed, and grant their assigned workers")
    func storesAndIndexes() throws {
        var replica = Self.replica()
        let one = try Self.createVisit(&replica, assigned: ["worker-a", "worker-b"])
        let two = try Self.createVisit(&replica)
        let plan = Self.planner.plan(Self.batch(replica, [one, two], head: two.hash), snapshot: Self.empty)
        #expect(plan.results.map(\.status) == [.stored, .stored])
        #expect(plan.operations.map(\.sequence) == [1, 2])
        #expect(plan.operations.map(\.hash) == [one.hash, two.hash])
        #expect(plan.newRecords.map(\.team) == [TeamID("north"), TeamID("north")])
        #expect(plan.grants.map(\.worker.rawValue) == ["worker-a", "worker-b", "worker-a"])
        #expect(plan.grants.map(\.grantedAt) == [1, 1, 2])
    }

    @Test("a batch sealed after a wrong predecessor is planned as one sealed after the stored one", arguments: [false, true])
    func predecessorIsOnlyAGuess(guessedRight: Bool) throws {
        var replica = Self.replica()
        let first = try Self.createVisit(&replica)
        let second = try Self.createVisit(&replica)
        let third = try Self.createVisit(&replica)
        let stored = IngestSnapshot(
            replicaHead: (1, first.hash), stored: [1: .init(hash: first.hash, sequence: 1, receivedAt: 1_767_225_000_000)],
            records: [:], assignedVisits: [], logHead: LogHead(sequence: 1, serverHash: ServerLogChain.genesis))
        let batch = IngestBatch(
            replica: replica.replica, device: replica.device, worker: Self.coordinator,
            operations: [second.operation, third.operation], head: third.hash, receivedAt: 1_767_225_600_000,
            predecessor: guessedRight ? first.hash : .genesis)
        #expect(batch.sealed.first?.previous == (guessedRight ? first.hash : .genesis))
        let plan = Self.planner.plan(batch, snapshot: stored)
        #expect(plan.results.map(\.status) == [.stored, .stored])
        #expect(plan.operations.map(\.hash) == [second.hash, third.hash])
        #expect(plan.operations.map(\.body) == [second.canonicalBytes, third.canonicalBytes])
    }

    @Test("a snapshot that already holds the operations makes them duplicates and writes nothing")
    func duplicates() throws {
        var replica = Self.replica()
        let one = try Self.createVisit(&replica)
        let stored = IngestSnapshot(
            replicaHead: (1, one.hash), stored: [1: .init(hash: one.hash, sequence: 7, receivedAt: 1_767_225_000_000)], records: [:],
            assignedVisits: [], logHead: LogHead(sequence: 7, serverHash: ServerLogChain.genesis))
        let plan = Self.planner.plan(Self.batch(replica, [one]), snapshot: stored)
        #expect(plan.results == [OperationResult(id: one.operation.id, status: .duplicate, sequence: 7)])
        #expect(plan.operations.isEmpty && plan.newRecords.isEmpty && plan.grants.isEmpty)
        // Its receipt states the first push's sequence and time, not this batch's.
        #expect(
            plan.receipts == [
                ReceiptEntry(
                    replica: replica.replica, counter: 1, hash: one.hash, sequence: 7, receivedAt: 1_767_225_000_000)
            ])
        #expect(plan.quarantined.isEmpty)
    }

    @Test("a wrong head rejects every new operation and writes nothing")
    func wrongHead() throws {
        var replica = Self.replica()
        let one = try Self.createVisit(&replica)
        let plan = Self.planner.plan(Self.batch(replica, [one], head: .genesis), snapshot: Self.empty)
        #expect(plan.results.map(\.error?.code) == ["chain_mismatch"])
        #expect(plan.operations.isEmpty)
        #expect(plan.receipts.isEmpty)
        #expect(plan.quarantined.map(\.code) == ["chain_mismatch"])
        #expect(plan.quarantined.map(\.body) == [one.canonicalBytes])
    }
}
