/// A hybrid logical clock reading: wall-clock milliseconds plus a logical counter
/// that orders events within (or stuck at) the same millisecond.
public struct HLCTimestamp: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Milliseconds since the Unix epoch, as far as the clock could tell.
    public var wallMillis: Int64
    /// Orders readings that share `wallMillis`.
    public var logical: UInt32

    public init(wallMillis: Int64, logical: UInt32 = 0) {
        self.wallMillis = wallMillis
        self.logical = logical
    }

    public static func < (lhs: HLCTimestamp, rhs: HLCTimestamp) -> Bool {
        (lhs.wallMillis, lhs.logical) < (rhs.wallMillis, rhs.logical)
    }

    public var description: String { "\(wallMillis).\(logical)" }

    enum CodingKeys: String, CodingKey {
        case wallMillis = "t"
        case logical = "l"
    }
}

/// A hybrid logical clock (Kulkarni et al.): readings never go backwards, stay
/// close to physical time, and move past every timestamp the replica has received.
///
/// The clock takes physical time as a parameter rather than reading it, so that
/// callers inject their clock and tests can make a phone's clock jump.
///
/// Drift handling, bounded and deliberate:
/// - Physical time going backwards (a phone set back an hour) does not move the
///   clock back: readings keep the last wall time and raise the logical counter.
/// - A *received* timestamp more than ``maximumForwardDrift`` ahead of this
///   replica's physical time is not adopted: one phone set a day ahead cannot drag
///   every other replica a day ahead. The operation carrying it is still accepted
///   (nothing is lost); ``observe(_:physicalMillis:)`` reports the skew so that the
///   caller can flag it. Causality never depends on these timestamps (vector clocks
///   decide it), so an unadopted timestamp only affects last-writer-wins ties.
/// - The logical counter is 32 bits; should it ever fill up, the clock moves one
///   millisecond ahead of physical time rather than wrap.
public struct HybridLogicalClock: Sendable, Hashable {
    /// What happened when a remote timestamp was observed.
    public enum Observation: Sendable, Hashable {
        /// The clock now reads at or beyond the remote timestamp.
        case adopted
        /// The remote timestamp was this many milliseconds beyond the allowed drift
        /// and was not adopted.
        case tooFarAhead(byMillis: Int64)
    }

    /// The default bound on adopting remote timestamps: 5 minutes, the skew a
    /// care provider flags for review.
    public static let defaultMaximumForwardDrift: Int64 = 5 * 60 * 1000

    /// The latest reading handed out or adopted.
    public private(set) var latest: HLCTimestamp
    /// How far ahead of physical time a remote timestamp may be and still be adopted.
    public let maximumForwardDrift: Int64

    /// A clock starting at `latest` (persist ``latest`` and pass it back on restart).
    public init(
        latest: HLCTimestamp = HLCTimestamp(wallMillis: 0),
        maximumForwardDrift: Int64 = HybridLogicalClock.defaultMaximumForwardDrift
    ) {
        self.latest = latest
        self.maximumForwardDrift = maximumForwardDrift
    }

    /// A new reading for a local event, strictly greater than every earlier one.
    public mutating func tick(physicalMillis: Int64) -> HLCTimestamp {
        if physicalMillis > latest.wallMillis {
            latest = HLCTimestamp(wallMillis: physicalMillis, logical: 0)
        } else if latest.logical == .max {
            latest = HLCTimestamp(wallMillis: latest.wallMillis + 1, logical: 0)
        } else {
            latest.logical += 1
        }
        return latest
    }

    /// Takes in a timestamp received from another replica, so that the next
    /// ``tick(physicalMillis:)`` reads after it, unless it is too far ahead.
    @discardableResult
    public mutating func observe(_ remote: HLCTimestamp, physicalMillis: Int64) -> Observation {
        let excess = remote.wallMillis - physicalMillis - maximumForwardDrift
        if excess > 0 { return .tooFarAhead(byMillis: excess) }
        if remote > latest { latest = remote }
        return .adopted
    }
}
