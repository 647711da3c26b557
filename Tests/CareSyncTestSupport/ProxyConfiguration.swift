/// Where the fault-injecting proxy listens, where it forwards, and how it misbehaves.
public struct ProxyConfiguration: Sendable {
    /// The address the proxy listens on. Default 127.0.0.1.
    public var listenHost: String
    /// The proxy's port; 0 picks a free one (see ``FaultInjectingProxy/port``). Default 0.
    public var listenPort: Int
    /// The server's address. Default 127.0.0.1.
    public var upstreamHost: String
    public var upstreamPort: Int
    /// Random faults at seeded rates, for requests the script does not name.
    public var faults: NetworkFaults
    public var seed: UInt64
    /// Faults and pauses at chosen requests.
    public var script: ProxyScript

    public init(
        listenHost: String = "127.0.0.1", listenPort: Int = 0, upstreamHost: String = "127.0.0.1",
        upstreamPort: Int, faults: NetworkFaults = .none, seed: UInt64 = 1, script: ProxyScript = ProxyScript()
    ) {
        self.listenHost = listenHost
        self.listenPort = listenPort
        self.upstreamHost = upstreamHost
        self.upstreamPort = upstreamPort
        self.faults = faults
        self.seed = seed
        self.script = script
    }
}

/// Faults at chosen requests, and a hook that runs before each request goes on:
/// the way a test puts an interruption at an exact point of a sync. Requests
/// are numbered 1, 2, 3, … in the order the proxy received them complete.
public struct ProxyScript: Sendable {
    /// The fault for request number `n` (taking precedence over the random rates).
    public var faults: [Int: NetworkFault]
    /// Awaited before request `n` is forwarded (or failed); it may pause the
    /// request, e.g. until the test has restarted the server.
    public var beforeForwarding: @Sendable (_ request: Int) async -> Void

    public init(
        faults: [Int: NetworkFault] = [:], beforeForwarding: @escaping @Sendable (_ request: Int) async -> Void = { _ in }
    ) {
        self.faults = faults
        self.beforeForwarding = beforeForwarding
    }
}
