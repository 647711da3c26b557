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
    /// applying from the array's storage borrows each operation, where the
    /// generic loop copies it (retaining its arrays and strings), which was a
    /// sixth of reducing.
    public init(reducing operations: [Operation]) throws(CareModelError) {
        var state = CareState()
        try operations.withUnsafeBufferPointer { (buffer) throws(CareModelError) in
            for index in buffer.indices { try state.apply(buffer[index]) }
        }
        self = state
    }

    /// Validates and merges `operation`. An invalid operation changes nothing.
    @discardableResult
    public mutating func apply(_ operation: Operation) throws(CareModelError) -> Outcome {
        let (schema, isCreate) = try OperationValidator.validated(operation)
        let applied = records[operation.record, default: RecordState(ref: operation.record)]
            .apply(operation, schema: schema, isCreate: isCreate)
        return applied ? .applied : .duplicate
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
