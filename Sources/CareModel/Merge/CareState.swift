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

    /// Validates and merges `operation`. An invalid operation changes nothing.
    @discardableResult
    public mutating func apply(_ operation: Operation) throws(CareModelError) -> Outcome {
        try OperationValidator.validate(operation)
        // `validate` has checked that the kind has a schema.
        let schema = RecordSchema.of(operation.record.kind)!
        let applied = records[operation.record, default: RecordState(ref: operation.record)]
            .apply(operation, schema: schema)
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
