import Logging
import ServiceLifecycle

/// A background job as a swift-service-lifecycle `Service`: waits `interval`,
/// runs `tick`, and again, until graceful shutdown. A tick in progress is let
/// finish (its effects are stored or not, never half); only the wait is cut
/// short. A failing tick is logged and tried again at the next interval.
///
/// It waits first, so a server's jobs never race a test that calls their
/// `tick()` itself (tests configure a long interval).
struct PeriodicService: Service {
    let name: String
    let interval: Duration
    let logger: Logger
    let tick: @Sendable () async throws -> Void

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
            do {
                try await tick()
            } catch {
                logger.error("background job failed", metadata: ["job": "\(name)", "error": "\(error)"])
            }
        }
    }
}
