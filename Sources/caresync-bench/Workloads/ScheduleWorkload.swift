import ArgumentParser
import CareModel
import CareServer

/// A week of scheduled visits ingested through the server's real ingest path
/// (planner and storage, so the schedule index is kept as in production, not
/// over HTTP): a coordinator plans every visit, and a worker checks in to most
/// of those that have started by `now`.
struct ScheduleWorkload {
    static let start: Int64 = 1_767_225_600_000  // 2026-01-01T00:00:00Z
    static let week: Int64 = 7 * 24 * 3_600_000

    let visits: Int
    let teams: [TeamID]
    /// The share of started visits whose check-in has arrived, in percent.
    let checkedInPercent: Int
    /// The scan's "now": the middle of the week.
    var now: Int64 { Self.start + Self.week / 2 }

    /// The scheduled start of visit `index`: spread evenly over the week.
    func scheduledStart(_ index: Int) -> Int64 {
        Self.start + Int64(index) * (Self.week / Int64(visits))
    }

    /// Ingests the plans and check-ins into `storage`, `batchSize` operations per batch.
    func ingest(into storage: any SyncStorage, batchSize: Int) async throws {
        var generator = SplitMix64(seed: 8)
        let planner = IngestPlanner(maximumOperationBytes: 256 * 1024)
        let coordinator = Worker(id: WorkerID("bench-coordinator")!, roles: [.coordinator], teams: teams)
        let careWorker = Worker(id: WorkerID("bench-worker")!, roles: [.careWorker], teams: teams)
        func replica(_ worker: Worker) -> LocalReplica {
            LocalReplica(
                replica: ReplicaID(uuid: .version7(unixMillis: Self.start, using: &generator)),
                device: DeviceID(uuid: .version7(unixMillis: Self.start, using: &generator)), author: worker.id)
        }
        var office = replica(coordinator)
        var phone = replica(careWorker)
        var plans: [Operation] = []
        var checkIns: [Operation] = []
        for index in 0..<visits {
            let id = RecordID(uuid: .version7(unixMillis: Self.start, using: &generator))
            let ref = RecordRef(kind: .visit, id: id)
            let start = scheduledStart(index)
            plans.append(
                try office.write(
                    ref, .create,
                    [
                        .set(Visit.Field.resident, .string("resident-\(index % 500)")),
                        .set(Visit.Field.team, .string(teams[index % teams.count].rawValue)),
                        .set(Visit.Field.assignedWorkers, ["bench-worker"]),
                        .set(Visit.Field.scheduledStart, .int(start)), .set(Visit.Field.scheduledEnd, .int(start + 1_800_000)),
                    ], context: VersionVector(), physicalMillis: Self.start
                ).operation)
            if start + 600_000 <= now, Int.random(in: 0..<100, using: &generator) < checkedInPercent {
                checkIns.append(
                    try phone.write(
                        ref, .update, [.append(Visit.Field.checkIns, ["time": .int(start + 300_000), "method": "nfc"])],
                        context: VersionVector(), physicalMillis: start + 300_000
                    ).operation)
            }
        }
        for (worker, replica, operations) in [(coordinator, office, plans), (careWorker, phone, checkIns)] {
            for first in stride(from: 0, to: operations.count, by: batchSize) {
                let batch = IngestBatch(
                    replica: replica.replica, device: replica.device, worker: worker,
                    operations: Array(operations[first..<min(first + batchSize, operations.count)]), head: nil,
                    receivedAt: Self.start)
                let plan = try await storage.ingest(batch, planner: planner)
                guard plan.storedCount == batch.operations.count else {
                    throw ValidationError("ingest refused an operation: \(plan.results.first { $0.status != .stored }!)")
                }
            }
        }
    }
}
