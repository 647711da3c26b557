import ArgumentParser
import CareSyncTestSupport

/// `caresync-proxy`: the test suite's fault-injecting HTTP proxy as a program,
/// for `tools/flaky-network` (latency where the kernel has no `tc netem`) and
/// for trying a device against a misbehaving network by hand.
@main
struct CareSyncProxy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caresync-proxy",
        abstract: "Forward HTTP/1.1 to a CareSync server, adding delay and faults at seeded rates.")

    @Option(help: "Address to listen on.")
    var listenHost = "127.0.0.1"
    @Option(help: "Port to listen on (0: any free port, printed).")
    var listenPort = 0
    @Option(help: "The server's address.")
    var upstreamHost = "127.0.0.1"
    @Option(help: "The server's port.")
    var upstreamPort = 8080
    @Option(help: "Delay added to every request, in milliseconds (one per round trip).")
    var delayMs = 0
    @Option(help: "Rate (0-1) of each fault: dropped request, dropped or cut answer, duplicate, 502, 503.")
    var faultRate = 0.0
    @Option(help: "Seed of the fault draws.")
    var seed: UInt64 = 1

    func validate() throws {
        guard (0...65_535).contains(listenPort), (1...65_535).contains(upstreamPort) else {
            throw ValidationError("ports are 0-65535")
        }
        guard delayMs >= 0, (0...(1.0 / 6)).contains(faultRate) else {
            throw ValidationError("--delay-ms must be >= 0 and --fault-rate in [0, 1/6]")
        }
    }

    func run() async throws {
        var faults = NetworkFaults.uniform(faultRate)
        faults.delayRequest = delayMs > 0 ? 1 - 6 * faultRate : 0
        faults.delay = .milliseconds(delayMs)
        let configuration = ProxyConfiguration(
            listenHost: listenHost, listenPort: listenPort, upstreamHost: upstreamHost, upstreamPort: upstreamPort,
            faults: faults, seed: seed)
        try await FaultInjectingProxy.run(configuration) { proxy in
            print("caresync-proxy listening on \(listenHost):\(proxy.port) -> \(upstreamHost):\(upstreamPort)")
            // Serves until the process is stopped (Ctrl-C, SIGTERM).
            while true { try await Task.sleep(for: .seconds(3_600)) }
        }
    }
}
