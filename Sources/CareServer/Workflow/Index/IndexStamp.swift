public import CareModel

/// The order of writes to one register field, as bytes that compare (memcmp,
/// as SQLite's BLOB and PostgreSQL's BYTEA do) in the model's winner order:
/// HLC wall time, logical counter, replica, counter (``FieldWrite``).
///
/// The schedule index keeps, for each register it copies, the value of the
/// write with the greatest stamp: a write that has seen another carries a later
/// HLC reading, so that is the register's shown value (the winner among
/// concurrent siblings) without reducing the record.
public struct IndexStamp: Sendable, Hashable, Comparable {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The stamp of `operation`'s writes.
    public init(_ operation: Operation) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(36)
        // Timestamps are positive (2000–2200), so their big-endian bytes sort as numbers.
        Self.append(UInt64(bitPattern: operation.timestamp.wallMillis), to: &bytes)
        withUnsafeBytes(of: operation.timestamp.logical.bigEndian) { bytes += $0 }
        Self.append(operation.id.replica.uuid.high, to: &bytes)
        Self.append(operation.id.replica.uuid.low, to: &bytes)
        Self.append(operation.id.counter, to: &bytes)
        self.bytes = bytes
    }

    private static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes += $0 }
    }

    public static func < (lhs: IndexStamp, rhs: IndexStamp) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}

/// A value with the stamp of the write that set it.
public struct Stamped<Wrapped: Sendable & Hashable>: Sendable, Hashable {
    public var value: Wrapped
    public var stamp: IndexStamp

    public init(_ value: Wrapped, stamp: IndexStamp) {
        self.value = value
        self.stamp = stamp
    }

    /// Keeps whichever of `self` and `other` has the later stamp.
    mutating func merge(_ other: Stamped<Wrapped>?) {
        if let other, stamp < other.stamp { self = other }
    }
}

extension Optional {
    /// Merges `other` into an optional stamped value (see ``Stamped/merge(_:)``).
    mutating func mergeStamped<Value>(_ other: Stamped<Value>?) where Wrapped == Stamped<Value> {
        if var current = self {
            current.merge(other)
            self = current
        } else {
            self = other
        }
    }
}
