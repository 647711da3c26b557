/// How concurrent writes to a field combine.
public enum MergeKind: Hashable, Sendable {
    /// Concurrent values are all kept as siblings; readers see a deterministic
    /// winner and a conflict until a write that has seen them all replaces them.
    /// With `keepsHistory`, values that were replaced stay readable too.
    /// The default for anything a person typed.
    case multiValue(keepsHistory: Bool)
    /// The write with the highest (HLC timestamp, replica) wins. Only for fields
    /// where losing the older value is harmless.
    case lastWriterWins
    /// A collection that only grows: every appended entry is kept.
    case appendOnly
    /// A monotone lattice: the field only moves up. For `.oneOf` values the order
    /// is the order the values are listed in; for integers and Booleans the
    /// natural order (false < true).
    case maximum
    /// Set when the record is created and never changed.
    case immutable
}
