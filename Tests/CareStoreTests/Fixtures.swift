import CareModel
import Foundation
import GRDB
import Testing

@testable import CareStore


/// A manual clock and seeded randomness for the store.
///
/// `@unchecked Sendable` is safe: the only mutable state (`millis`, `random`)
/// is read and written only while holding `lock`.
final class TestEnvironment: @unchecked Sendable {
    private let lock = NSLock()
    private var millis: Int64
    private var random: SplitMix64

    init(start: Int64 = 1_780_000_000_000, seed: UInt64 = 42) {
        millis = start
        random = SplitMix64(seed: seed)
    }

    /// Each reading moves the clock one second on.
    func now() -> Int64 {
        lock.lock()
        defer { lock.unlock() }
        millis += 1_000
        return millis
    }

    func word() -> UInt64 {
        lock.lock()
        defer { lock.unlock() }
        return random.next()
    }

    var store: StoreEnvironment {
        StoreEnvironment(now: { self.now() }, randomWord: { self.word() })
    }
}

/// A fresh folder for one test's database files.
final class TemporaryFolder: Sendable {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("care-store-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { URL(fileURLWithPath: path).appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

enum Fixture {
    static let worker = WorkerID("worker-1")!
    static let otherWorker = WorkerID("worker-2")!
    static let day: Int64 = 1_780_000_000_000  // 2026-05-28T20:26:40Z

    static func identity(
        _ worker: WorkerID = worker, role: Role = .careWorker, replica: UInt64 = 0xA
    ) -> StoreIdentity {
        StoreIdentity(
            worker: worker, role: role, team: TeamID("team-a"),
            replica: ReplicaID(uuid: UUIDValue(high: 0x0190_0000_0000_7000, low: 0x8000_0000_0000_0000 | replica)),
            device: DeviceID(uuid: UUIDValue(high: 0x0190_0000_0000_7000, low: 0x8000_0000_0000_1000 | replica)))
    }

    static func open(
        _ folder: TemporaryFolder, _ name: String = "store.sqlite", identity: StoreIdentity = identity(),
        environment: TestEnvironment = TestEnvironment()
    ) async throws -> CareStore {
        try await CareStore.open(path: folder.file(name), identity: identity, environment: environment.store)
    }

    static func recordID(_ n: UInt64) -> RecordID {
        RecordID(uuid: UUIDValue(high: 0x0190_0000_0000_7000, low: 0x8000_0000_0000_0000 | n))
    }
}

/// Another replica writing ops the store receives from the server: the office,
/// or another worker's phone. Keeps its own view of the records it has seen so
/// that its causal contexts are real.
struct RemoteReplica {
    var replica: LocalReplica
    var view = CareState()
    var clock: Int64

    init(_ author: String, number: UInt64, clock: Int64 = Fixture.day - 86_400_000) {
        replica = LocalReplica(
            replica: ReplicaID(uuid: UUIDValue(high: 0x0190_0000_0000_7000, low: 0x8000_0000_00F0_0000 | number)),
            device: DeviceID(uuid: UUIDValue(high: 0x0190_0000_0000_7000, low: 0x8000_0000_00E0_0000 | number)),
            author: WorkerID(author)!)
        self.clock = clock
    }

    /// Writes an op on `ref` with the context this replica has seen.
    mutating func write(_ ref: RecordRef, _ action: Action, _ changes: [Change]) throws -> CareModel.Operation {
        clock += 1_000
        let chained = try replica.write(
            ref, action, changes, context: view[ref]?.version ?? VersionVector(), physicalMillis: clock)
        try view.apply(chained.operation)
        return chained.operation
    }

    /// Takes in operations this replica has now seen (from the server).
    mutating func see(_ operations: [CareModel.Operation]) throws {
        for operation in operations { try view.apply(operation) }
    }

    mutating func createVisit(
        _ id: RecordID, start: Int64, assigned: [WorkerID] = [Fixture.worker], team: String = "team-a"
    ) throws -> CareModel.Operation {
        try write(
            RecordRef(kind: .visit, id: id), .create,
            [
                .set(Visit.Field.resident, "resident-1"), .set(Visit.Field.team, .string(team)),
                .set(Visit.Field.assignedWorkers, .list(assigned.map { .string($0.rawValue) })),
                .set(Visit.Field.scheduledStart, .int(start)), .set(Visit.Field.scheduledEnd, .int(start + 3_600_000)),
                .set(Visit.Field.plannedTasks, ["medication", "meal"]),
            ])
    }
}

extension CareStore {
    /// Test helper: the store's raw database, for inspecting tables.
    func scalar(_ sql: String) async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }
}

/// Expects `body` to throw a ``CareStoreError`` with `code`.
func expectStoreError<T>(
    _ code: CareStoreError.Code, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> T
) async {
    do {
        _ = try await body()
        Issue.record("expected \(code), but the call succeeded", sourceLocation: sourceLocation)
    } catch let error as CareStoreError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected \(code), got \(error)", sourceLocation: sourceLocation)
    }
}
