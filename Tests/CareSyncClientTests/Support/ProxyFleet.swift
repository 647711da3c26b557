import CareSyncTestSupport

/// One fault-injecting proxy per device, each with its own seed, so that the
/// faults a device meets do not depend on how the devices' requests interleave.
enum ProxyFleet {
    /// Runs `count` proxies in front of `upstreamPort` (seeds `seed`, `seed + 1`, …) while `body` runs.
    static func run<Value: Sendable>(
        count: Int, upstreamPort: Int, faults: NetworkFaults, seed: UInt64,
        _ body: @Sendable ([FaultInjectingProxy]) async throws -> Value
    ) async throws -> Value {
        try await adding(count, upstreamPort: upstreamPort, faults: faults, seed: seed, to: [], body)
    }

    private static func adding<Value: Sendable>(
        _ remaining: Int, upstreamPort: Int, faults: NetworkFaults, seed: UInt64, to running: [FaultInjectingProxy],
        _ body: @Sendable ([FaultInjectingProxy]) async throws -> Value
    ) async throws -> Value {
        guard remaining > 0 else { return try await body(running) }
        return try await FaultInjectingProxy.run(
            upstreamPort: upstreamPort, faults: faults, seed: seed &+ UInt64(running.count)
        ) { proxy in
            try await adding(remaining - 1, upstreamPort: upstreamPort, faults: faults, seed: seed, to: running + [proxy], body)
        }
    }
}
