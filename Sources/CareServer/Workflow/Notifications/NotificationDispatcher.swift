import Logging
import NIOCore
import ServiceLifecycle

/// Delivers due notifications to their webhooks: one attempt per due delivery
/// per ``tick()``, with exponential backoff between failures. The next attempt
/// time is stored, so a restarted server resumes where the last one stopped.
///
/// At least once: an attempt is claimed in the database before it is sent
/// (so two servers on one database do not send it at once), and recorded after;
/// a crash in between sends it again once the claim lapses. Receivers
/// deduplicate by `Idempotency-Key`.
public struct NotificationDispatcher: Sendable {
    let storage: any SyncStorage
    let settings: WebhookSettings
    let clock: any WallClock
    let metrics: SyncMetrics
    let logger: Logger
    /// The most deliveries attempted by one tick.
    let batchSize: Int

    init(
        storage: any SyncStorage, settings: WebhookSettings, clock: any WallClock, metrics: SyncMetrics, logger: Logger,
        batchSize: Int = 100
    ) {
        self.storage = storage
        self.settings = settings
        self.clock = clock
        self.metrics = metrics
        self.logger = logger
        self.batchSize = batchSize
    }

    /// What one tick did.
    public struct TickResult: Sendable, Hashable {
        public var delivered = 0
        public var failed = 0

        public init() {}
    }

    /// Attempts every delivery due now, then updates the failing-deliveries
    /// gauge. On graceful shutdown it starts no further delivery (the one in
    /// flight ends within its timeout): those left stay due, for the next start
    /// or another server, instead of holding shutdown for a timeout each.
    @discardableResult
    public func tick() async throws -> TickResult {
        var result = TickResult()
        let poster = WebhookPoster(timeout: .seconds(settings.timeoutSeconds))
        let now = clock.nowMillis()
        for delivery in try await storage.dueDeliveries(at: now, limit: batchSize) {
            if Task.isShuttingDownGracefully { break }
            guard let dueAt = delivery.nextAttemptAt,
                try await storage.claimDelivery(
                    key: delivery.notification.key, webhook: delivery.webhook, dueAt: dueAt,
                    leaseUntil: now + 2 * settings.timeoutSeconds * 1_000)
            else { continue }
            let attempts = delivery.attempts + 1
            let request = try WebhookRequest(delivery.notification, secret: settings.secret ?? "", at: now)
            let error = await poster.post(request, to: delivery.webhook)
            let outcome: DeliveryOutcome
            if let error {
                outcome = .failed(error: error, nextAttemptAt: settings.nextAttempt(after: attempts, at: clock.nowMillis()))
                result.failed += 1
                logger.notice(
                    "notification delivery failed",
                    metadata: ["kind": "\(delivery.notification.kind)", "attempts": "\(attempts)", "error": "\(error)"])
            } else {
                outcome = .delivered(at: clock.nowMillis())
                result.delivered += 1
            }
            try await storage.recordDelivery(key: delivery.notification.key, webhook: delivery.webhook, outcome: outcome)
            metrics.recordNotificationAttempt(delivered: error == nil)
        }
        metrics.setFailingNotificationDeliveries(
            try await storage.undeliveredCount(minimumAttempts: settings.failingAfterAttempts))
        return result
    }
}
