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
    /// The merged fields, by position in the kind's schema; nil if never written.
    private var slots: [FieldState?] = []
    /// Every operation applied: records see tens of operations, so a sorted
    /// array is smaller and faster than a hash set.
    private var applied = AppliedDots()

    public init(ref: RecordRef) {
        self.ref = ref
    }

    /// Whether the creating operation has been applied.
    public var isCreated: Bool { !creations.isEmpty }

    /// The number of distinct operations applied.
    public var operationCount: Int { applied.count }

    /// Whether the operation `dot` has been applied.
    public func hasApplied(_ dot: Dot) -> Bool {
        applied.contains(dot, replica: version.search(dot.replica))
    }

    /// The merged state of `name`, nil if it was never written.
    public func field(_ name: String) -> FieldState? {
        guard let descriptor = RecordSchema.of(ref.kind)?.field(name), descriptor.position < slots.count else {
            return nil
        }
        return slots[descriptor.position]
    }

    /// The merged fields, by name; fields never written are absent.
    public var fields: [String: FieldState] {
        guard let schema = RecordSchema.of(ref.kind) else { return [:] }
        var fields: [String: FieldState] = [:]
        for (position, slot) in slots.enumerated() {
            if let slot { fields[schema.fields[position].name] = slot }
        }
        return fields
    }

    /// The value a reader shows for `field` (see ``FieldState/current``).
    public subscript(field: String) -> Value? { self.field(field)?.current }

    /// The fields whose concurrent values wait for someone to resolve them, by name.
    public var conflictedFields: [String] {
        guard let schema = RecordSchema.of(ref.kind) else { return [] }
        return slots.enumerated().compactMap { position, slot in
            slot?.isConflicted == true ? schema.fields[position].name : nil
        }
        .sorted()
    }

    /// Merges `validated` on this record. Returns false, changing nothing,
    /// when it was applied before.
    mutating func apply(_ validated: ValidatedOperation) -> Bool {
        let operation = validated.operation
        let schema = validated.schema
        let id = operation.pointee.id
        let replica = version.search(id.replica)
        if applied.contains(id, replica: replica) { return false }
        if applied.count == 0 {
            // Records see a few replicas: one allocation instead of a doubling
            // series from one.
            version.reserveCapacity(4)
            slots = Array(repeating: nil, count: schema.fields.count)
        }
        applied.insert(id, replica: replica, of: version)
        version.include(id, at: replica)
        let timestamp = operation.pointee.timestamp
        if validated.isCreate {
            creations.insertSorted(
                Creation(
                    dot: id, timestamp: timestamp, deviceTime: operation.pointee.deviceTime,
                    author: operation.pointee.author, device: operation.pointee.device),
                by: { ($0.timestamp, $0.dot) < ($1.timestamp, $1.dot) })
        }
        let positions = validated.positions
        for (index, change) in operation.pointee.changes.enumerated() {
            let slot = Int(positions[index])
            let write = FieldWrite(
                dot: id, timestamp: timestamp, author: operation.pointee.author, value: change.value,
                context: operation.pointee.context)
            // An appended entry's index among this operation's appends to the field.
            var entryIndex = 0
            if case .appendOnly = schema.fields[slot].merge {
                entryIndex = positions[..<index].count { $0 == positions[index] }
            }
            Self.merge(write, index: entryIndex, into: &slots[slot], as: slot, of: schema)
        }
        return true
    }

    /// Merges `write` into the state of the field at `slot` of `schema`.
    ///
    /// Each collection is taken out of `state` (which is set to nil) before it
    /// changes: a payload bound out of an enum is a second reference to its
    /// storage until the enum goes away, and with two references `append`
    /// and element writes copy the whole array first. (Matching on the
    /// consumed state in one `switch` kept that second reference alive for
    /// the whole switch: every register write, history entry and log entry
    /// copied its array, about a third of the reducer's allocations.)
    private static func merge(
        _ write: consuming FieldWrite, index: Int, into state: inout FieldState?, as slot: Int, of schema: CompiledSchema
    ) {
        switch schema.fields[slot].merge {
        case .multiValue(let keepsHistory):
            var register = MultiValueRegister()
            if case .register(let current)? = state {
                register = current
                state = nil
            }
            register.apply(write, keepsHistory: keepsHistory)
            state = .register(register)
        case .lastWriterWins:
            // Keeping the current state keeps its box: no allocation when the write loses.
            if case .lastWriter(let winner)? = state, FieldWrite.precedes(write, winner) { return }
            state = .lastWriter(write)
        case .appendOnly:
            var log = AppendOnlyLog()
            if case .log(let current)? = state {
                log = current
                state = nil
            }
            log.append(LogEntry(write: write, index: index))
            state = .log(log)
        case .maximum:
            let newRank = schema.source.fields[slot].type.rank(of: write.value)
            if case .maximum(_, let rank)? = state, newRank <= rank { return }
            state = .maximum(write.value, rank: newRank)
        case .immutable:
            var writes: [FieldWrite] = []
            if case .immutable(let current)? = state {
                writes = current
                state = nil
            }
            writes.insertOrdered(write)
            state = .immutable(writes)
        }
    }
}
