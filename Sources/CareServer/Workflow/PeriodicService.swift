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
    /// Asked every ``period`` during the wait: when ``isDue``, runs its own
    /// ``tick`` at once, and the wait for the interval goes on. A log follower
    /// is woken so when enough has been stored since it last ran, to read it
    /// from its ``RecentLog`` before it is forgotten.
    struct EarlyWake: Sendable {
        var period: Duration
        var isDue: @Sendable () async -> Bool
        var tick: @Sendable () async throws -> Void
    }

    let name: String
    let interval: Duration
    let logger: Logger
    var earlyWake: EarlyWake? = nil
    let tick: @Sendable () async throws -> Void

    func run() async throws {
        let clock = ContinuousClock()
        var deadline = clock.now + interval
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let earlyTick: (@Sendable () async throws -> Void)?
            do {
                let until = deadline
                earlyTick = try await cancelWhenGracefulShutdown { try await wait(until: until, clock: clock) }
            } catch {
                return
            }
            do {
                try await (earlyTick ?? tick)()
            } catch {
                logger.error("background job failed", metadata: ["job": "\(name)", "error": "\(error)"])
            }
            if earlyTick == nil { deadline = clock.now + interval }
        }
    }

    /// Waits until `deadline` (and returns nil), or until the early wake is due
    /// (and returns its tick).
    private func wait(until deadline: ContinuousClock.Instant, clock: ContinuousClock) async throws
        -> (@Sendable () async throws -> Void)?
    {
        guard let earlyWake else {
            try await Task.sleep(until: deadline, clock: clock)
            return nil
        }
        while clock.now < deadline {
            try await Task.sleep(until: min(clock.now + earlyWake.period, deadline), clock: clock)
            if await earlyWake.isDue() { return earlyWake.tick }
        }
        return nil
    }
}
