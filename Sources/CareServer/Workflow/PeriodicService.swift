import Logging
import ServiceLifecycle

/// A background job as a swift-service-lifecycle `Service`: waits `interval`,
/// runs `tick`, and again, until graceful shutdown. A tick in progress is let
/// finish (its effects are stored or not, never half); only the wait is cut
/// short. A failing tick is logged and tried again at the next interval.
///
/// It waits first, so a server's jobs never race a test that calls their
/// `tick()` itself (tests configure a long interval, and no early wake).
struct PeriodicService: Service {
    /// Asked every ``period`` during the wait: true runs the tick at once.
    /// A log follower is woken so when enough has been stored since it last
    /// ran, before its ``RecentLog`` forgets what it would read.
    struct EarlyWake: Sendable {
        var period: Duration
        var isDue: @Sendable () async -> Bool
    }

    let name: String
    let interval: Duration
    let logger: Logger
    var earlyWake: EarlyWake? = nil
    let tick: @Sendable () async throws -> Void

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await wait() }
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

    /// Until the interval has passed, or the early wake is due.
    private func wait() async throws {
        guard let earlyWake else { return try await Task.sleep(for: interval) }
        let clock = ContinuousClock()
        let deadline = clock.now + interval
        while clock.now < deadline {
            try await Task.sleep(until: min(clock.now + earlyWake.period, deadline), clock: clock)
            if await earlyWake.isDue() { return }
        }
    }
}
