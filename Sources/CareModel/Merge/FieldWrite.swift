/// One value written to a field by one operation.
public struct FieldWrite: Hashable, Sendable {
    /// The operation that wrote it.
    public let dot: Dot
    public let timestamp: HLCTimestamp
    public let author: WorkerID
    public let value: Value
    /// What the writer had seen of the record: a write replaces the writes whose
    /// dots this contains.
    public let context: VersionVector

    /// Whether this write had seen `other` when it was made.
    func supersedes(_ other: FieldWrite) -> Bool {
        context.contains(other.dot)
    }

    /// The deterministic order every replica uses to pick a winner and to list
    /// writes: HLC timestamp, then replica, then counter (dots are unique).
    static func precedes(_ lhs: FieldWrite, _ rhs: FieldWrite) -> Bool {
        (lhs.timestamp, lhs.dot.replica, lhs.dot.counter) < (rhs.timestamp, rhs.dot.replica, rhs.dot.counter)
    }
}

extension Array where Element == FieldWrite {
    /// Inserts `write` keeping the array in ``FieldWrite/precedes(_:_:)`` order.
    mutating func insertOrdered(_ write: consuming FieldWrite) {
        insertSorted(write, by: FieldWrite.precedes)
    }
}
