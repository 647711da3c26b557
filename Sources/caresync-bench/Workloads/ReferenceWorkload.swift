import CareModel

/// The reference workload of shared/WORKLOAD.md, as CareSync operations, so that
/// figures can be set beside Automerge's and Yjs's measured on the same work:
/// 50 devices each make 1,000 operations offline on 500 shared visits
/// (v000–v499, chosen uniformly; device d seeded with 1000 + d):
/// - 30% set the visit's status-like field → `worker_status` (last-writer-wins);
/// - 20% set a check-in time → append a check-in with that time (check-ins are
///   an append-only collection in CareSync: a second one is evidence too);
/// - 25% append a note of about 200 bytes → create a `visit_note` for the visit
///   (notes are records of their own, so they can be amended and reviewed);
/// - 25% append a task item {code "ITEM-nnnn", quantity 1–5} → append to `tasks_done`.
///
/// The 500 visits are planned first by one office replica, and every device has
/// seen the plan, as it would have before going out.
struct ReferenceWorkload {
    static let deviceCount = 50
    static let operationsPerDevice = 1_000
    static let visitCount = 500
    /// 2026-01-01T00:00:00Z.
    static let epoch: Int64 = 1_767_225_600_000

    /// The office's planning operations (not counted in per-device figures).
    let plan: [ChainedOperation]
    /// Each device's operations, in the order written.
    let devices: [[ChainedOperation]]

    init() throws {
        var office = LocalReplica(
            replica: Self.replicaID(0), device: Self.deviceID(0), author: WorkerID("c-office")!,
            clock: HybridLogicalClock(latest: HLCTimestamp(wallMillis: Self.epoch)))
        var officeState = CareState()
        var plan: [ChainedOperation] = []
        for index in 0..<Self.visitCount {
            let changes: [Change] = [
                .set(Visit.Field.resident, .string("r-\(index)")), .set(Visit.Field.team, "team-1"),
                .set(Visit.Field.assignedWorkers, ["w-1"]),
                .set(Visit.Field.scheduledStart, .int(Self.epoch + Int64(index) * 60_000)),
                .set(Visit.Field.scheduledEnd, .int(Self.epoch + Int64(index) * 60_000 + 1_800_000)),
            ]
            let chained = try office.write(
                Self.visit(index), .create, changes, context: VersionVector(), physicalMillis: Self.epoch)
            try officeState.apply(chained.operation)
            plan.append(chained)
        }
        let vocabulary = Self.vocabulary()
        var devices: [[ChainedOperation]] = []
        for device in 1...Self.deviceCount {
            devices.append(
                try Self.deviceOperations(device, planned: officeState, vocabulary: vocabulary))
        }
        self.plan = plan
        self.devices = devices
    }

    var allOperations: [ChainedOperation] { plan + devices.flatMap { $0 } }

    private static func deviceOperations(
        _ device: Int, planned: CareState, vocabulary: [String]
    ) throws -> [ChainedOperation] {
        var rng = SplitMix64(seed: UInt64(1_000 + device))
        var writer = LocalReplica(
            replica: replicaID(device), device: deviceID(device), author: WorkerID("w-\(device)")!,
            clock: HybridLogicalClock(latest: HLCTimestamp(wallMillis: epoch)))
        var state = planned
        var operations: [ChainedOperation] = []
        let statuses = ["planned", "en_route", "checked_in", "in_progress", "completed", "missed"]
        for step in 0..<operationsPerDevice {
            let visit = Self.visit(Int.random(in: 0..<visitCount, using: &rng))
            let now = epoch + Int64(step) * 1_000
            let roll = Int.random(in: 0..<100, using: &rng)
            let record: RecordRef
            let action: Action
            let changes: [Change]
            switch roll {
            case 0..<30:
                // The workload's six statuses, onto CareSync's worker statuses.
                let status = statuses[Int.random(in: 0..<statuses.count, using: &rng)]
                let mapped = Visit.workerStatuses[statuses.firstIndex(of: status)! % Visit.workerStatuses.count]
                (record, action, changes) = (visit, .update, [.set(Visit.Field.workerStatus, .string(mapped))])
            case 30..<50:
                let time = epoch + Int64.random(in: 0..<(30 * 86_400_000), using: &rng)
                (record, action, changes) = (
                    visit, .update,
                    [.append(Visit.Field.checkIns, ["time": .int(time), "method": "manual"])]
                )
            case 50..<75:
                var text = ""
                while text.utf8.count < 200 {
                    if !text.isEmpty { text += " " }
                    text += vocabulary[Int.random(in: 0..<vocabulary.count, using: &rng)]
                }
                let note = RecordRef(
                    kind: .visitNote, id: RecordID(uuid: UUIDValue.version7(unixMillis: now, using: &rng)))
                (record, action, changes) = (
                    note, .create,
                    [.set(VisitNote.Field.visit, .string(visit.id.description)), .set(VisitNote.Field.text, .string(text))]
                )
            default:
                let item: Value = [
                    "task": .string("ITEM-\(String(format: "%04d", Int.random(in: 0..<10_000, using: &rng)))"),
                    "quantity": .int(Int64.random(in: 1...5, using: &rng)),
                ]
                (record, action, changes) = (visit, .update, [.append(Visit.Field.tasksDone, item)])
            }
            let context = state[record]?.version ?? VersionVector()
            let chained = try writer.write(record, action, changes, context: context, physicalMillis: now)
            try state.apply(chained.operation)
            operations.append(chained)
        }
        return operations
    }

    /// 3,000 words of 2–10 random lowercase letters, from a fixed seed.
    private static func vocabulary() -> [String] {
        var rng = SplitMix64(seed: 3_000)
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        return (0..<3_000).map { _ in
            String((0..<Int.random(in: 2...10, using: &rng)).map { _ in letters[Int.random(in: 0..<26, using: &rng)] })
        }
    }

    static func visit(_ index: Int) -> RecordRef {
        RecordRef(kind: .visit, id: RecordID(uuid: UUIDValue(high: 0x0194_0000_0000_7000, low: 0x8000_0000_0000_0000 | UInt64(index))))
    }

    static func replicaID(_ index: Int) -> ReplicaID {
        ReplicaID(uuid: UUIDValue(high: 0x0194_0000_0001_7000, low: 0x8000_0000_0000_0000 | UInt64(index)))
    }

    static func deviceID(_ index: Int) -> DeviceID {
        DeviceID(uuid: UUIDValue(high: 0x0194_0000_0002_7000, low: 0x8000_0000_0000_0000 | UInt64(index)))
    }
}
