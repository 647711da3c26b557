/// The merged state of one record: a pure function of the set of operations
/// applied to it, whatever their order, with duplicates ignored.
public struct RecordState: Hashable, Sendable {
    /// Who created the record, from the creating operation.
    public struct Creation: Hashable, Sendable {
        public let dot: Dot
        public let timestamp: HLCTimestamp
        public let deviceTime: Int64
        public let author: WorkerID
        public let device: DeviceID
    }

    public let ref: RecordRef
    /// Everything applied to this record: the causal context of the next local write.
    public private(set) var version = VersionVector()
    /// The creating operation(s), earliest first. Empty until the create arrives
    /// (updates may arrive first); more than one only if two replicas created
    /// the same record id.
    public private(set) var creations: [Creation] = []
    /// The merged fields, by name; fields never written are absent.
    public private(set) var fields: [String: FieldState] = [:]
    private var applied: Set<Dot> = []

    public init(ref: RecordRef) {
        self.ref = ref
    }

    /// Whether the creating operation has been applied.
    public var isCreated: Bool { !creations.isEmpty }

    /// The number of distinct operations applied.
    public var operationCount: Int { applied.count }

    /// Whether the operation `dot` has been applied.
    public func hasApplied(_ dot: Dot) -> Bool { applied.contains(dot) }

    /// The value a reader shows for `field` (see ``FieldState/current``).
    public subscript(field: String) -> Value? { fields[field]?.current }

    /// The fields whose concurrent values wait for someone to resolve them.
    public var conflictedFields: [String] {
        fields.filter { $0.value.isConflicted }.keys.sorted()
    }

    /// Merges a validated operation on this record. Returns false, changing
    /// nothing, when it was applied before.
    mutating func apply(_ operation: Operation, schema: RecordSchema) -> Bool {
        guard applied.insert(operation.id).inserted else { return false }
        version.include(operation.id)
        if operation.action == .create {
            creations.append(
                Creation(
                    dot: operation.id, timestamp: operation.timestamp, deviceTime: operation.deviceTime,
                    author: operation.author, device: operation.device))
            creations.sort { ($0.timestamp, $0.dot) < ($1.timestamp, $1.dot) }
        }
        for (position, change) in operation.changes.enumerated() {
            guard let descriptor = schema.field(change.field) else { continue }
            let write = FieldWrite(
                dot: operation.id, timestamp: operation.timestamp, author: operation.author,
                value: change.value, context: operation.context)
            // The entry's index among this operation's appends to the same field.
            let index = operation.changes[..<position].count { $0.field == change.field }
            // Taking the field out first leaves its storage uniquely referenced, so
            // merging appends in place instead of copying the whole collection.
            let current = fields.removeValue(forKey: change.field)
            fields[change.field] = Self.merge(write, index: index, into: current, as: descriptor)
        }
        return true
    }

    private static func merge(
        _ write: FieldWrite, index: Int, into state: consuming FieldState?, as field: FieldDescriptor
    ) -> FieldState {
        switch (field.merge, consume state) {
        case (.multiValue(let keepsHistory), .register(var register)):
            register.apply(write, keepsHistory: keepsHistory)
            return .register(register)
        case (.multiValue(let keepsHistory), _):
            var register = MultiValueRegister()
            register.apply(write, keepsHistory: keepsHistory)
            return .register(register)
        case (.lastWriterWins, .lastWriter(let current)) where FieldWrite.precedes(write, current):
            return .lastWriter(current)
        case (.lastWriterWins, _):
            return .lastWriter(write)
        case (.appendOnly, .log(var log)):
            log.append(LogEntry(write: write, index: index))
            return .log(log)
        case (.appendOnly, _):
            var log = AppendOnlyLog()
            log.append(LogEntry(write: write, index: index))
            return .log(log)
        case (.maximum, .maximum(let current, let rank)):
            let newRank = field.type.rank(of: write.value)
            return newRank > rank ? .maximum(write.value, rank: newRank) : .maximum(current, rank: rank)
        case (.maximum, _):
            return .maximum(write.value, rank: field.type.rank(of: write.value))
        case (.immutable, .immutable(var writes)):
            writes.insertOrdered(write)
            return .immutable(writes)
        case (.immutable, _):
            return .immutable([write])
        }
    }
}
