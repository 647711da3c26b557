import CareModel

/// A synthetic day of home care: 10,000 records touched by 100,000 operations.
///
/// 10 office coordinators and 200 care workers (one replica each). Four records
/// in five are visits planned by a coordinator and worked by one assigned worker
/// (two for one visit in five: double-handed); the fifth is a note on the visit
/// before it, written and edited by the same people. Before each write, a writer
/// has synced the record with probability 0.85; otherwise it writes from a stale
/// view, so concurrent writes and conflicts occur as they do on bad networks.
struct CareRoundWorkload {
    let operations: [ChainedOperation]

    init(records: Int = 10_000, operationsPerRecord: Int = 10, seed: UInt64 = 2026) throws {
        var rng = SplitMix64(seed: seed)
        let epoch = ReferenceWorkload.epoch
        var writers = (0..<210).map { index in
            LocalReplica(
                replica: ReferenceWorkload.replicaID(1_000 + index), device: ReferenceWorkload.deviceID(1_000 + index),
                author: WorkerID(index < 10 ? "c-\(index)" : "w-\(index)")!,
                clock: HybridLogicalClock(latest: HLCTimestamp(wallMillis: epoch)))
        }
        var operations: [ChainedOperation] = []
        operations.reserveCapacity(records * operationsPerRecord)
        var previousVisit = RecordRef(kind: .visit, id: RecordID(uuid: UUIDValue(high: 0, low: 0)))
        var previousWriters: [Int] = []
        for index in 0..<records {
            let now = epoch + Int64(index) * 100
            let isNote = index % 5 == 4
            let record = RecordRef(
                kind: isNote ? .visitNote : .visit, id: RecordID(uuid: UUIDValue.version7(unixMillis: now, using: &rng)))
            let people: [Int]
            if isNote {
                people = previousWriters
            } else {
                let coordinator = Int.random(in: 0..<10, using: &rng)
                let first = Int.random(in: 10..<210, using: &rng)
                let second = Int.random(in: 0..<5, using: &rng) == 0 ? [Int.random(in: 10..<210, using: &rng)] : []
                people = [coordinator, first] + second
            }
            var recordVersion = VersionVector()
            var views = Array(repeating: VersionVector(), count: people.count)
            for step in 0..<operationsPerRecord {
                // The creator writes first; then anyone involved.
                let who = step == 0 ? (isNote ? people.count - 1 : 0) : Int.random(in: 0..<people.count, using: &rng)
                if Int.random(in: 0..<100, using: &rng) < 85 { views[who] = recordVersion }
                let changes = Self.changes(
                    isNote: isNote, step: step, byOffice: who == 0 && !isNote, visit: previousVisit,
                    workers: people.dropFirst().map { "w-\($0)" }, now: now, rng: &rng)
                let chained = try writers[people[who]].write(
                    record, step == 0 ? .create : .update, changes, context: views[who],
                    physicalMillis: now + Int64(step))
                views[who].include(chained.operation.id)
                recordVersion.include(chained.operation.id)
                operations.append(chained)
            }
            if !isNote {
                previousVisit = record
                previousWriters = people
            }
        }
        self.operations = operations
    }

    private static func changes(
        isNote: Bool, step: Int, byOffice: Bool, visit: RecordRef, workers: [String], now: Int64,
        rng: inout SplitMix64
    ) -> [Change] {
        if isNote {
            if step == 0 {
                return [.set(VisitNote.Field.visit, .string(visit.id.description)), .set(VisitNote.Field.text, "Arrived, all well.")]
            }
            return Bool.random(using: &rng)
                ? [.set(VisitNote.Field.text, .string("Edited note \(rng.next() % 1_000)"))]
                : [.append(VisitNote.Field.amendments, ["text": "Also: drank a cup of tea."])]
        }
        if step == 0 {
            return [
                .set(Visit.Field.resident, .string("r-\(rng.next() % 5_000)")), .set(Visit.Field.team, "team-1"),
                .set(Visit.Field.assignedWorkers, .list(workers.map { .string($0) })),
                .set(Visit.Field.scheduledStart, .int(now + 3_600_000)),
                .set(Visit.Field.scheduledEnd, .int(now + 5_400_000)),
            ]
        }
        if byOffice {
            return [.set(Visit.Field.scheduledStart, .int(now + 3_600_000 + Int64(rng.next() % 4) * 900_000))]
        }
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: return [.append(Visit.Field.checkIns, ["time": .int(now + 3_600_000), "method": "nfc"])]
        case 1: return [.set(Visit.Field.workerStatus, .string(Visit.workerStatuses[Int(rng.next() % 5)]))]
        case 2: return [.append(Visit.Field.tasksDone, ["task": "medication", "quantity": 1])]
        default: return [.append(Visit.Field.checkOuts, ["time": .int(now + 5_000_000), "method": "nfc"])]
        }
    }
}
