/// Where the notification outbox lives (tables `notifications` and
/// `notification_deliveries`). Nothing is deleted: a delivered notification
/// keeps its row, a failing one stays due.
public protocol NotificationStore: Sendable {
    /// Stores `notification` with one due delivery per webhook in `webhooks`, in
    /// one transaction; does nothing (and returns false) when its key is stored already.
    func enqueueNotification(_ notification: OutboxNotification, webhooks: [String]) async throws -> Bool

    /// Undelivered deliveries whose next attempt is due at `time`, earliest first.
    func dueDeliveries(at time: Int64, limit: Int) async throws -> [NotificationDelivery]

    /// Takes a due delivery for one attempt: counts the attempt and moves its
    /// next attempt to `leaseUntil` (when a crashed attempt is retried), only if
    /// its next attempt is still `dueAt`. False when another dispatcher took it first.
    func claimDelivery(key: String, webhook: String, dueAt: Int64, leaseUntil: Int64) async throws -> Bool

    /// Records what the claimed attempt came to.
    func recordDelivery(key: String, webhook: String, outcome: DeliveryOutcome) async throws

    /// Deliveries, newest notification first, at most `limit`: all of them, or
    /// only the undelivered ones (pending and failing).
    func notificationDeliveries(undeliveredOnly: Bool, limit: Int) async throws -> [NotificationDelivery]

    /// The number of undelivered deliveries with at least `attempts` attempts.
    func undeliveredCount(minimumAttempts attempts: Int) async throws -> Int
}
