import CareModel

/// Generates realistic concurrent histories: 2–6 replicas writing offline to a
/// handful of records, syncing now and then through a shared log in the order
/// the server would deliver (so causal contexts are what real devices would
/// send). Everything follows from the seed.
struct HistoryGenerator {
    struct Replica {
        var writer: LocalReplica
        var state = CareState()
        /// How much of the shared log this replica has pulled.
        var cursor = 0
    }

    private(set) var rng: SplitMix64
    private(set) var replicas: [Replica]
    /// Every operation written, in the order written (a valid server order).
    private(set) var log: [Operation] = []
    let records: [RecordRef]

    init(seed: UInt64) {
        rng = SplitMix64(seed: seed)
        let replicaCount = Int.random(in: 2...6, using: &rng)
        replicas = (0..<replicaCount).map { index in
            Replica(writer: Fixtures.writer(UInt64(index + 1), "w-\(index)"))
        }
        var refs: [RecordRef] = []
        let kinds: [RecordKind] = [.visit, .visit, .visitNote, .visitNote, .missedCall, .abuseReport]
        for (number, kind) in kinds.enumerated() {
            refs.append(RecordRef(kind: kind, id: Fixtures.record(UInt64(100 + number))))
        }
        records = refs
    }

    /// Runs `steps` random steps: local writes and pulls.
    mutating func run(steps: Int) {
        for step in 0..<steps {
            let index = Int.random(in: 0..<replicas.count, using: &rng)
            if Int.random(in: 0..<4, using: &rng) == 0 {
                pull(index, upTo: Int.random(in: replicas[index].cursor...log.count, using: &rng))
            } else {
                write(index, at: Fixtures.start + Int64(step) * 1_000)
            }
        }
    }

    /// Every replica pulls everything.
    mutating func syncAll() {
        for index in replicas.indices { pull(index, upTo: log.count) }
    }

    mutating func pull(_ index: Int, upTo end: Int) {
        var replica = replicas[index]
        while replica.cursor < end {
            let operation = log[replica.cursor]
            // A replica's own operations are already in its state; applying them again is a no-op.
            try! replica.state.apply(operation)
            replica.writer.observe(operation.timestamp, physicalMillis: operation.timestamp.wallMillis)
            replica.cursor += 1
        }
        replicas[index] = replica
    }

    /// Writes a random valid change on a random record the replica may write to.
    mutating func write(_ index: Int, at millis: Int64) {
        let record = records[Int.random(in: 0..<records.count, using: &rng)]
        var replica = replicas[index]
        let exists = replica.state[record]?.isCreated ?? false
        // Each record is created by one fixed replica; the others write to it
        // only once they have seen the create, as real devices do.
        let creator = records.firstIndex(of: record)! % replicas.count
        if !exists && index != creator { return }
        let action: Action = exists ? .update : .create
        let changes = exists ? randomUpdate(record.kind) : creation(record.kind)
        let operation = try! replica.writer.write(record, action, changes, into: &replica.state, at: millis)
        replicas[index] = replica
        log.append(operation)
    }

    // MARK: Random content

    private mutating func creation(_ kind: RecordKind) -> [Change] {
        switch kind {
        case .visit:
            return Fixtures.planVisit(workers: ["w-0", "w-1"])
        case .visitNote:
            return Fixtures.newNote(visit: records[0], text: text())
        case .missedCall:
            return [.set(MissedCall.Field.visit, .string(records[1].id.description)), .set(MissedCall.Field.reason, "no_access")]
        default:
            return Fixtures.newReport(statement: text())
        }
    }

    private mutating func randomUpdate(_ kind: RecordKind) -> [Change] {
        let options: [Change]
        switch kind {
        case .visit:
            options = [
                .set(Visit.Field.scheduledStart, .int(Fixtures.start + Int64.random(in: 0...86_400_000, using: &rng))),
                .set(Visit.Field.cancelled, .bool(Bool.random(using: &rng))),
                .set(Visit.Field.markedMissed, .bool(Bool.random(using: &rng))),
                .set(Visit.Field.assignedWorkers, [.string("w-\(Int.random(in: 0...5, using: &rng))")]),
                .set(Visit.Field.workerStatus, .string(Visit.workerStatuses.randomElement(using: &rng)!)),
                Fixtures.checkIn(at: Fixtures.start + Int64.random(in: 0...86_400_000, using: &rng)),
                .append(Visit.Field.tasksDone, ["task": .string(text()), "quantity": .int(Int64.random(in: 1...5, using: &rng))]),
                .set(Visit.Field.attendanceVerified, .bool(Bool.random(using: &rng))),
                .append(Visit.Field.reviewDecisions, ["decision": .string(text())]),
            ]
        case .visitNote:
            options = [
                .set(VisitNote.Field.text, .string(text())),
                .append(VisitNote.Field.amendments, ["text": .string(text())]),
                .set(VisitNote.Field.enteredInError, .bool(Bool.random(using: &rng))),
            ]
        case .missedCall:
            options = [
                .set(MissedCall.Field.reason, .string(MissedCall.reasons.randomElement(using: &rng)!)),
                .set(MissedCall.Field.details, .string(text())),
            ]
        default:
            options = [
                .set(AbuseReport.Field.severity, .int(Int64.random(in: AbuseReport.severities, using: &rng))),
                .set(AbuseReport.Field.status, .string(AbuseReport.statuses.randomElement(using: &rng)!)),
                .append(AbuseReport.Field.supplements, ["text": .string(text())]),
                .set(AbuseReport.Field.policeReference, .string(text())),
            ]
        }
        let first = options.randomElement(using: &rng)!
        // Sometimes two changes in one operation (never the same field set twice).
        if Bool.random(using: &rng), let second = options.randomElement(using: &rng),
            second.field != first.field || second.kind == .append && first.kind == .append
        {
            return [first, second]
        }
        return [first]
    }

    /// Short texts with quotes, escapes, accents and emoji, to exercise encoding.
    private mutating func text() -> String {
        let pieces = ["tea", "\"meds\"", "back\\slash", "line\nbreak", "café", "naïve", "🙂", "tab\t", "ok", "\u{1}"]
        return (0..<Int.random(in: 1...4, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }
            .joined(separator: " ") + " #\(rng.next() % 10_000)"
    }
}
