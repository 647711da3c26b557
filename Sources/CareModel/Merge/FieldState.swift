/// The merged state of one field, by merge kind.
///
/// The cases that hold a whole write or value are boxed (`indirect`): a record
/// keeps one slot per field of its kind, and unboxed they made each slot ~90
/// bytes wide, so that allocating and touching the slots of every new record
/// was a large part of reducing (see docs/BENCHMARKS.md). Boxed, a slot is two
/// words.
public enum FieldState: Hashable, Sendable {
    /// ``MergeKind/multiValue(keepsHistory:)``.
    case register(MultiValueRegister)
    /// ``MergeKind/lastWriterWins``: the latest write.
    indirect case lastWriter(FieldWrite)
    /// ``MergeKind/appendOnly``.
    case log(AppendOnlyLog)
    /// ``MergeKind/maximum``: the highest value written, and its rank.
    indirect case maximum(Value, rank: Int64)
    /// ``MergeKind/immutable``: the value(s) set by creating operations, in
    /// winner order; more than one only if two replicas created the same record.
    case immutable([FieldWrite])

    /// The value a reader shows: the register's winner, the latest write, the
    /// maximum, or the creating value; for a collection, the list of entries.
    public var current: Value? {
        switch self {
        case .register(let register): register.winner?.value
        case .lastWriter(let write): write.value
        case .log(let log): .list(log.entries.map(\.write.value))
        case .maximum(let value, _): value
        case .immutable(let writes): writes.first?.value
        }
    }

    /// Whether concurrent values are waiting to be resolved.
    public var isConflicted: Bool {
        switch self {
        case .register(let register): register.isConflicted
        case .immutable(let writes): Set(writes.map(\.value)).count > 1
        default: false
        }
    }
}
