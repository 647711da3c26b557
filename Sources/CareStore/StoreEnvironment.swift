import Foundation

/// Where the store gets physical time and randomness. Injected so that tests
/// and simulations are reproducible; apps use ``system``.
public struct StoreEnvironment: Sendable {
    /// The device's wall clock, in Unix milliseconds: the time written into
    /// check-ins and notes as "what the phone said", and the physical input of
    /// the hybrid logical clock.
    public var now: @Sendable () -> Int64
    /// 64 random bits, for new record ids (UUIDv7).
    public var randomWord: @Sendable () -> UInt64

    public init(now: @escaping @Sendable () -> Int64, randomWord: @escaping @Sendable () -> UInt64) {
        self.now = now
        self.randomWord = randomWord
    }

    /// The system clock and the system's secure random generator.
    public static let system = StoreEnvironment(
        now: { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) },
        randomWord: {
            var generator = SystemRandomNumberGenerator()
            return generator.next()
        })
}

/// Adapts ``StoreEnvironment/randomWord`` to the generator the model expects.
struct EnvironmentRandom: RandomNumberGenerator {
    let word: @Sendable () -> UInt64
    mutating func next() -> UInt64 { word() }
}
