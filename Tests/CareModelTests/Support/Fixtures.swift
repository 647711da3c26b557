import CareModel

/// Fixed identifiers and builders shared by the model tests.
enum Fixtures {
    static let start: Int64 = 1_767_225_600_000  // 2026-01-01T00:00:00Z

    static func replica(_ number: UInt64) -> ReplicaID {
        ReplicaID(uuid: UUIDValue(high: 0x0190_0000_0000_7000 | number, low: 0x8000_0000_0000_0000 | number))
    }

    static func device(_ number: UInt64) -> DeviceID {
        DeviceID(uuid: UUIDValue(high: 0x0190_0000_0000_7000 | number, low: 0x9000_0000_0000_0000 | number))
    }

    static func record(_ number: UInt64) -> RecordID {
        RecordID(uuid: UUIDValue(high: 0x0191_0000_0000_7000 | number, low: 0xA000_0000_0000_0000 | number))
    }

    static func worker(_ name: String) -> WorkerID {
        WorkerID(name)!
    }

    static func writer(_ number: UInt64, _ worker: String) -> LocalReplica {
        LocalReplica(
            replica: replica(number), device: device(number), author: Fixtures.worker(worker),
            clock: HybridLogicalClock(latest: HLCTimestamp(wallMillis: start)))
    }

    static let visit = RecordRef(kind: .visit, id: record(1))
    static let note = RecordRef(kind: .visitNote, id: record(2))
    static let report = RecordRef(kind: .abuseReport, id: record(3))
    static let missedCall = RecordRef(kind: .missedCall, id: record(4))

    static func planVisit(workers: [String] = ["w-ana"]) -> [Change] {
        [
            .set(Visit.Field.resident, "r-101"),
            .set(Visit.Field.team, "team-north"),
            .set(Visit.Field.assignedWorkers, .list(workers.map { .string($0) })),
            .set(Visit.Field.scheduledStart, .int(start + 3_600_000)),
            .set(Visit.Field.scheduledEnd, .int(start + 5_400_000)),
        ]
    }

    static func checkIn(at millis: Int64 = start + 3_700_000, method: String = "nfc") -> Change {
        .append(Visit.Field.checkIns, ["time": .int(millis), "method": .string(method)])
    }

    static func newNote(visit: RecordRef = visit, text: String) -> [Change] {
        [.set(VisitNote.Field.visit, .string(visit.id.description)), .set(VisitNote.Field.text, .string(text))]
    }

    static func newReport(statement: String = "Shouted at and pushed in the hallway.") -> [Change] {
        [
            .set(AbuseReport.Field.incidentKind, "physical"),
            .set(AbuseReport.Field.occurredAt, .int(start + 3_800_000)),
            .set(AbuseReport.Field.involved, [["relationship": "family_member"]]),
            .set(AbuseReport.Field.statement, .string(statement)),
            .set(AbuseReport.Field.severity, 2),
        ]
    }
}

extension LocalReplica {
    /// Writes an operation, using `state`'s version of the record as context and
    /// applying it to `state`, as a device store would.
    mutating func write(
        _ record: RecordRef, _ action: Action, _ changes: [Change], into state: inout CareState,
        at millis: Int64 = Fixtures.start
    ) throws -> Operation {
        let context = state[record]?.version ?? VersionVector()
        let operation = try write(record, action, changes, context: context, physicalMillis: millis).operation
        try state.apply(operation)
        return operation
    }
}
