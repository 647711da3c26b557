import CareModel
import CareServer
import CareStore
import CareSyncClient
import Foundation
import Logging

/// One run of "a device back from a week offline" against a real server on
/// 127.0.0.1: the team's writes are pushed by their own enrolled devices, the
/// worker's device records its actions in its own CareStore file, then one
/// sync pass is measured through a ``TransferMeter``.
struct WeekOfflineScenario {
    struct Figures {
        var seconds: Double
        var totals: TransferMeter.Totals
        var pushed: Int
        var pulled: Int
    }

    let ownOperations: Int
    let downOperations: Int
    /// How the measured device talks (its base URL is replaced by the server's).
    let transport: HTTPSyncTransport.Configuration

    func run() async throws -> Figures {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("caresync-bench-sync-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.databasePath = directory.appendingPathComponent("server.sqlite").path
        var logger = Logger(label: "caresync-bench-sync")
        logger.logLevel = .error
        return try await withRunningServer(configuration: configuration, logger: logger) { server in
            try await measure(server: server, configuration: configuration, directory: directory)
        }
    }

    private func measure(
        server: RunningServer, configuration: ServerConfiguration, directory: URL
    ) async throws -> Figures {
        let harness = BenchHarness(port: server.port, databasePath: configuration.databasePath)
        let baseURL = URL(string: "http://127.0.0.1:\(server.port)")!
        let plain = HTTPSyncTransport.Configuration(baseURL: baseURL, requestTimeout: .seconds(120), format: .json, compression: false)
        typealias Workload = WeekOfflineWorkload
        let office = try await harness.enrol(Workload.coordinators, roles: [.coordinator])
        let coworkers = try await harness.enrol(Workload.coworkers, roles: [.careWorker])
        let returning = try await harness.enrol([Workload.worker], roles: [.careWorker])[0]
        var team = TeamPushers(devices: office + coworkers, baseURL: plain)
        let weekStart = Int64(Date().timeIntervalSince1970 * 1_000) - 7 * 86_400_000

        // Before leaving: the office plans the worker's visits; the device syncs them.
        var workload = Workload()
        var coworkerOf: [String?] = []
        let plan = workload.initialPlan()
        for write in plan { if case .plan(let coworker) = write.what { coworkerOf.append(coworker) } }
        try await team.write(plan, at: weekStart)
        let clock = ManualClock(weekStart)
        let store = try await CareStore.open(
            path: directory.appendingPathComponent("device.sqlite").path,
            identity: StoreIdentity(
                worker: returning.replica.author, role: .careWorker, team: TeamID(BenchHarness.team), replica: returning.replica.replica,
                device: returning.replica.device),
            environment: StoreEnvironment(now: { clock.now }, randomWord: { UInt64.random(in: .min ... .max) }))
        let setUp = SyncEngine(
            store: store, transport: HTTPSyncTransport(configuration: plain, token: returning.token), signer: BenchHarness.signer)
        guard await setUp.sync().activity == .idle else { throw BenchError.unexpected("the first sync failed") }

        // The week: the device records offline; the team writes and syncs day by day.
        let actions = workload.deviceActions(count: ownOperations)
        for (index, action) in actions.enumerated() {
            clock.now = weekStart + Int64(index) * 7 * 86_400_000 / Int64(actions.count)
            try await Self.record(action, in: store, visits: team.visits)
        }
        let writes = workload.teamWrites(count: downOperations, coworkerOf: &coworkerOf)
        let days = 7
        for day in 0..<days {
            let slice = writes[(writes.count * day / days)..<(writes.count * (day + 1) / days)]
            try await team.write(Array(slice), at: weekStart + Int64(day) * 86_400_000)
        }

        // Back online: one measured pass.
        let meter = TransferMeter()
        var measured = transport
        measured.baseURL = baseURL
        let engine = SyncEngine(
            store: store, transport: HTTPSyncTransport(configuration: measured, token: returning.token, meter: meter),
            signer: BenchHarness.signer)
        let start = ContinuousClock.now
        let status = await engine.sync()
        let seconds = (ContinuousClock.now - start).seconds
        try store.close()
        guard status.activity == .idle, status.pendingUploadCount == 0 else {
            throw BenchError.unexpected("the measured sync ended \(status.activity), \(status.pendingUploadCount) pending")
        }
        return Figures(
            seconds: seconds, totals: await meter.totals, pushed: actions.count, pulled: status.pull?.operations ?? 0)
    }

    private static func record(
        _ action: WeekOfflineWorkload.DeviceAction, in store: CareStore, visits: [RecordID]
    ) async throws {
        switch action {
        case .checkIn(let visit):
            _ = try await store.checkIn(visit: visits[visit], AttendanceEvidence(method: .nfc))
        case .checkOut(let visit):
            _ = try await store.checkOut(visit: visits[visit], AttendanceEvidence(method: .nfc))
        case .tasks(let visit, let tasks):
            _ = try await store.recordTasksDone(visit: visits[visit], tasks.map { TaskDone(task: $0.0, quantity: $0.1) })
        case .note(let visit, let text):
            _ = try await store.addNote(visit: visits[visit], text: text)
        case .missedCall(let visit, let reason):
            _ = try await store.logMissedCall(visit: visits[visit], reason: reason)
        }
    }
}

/// The team's devices: turn ``WeekOfflineWorkload/TeamWrite``s into
/// operations (with the contexts of writers who are in sync) and push them.
struct TeamPushers {
    private var writers: [String: BenchDevice]
    private var state = CareState()
    private let baseURL: HTTPSyncTransport.Configuration
    /// The visits planned so far, by plan index.
    private(set) var visits: [RecordID] = []
    private var generator = SplitMix64(seed: 7)

    init(devices: [BenchDevice], baseURL: HTTPSyncTransport.Configuration) {
        writers = Dictionary(uniqueKeysWithValues: devices.map { ($0.replica.author.rawValue, $0) })
        self.baseURL = baseURL
    }

    /// Writes `writes` spread over a day from `dayStart`, then pushes each writer's operations (office first).
    mutating func write(_ writes: [WeekOfflineWorkload.TeamWrite], at dayStart: Int64) async throws {
        var pending: [String: [ChainedOperation]] = [:]
        for (index, write) in writes.enumerated() {
            let now = dayStart + Int64(index) * 86_400_000 / Int64(max(writes.count, 1))
            let (record, action, changes) = operation(for: write, now: now)
            let context = state[record]?.version ?? VersionVector()
            guard var writer = writers[write.writer] else { throw BenchError.unexpected("no device for \(write.writer)") }
            let chained = try writer.replica.write(record, action, changes, context: context, physicalMillis: now)
            writers[write.writer] = writer
            try state.apply(chained.operation)
            pending[write.writer, default: []].append(chained)
        }
        for name in pending.keys.sorted(by: { ($0.hasPrefix("c-") ? 0 : 1, $0) < ($1.hasPrefix("c-") ? 0 : 1, $1) }) {
            guard let device = writers[name], let operations = pending[name] else { continue }
            let transport = HTTPSyncTransport(configuration: baseURL, token: device.token)
            let response = try await transport.push(
                PushRequest(replica: device.replica.replica, operations: operations.map(\.operation), head: operations.last?.hash)
                    .signed(by: BenchHarness.signer))
            guard response.results.allSatisfy({ $0.status == .stored }) else {
                throw BenchError.unexpected("a team push was refused: \(response.results.first { $0.status != .stored }?.error?.code ?? "")")
            }
        }
    }

    private mutating func operation(
        for write: WeekOfflineWorkload.TeamWrite, now: Int64
    ) -> (RecordRef, Action, [Change]) {
        switch write.what {
        case .plan(let coworker):
            let id = RecordID(uuid: .version7(unixMillis: now, using: &generator))
            visits.append(id)
            let start = now + 86_400_000
            return (
                RecordRef(kind: .visit, id: id), .create,
                [
                    .set(Visit.Field.resident, .string("resident-\(write.visit % 23)")),
                    .set(Visit.Field.team, .string(BenchHarness.team)),
                    .set(Visit.Field.assignedWorkers, .list(([WeekOfflineWorkload.worker] + [coworker].compactMap { $0 }).map { .string($0) })),
                    .set(Visit.Field.scheduledStart, .int(start)), .set(Visit.Field.scheduledEnd, .int(start + 1_800_000)),
                ])
        case .reschedule:
            return (
                RecordRef(kind: .visit, id: visits[write.visit]), .update,
                [.set(Visit.Field.scheduledStart, .int(now + 2 * 86_400_000))])
        case .evidence(let field, let kind, let value):
            return (RecordRef(kind: .visit, id: visits[write.visit]), .update, [Change(field: field, kind: kind, value: value)])
        case .note(let text):
            return (
                RecordRef(kind: .visitNote, id: RecordID(uuid: .version7(unixMillis: now, using: &generator))), .create,
                [.set(VisitNote.Field.visit, .string(visits[write.visit].description)), .set(VisitNote.Field.text, .string(text))])
        case .missedCall(let reason):
            return (
                RecordRef(kind: .missedCall, id: RecordID(uuid: .version7(unixMillis: now, using: &generator))), .create,
                [.set(MissedCall.Field.visit, .string(visits[write.visit].description)), .set(MissedCall.Field.reason, .string(reason))])
        }
    }
}

/// The device's wall clock in the benchmark: set by the benchmark between writes.
/// `@unchecked Sendable`: every access to `value` holds `lock`.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int64

    init(_ start: Int64) { value = start }

    var now: Int64 {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
