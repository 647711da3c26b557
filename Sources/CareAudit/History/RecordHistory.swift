public import CareModel

/// `caresync audit history <record>`: every operation on one record, who wrote
/// it where and when, which writes were concurrent and how the merge rule
/// resolved them.
public struct RecordHistory: Codable, Sendable {
    /// One operation on the record.
    public struct Entry: Codable, Sendable {
        public var sequence: UInt64
        /// Server receive time, Unix ms.
        public var receivedAt: Int64
        /// The writing device's own clock, Unix ms, as captured.
        public var deviceTime: Int64
        public var hlc: HLCTimestamp
        public var author: WorkerID
        public var device: DeviceID
        public var id: Dot
        public var action: Action
        public var changes: [Change]
        /// Sequences of the operations on this record that neither had seen the other.
        public var concurrentWith: [UInt64]
        /// For an operation on another record that belongs to this one's history
        /// (an escalation of an abuse report): that record.
        public var relatedRecord: RecordRef? = nil
    }

    /// How concurrent writes to one field were merged.
    public struct Resolution: Codable, Sendable {
        public var field: String
        /// The merge rule of the field (see ``MergeKind``).
        public var rule: String
        /// The sequences of the concurrent writes.
        public var writes: [UInt64]
        /// What the rule made of them, in words.
        public var outcome: String
        /// The value a reader sees now.
        public var current: Value?
        /// Whether the conflict still waits for a person to resolve it.
        public var conflicted: Bool
    }

    public var record: RecordID
    public var kind: RecordKind?
    public var entries: [Entry] = []
    public var resolutions: [Resolution] = []
    /// Operations on other records that are part of this one's history: the
    /// server's escalations of an abuse report, in log order.
    public var related: [Entry] = []

    /// Reads `source` for the operations on `record`.
    public static func read(_ record: RecordID, from source: some AuditLogSource) async throws -> RecordHistory {
        let needle = Array(record.description.utf8)
        var operations: [(sequence: UInt64, receivedAt: Int64, operation: Operation)] = []
        var related: [Entry] = []
        try await source.forEachEntry { entry in
            guard entry.log.body.contains(needle) else { return }
            let operation = try Operation(canonicalBytes: entry.log.body)
            if operation.record.id == record {
                operations.append((entry.log.sequence, entry.log.receivedAt, operation))
            } else if AbuseEscalation.report(of: operation) == record {
                var item = Entry(operation, sequence: entry.log.sequence, receivedAt: entry.log.receivedAt, concurrentWith: [])
                item.relatedRecord = operation.record
                related.append(item)
            }
        }
        var history = RecordHistory(record: record, kind: operations.first?.operation.record.kind)
        history.related = related
        var state = CareState()
        for item in operations { try state.apply(item.operation) }
        let sequenceOf = Dictionary(operations.map { ($0.operation.id, $0.sequence) }, uniquingKeysWith: min)

        for (index, item) in operations.enumerated() {
            let concurrent = operations.indices.filter { $0 != index && Self.concurrent(item.operation, operations[$0].operation) }
            let operation = item.operation
            history.entries.append(
                Entry(
                    operation, sequence: item.sequence, receivedAt: item.receivedAt,
                    concurrentWith: concurrent.map { operations[$0].sequence }))
        }
        guard let ref = operations.first?.operation.record, let recordState = state[ref],
            let schema = RecordSchema.of(ref.kind)
        else { return history }
        for descriptor in schema.fields {
            let writers = operations.filter { $0.operation.changes.contains { $0.field == descriptor.name } }
            let concurrentWriters = writers.filter { writer in
                writers.contains { $0.operation.id != writer.operation.id && Self.concurrent($0.operation, writer.operation) }
            }
            guard !concurrentWriters.isEmpty, let field = recordState.field(descriptor.name) else { continue }
            history.resolutions.append(
                Resolution(
                    field: descriptor.name, rule: Self.ruleName(descriptor.merge),
                    writes: concurrentWriters.map(\.sequence),
                    outcome: Self.outcome(field, merge: descriptor.merge, sequenceOf: sequenceOf),
                    current: field.current, conflicted: field.isConflicted))
        }
        return history
    }

    /// Neither operation had seen the other (a replica's own operations are ordered by its counter).
    static func concurrent(_ one: Operation, _ other: Operation) -> Bool {
        one.id.replica != other.id.replica && !one.context.contains(other.id) && !other.context.contains(one.id)
    }

    static func ruleName(_ merge: MergeKind) -> String {
        switch merge {
        case .multiValue(let keepsHistory): keepsHistory ? "multi_value_with_history" : "multi_value"
        case .lastWriterWins: "last_writer_wins"
        case .appendOnly: "append_only"
        case .maximum: "maximum"
        case .immutable: "immutable"
        }
    }

    static func outcome(_ field: FieldState, merge: MergeKind, sequenceOf: [Dot: UInt64]) -> String {
        func name(_ dot: Dot) -> String { sequenceOf[dot].map { "sequence \($0)" } ?? "\(dot)" }
        switch field {
        case .register(let register):
            if register.isConflicted {
                return "kept side by side (\(register.siblings.map { name($0.dot) }.joined(separator: ", "))); "
                    + "shown: \(register.winner.map { name($0.dot) } ?? "none") (latest HLC timestamp, then replica); "
                    + "the conflict stays open until a write that has seen them all"
            }
            return "resolved: \(register.winner.map { name($0.dot) } ?? "none") had seen the others and replaced them"
        case .lastWriter(let write):
            return "last writer wins: \(name(write.dot)) (latest HLC timestamp, then replica); the others are replaced"
        case .log(let log):
            return "append-only: all \(log.entries.count) entries kept, in (HLC timestamp, replica) order"
        case .maximum:
            return "the highest value is kept (the field only moves up)"
        case .immutable(let writes):
            return "set at creation; concurrent creates ordered by HLC timestamp, first shown: "
                + (writes.first.map { name($0.dot) } ?? "none")
        }
    }
}

extension [UInt8] {
    /// Whether `needle` occurs in these bytes.
    func contains(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return needle.isEmpty }
        return withUnsafeBufferPointer { haystack in
            let first = needle[0]
            var index = 0
            while index <= haystack.count - needle.count {
                if haystack[index] == first, needle.indices.allSatisfy({ haystack[index + $0] == needle[$0] }) {
                    return true
                }
                index += 1
            }
            return false
        }
    }
}

extension RecordHistory.Entry {
    init(_ operation: Operation, sequence: UInt64, receivedAt: Int64, concurrentWith: [UInt64]) {
        self.init(
            sequence: sequence, receivedAt: receivedAt, deviceTime: operation.deviceTime, hlc: operation.timestamp,
            author: operation.author, device: operation.device, id: operation.id, action: operation.action,
            changes: operation.changes, concurrentWith: concurrentWith)
    }
}
