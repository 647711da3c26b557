/// One entry of an append-only collection.
public struct LogEntry: Hashable, Sendable {
    /// The write that appended it.
    public let write: FieldWrite
    /// The entry's position among the appends of one operation to this field.
    public let index: Int

    static func precedes(_ lhs: LogEntry, _ rhs: LogEntry) -> Bool {
        if lhs.write.dot == rhs.write.dot { return lhs.index < rhs.index }
        return FieldWrite.precedes(lhs.write, rhs.write)
    }
}

/// A grow-only collection (note amendments, supplements, check-ins): every entry
/// ever appended is kept, listed in a deterministic order.
public struct AppendOnlyLog: Hashable, Sendable {
    public private(set) var entries: [LogEntry] = []

    mutating func append(_ entry: consuming LogEntry) {
        entries.insertSorted(entry, by: LogEntry.precedes)
    }
}
