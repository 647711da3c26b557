/// How far a record (or an operation) has travelled: "saved" on the phone is not
/// "received by the office", and the app shows the difference.
///
/// A record's state is the least advanced state among this device's operations
/// on it; a record this device never wrote is ``acknowledged`` (it came from the
/// server).
public struct SyncState: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Saved only on this device: not sent yet.
    public static let localOnly = SyncState(rawValue: "local_only")
    /// Sent, no answer from the server yet (it may or may not have it).
    public static let sent = SyncState(rawValue: "sent")
    /// The server refused an operation of this record; it is still only on this
    /// device and needs attention.
    public static let rejected = SyncState(rawValue: "rejected")
    /// The server has stored every operation of this device on the record.
    public static let acknowledged = SyncState(rawValue: "acknowledged")

    /// Least advanced first: rejected, local only, sent, acknowledged.
    private var rank: Int {
        switch self {
        case .rejected: 0
        case .localOnly: 1
        case .sent: 2
        default: 3
        }
    }

    public static func < (lhs: SyncState, rhs: SyncState) -> Bool { lhs.rank < rhs.rank }

    public var description: String { rawValue }
}
