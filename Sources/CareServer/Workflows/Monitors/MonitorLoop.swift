import Logging
import ServiceLifecycle

/// The `run()` of the workflow monitors: waits one interval, ticks, and again,
/// until graceful shutdown. A failed tick is logged and retried at the next
/// interval (what it did not write, the next tick finds again). Waiting first
/// leaves the first tick of a fresh server to after start-up, and to tests that
/// call `tick()` themselves.
enum MonitorLoop {
    static func run(every interval: Duration, name: String, logger: Logger, tick: @escaping @Sendable () async throws -> Void)
        async
    {
        await cancelWhenGracefulShutdown {
            while true {
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return
                }
                do {
                    try await tick()
                } catch is CancellationError {
                    return
                } catch {
                    logger.error("workflow monitor tick failed", metadata: ["monitor": "\(name)", "error": "\(error)"])
                }
            }
        }
    }
}
