/// The identity of one operation: the replica that wrote it and that replica's
/// counter, which runs 1, 2, 3, … with no gaps.
public struct Dot: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The replica that wrote the operation.
    public var replica: ReplicaID
    /// The operation's position in its replica's log, starting at 1.
    public var counter: UInt64

    public init(replica: ReplicaID, counter: UInt64) {
        self.replica = replica
        self.counter = counter
    }

    public static func < (lhs: Dot, rhs: Dot) -> Bool {
        (lhs.replica, lhs.counter) < (rhs.replica, rhs.counter)
    }

    public var description: String { "\(replica)#\(counter)" }

    enum CodingKeys: String, CodingKey {
        case replica = "r"
        case counter = "c"
    }
}
