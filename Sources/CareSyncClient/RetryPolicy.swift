/// Exponential backoff with jitter, for retrying one request of a sync pass.
///
/// Before retry `n` (1, 2, …) the engine waits a random duration in
/// `[d/2, d]` where `d = min(maximumDelay, initialDelay × multiplier^(n-1))`
/// ("equal jitter"): the wait grows exponentially, never drops to zero, and
/// devices that lost the network together do not come back in lockstep.
public struct RetryPolicy: Sendable, Hashable {
    /// The ceiling of the first wait. Default 1 s.
    public var initialDelay: Duration
    /// Growth per retry. Default 2.
    public var multiplier: Double
    /// The largest ceiling. Default 60 s.
    public var maximumDelay: Duration
    /// Attempts of one request in one pass, the first included; after that the
    /// pass ends (`offline` or `error`) and the next trigger starts again.
    /// Default 5 (with the defaults: waits ≤ 1, 2, 4, 8 s).
    public var maximumAttempts: Int

    public init(
        initialDelay: Duration = .seconds(1), multiplier: Double = 2, maximumDelay: Duration = .seconds(60),
        maximumAttempts: Int = 5
    ) {
        self.initialDelay = initialDelay
        self.multiplier = multiplier
        self.maximumDelay = maximumDelay
        self.maximumAttempts = max(1, maximumAttempts)
    }

    /// The wait before retry `retry` (1 for the first retry), with `unit` a
    /// random number in `[0, 1)`.
    public func delay(beforeRetry retry: Int, unit: Double) -> Duration {
        let exponent = Double(max(0, retry - 1))
        let ceiling = min(
            Self.seconds(maximumDelay), Self.seconds(initialDelay) * pow(multiplier, exponent))
        let seconds = ceiling / 2 + ceiling / 2 * min(max(unit, 0), 1)
        return .nanoseconds(Int64((seconds * 1e9).rounded()))
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// `base` to the power `exponent`, without Foundation.
    private func pow(_ base: Double, _ exponent: Double) -> Double {
        var result = 1.0
        var remaining = Int(exponent)
        while remaining > 0 && result < 1e12 {
            result *= base
            remaining -= 1
        }
        return result
    }
}
