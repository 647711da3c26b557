/// The merged state of many records: the reducer of the whole system.
///
/// `CareState` is a pure function of a *set* of operations: applying the same
/// operations in any order, any number of times, gives the same state, byte for
/// byte in ``canonicalBytes()``. The device store, the server and an auditor's
/// replay all compute state with it.
public struct CareState: Hashable, Sendable {
    /// What ``apply(_:)`` did with an operation.
    public enum Outcome: Hashable, Sendable {
        /// The operation was new and is now merged.
        case applied
        /// The operation had been applied before; nothing changed.
        case duplicate
    }

    /// The records, by reference.
    public private(set) var records: [RecordRef: RecordState] = [:]

    public init() {}

    /// The state of the given operations (throws on the first invalid one).
    public init(reducing operations: some Sequence<Operation>) throws(CareModelError) {
        for operation in operations { try apply(operation) }
    }

    /// The state of the given operations (throws on the first invalid one).
    ///
    /// The same as the generic initialiser, for the common case of an array:
    /// it applies each operation where it lies in the array's storage, where
    /// the generic loop, and even reading the array by index, copied it
    /// (retaining its arrays and strings), a sixth of reducing.
    ///
    /// It also remembers where the last record it touched lies in ``records``:
    /// a log holds runs of operations on one record (a device writes a visit's
    /// check-in, tasks and check-out in a row), and finding the record again
    /// by its index skips hashing its reference for each of them (hashing and
    /// probing were a tenth of reducing). And it asks for each operation's
    /// changes and context a few operations ahead (``OperationReadAhead``).
    public init(reducing operations: [Operation]) throws(CareModelError) {
        var state = CareState()
        var recent: RecentRecord?
        try operations.withUnsafeBufferPointer { (buffer) throws(CareModelError) in
            guard let first = buffer.baseAddress else { return }
            let readAhead = OperationReadAhead()
            for index in buffer.indices {
                if index + OperationReadAhead.distance < buffer.count {
                    readAhead.prefetch(first + index + OperationReadAhead.distance)
                }
                if index + OperationReadAhead.valueDistance < buffer.count {
                    readAhead.prefetchValue(first + index + OperationReadAhead.valueDistance)
                }
                _ = try state.apply(at: first + index, recent: &recent)
            }
        }
        self = state
    }

    /// Validates and merges `operation`. An invalid operation changes nothing.
    @discardableResult
    public mutating func apply(_ operation: Operation) throws(CareModelError) -> Outcome {
        try withUnsafePointer(to: operation) { (operation) throws(CareModelError) in try apply(at: operation) }
    }

    /// Validates and merges the operation at `operation`.
    ///
    /// A pointer rather than a value: passing an operation read from memory
    /// (an array's element) as a value copies it, because the callee could
    /// otherwise see it change. Safe: each caller's pointer comes from
    /// `withUnsafePointer` or `withUnsafeBufferPointer` and stays valid for the
    /// call, and nothing writes to the operation meanwhile (a state holds no
    /// reference to the operations it is given).
    private mutating func apply(at operation: UnsafePointer<Operation>) throws(CareModelError) -> Outcome {
        var recent: RecentRecord?
        return try apply(at: operation, recent: &recent)
    }

    /// A record found in ``records`` and its index there: valid until a record
    /// is added (which can move every entry), so only ever kept by a caller
    /// that applies operations one after another to this state.
    private typealias RecentRecord = (ref: RecordRef, index: [RecordRef: RecordState].Index)

    /// Validates and merges the operation at `operation`, finding its record
    /// through `recent` when it is the same record, and leaving in `recent`
    /// the record it found (nil after adding one).
    private mutating func apply(
        at operation: UnsafePointer<Operation>, recent: inout RecentRecord?
    ) throws(CareModelError) -> Outcome {
        // Each change's field position, from validation to merging: on the stack.
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: OperationValidator.maximumChanges) {
            (positions) throws(CareModelError) in
            let (schema, isCreate) = try OperationValidator.validated(at: operation, positions: positions)
            let validated = ValidatedOperation(
                operation: operation, schema: schema, isCreate: isCreate, positions: UnsafeBufferPointer(positions))
            let ref = operation.pointee.record
            let applied: Bool
            if let found = recent, found.ref == ref {
                applied = records.values[found.index].apply(validated)
            } else if let index = records.index(forKey: ref) {
                recent = (ref, index)
                applied = records.values[index].apply(validated)
            } else {
                var record = RecordState(ref: ref)
                applied = record.apply(validated)
                // Moved in: assigned as a value, it was copied and the copy's
                // original released, five reference counts each way.
                records[ref] = consume record
                recent = nil
            }
            return applied ? .applied : .duplicate
        }
    }

    /// The state of one record, if any operation touched it.
    public subscript(ref: RecordRef) -> RecordState? { records[ref] }

    /// Every record, in canonical (kind, id) order, as canonical JSON lines.
    public func canonicalBytes() -> [UInt8] {
        var writer = CanonicalJSONWriter(reservingCapacity: records.count * 512)
        for ref in records.keys.sorted() {
            writer.recordState(records[ref]!)
            writer.byte(UInt8(ascii: "\n"))
        }
        return writer.bytes
    }
}
