import CoreMetrics

extension SyncMetrics {
    /// Counts one delivery attempt: `caresync_notification_attempts_total{outcome="delivered"|"failed"}`.
    func recordNotificationAttempt(delivered: Bool) {
        CoreMetrics.Counter(
            label: "caresync_notification_attempts_total", dimensions: [("outcome", delivered ? "delivered" : "failed")],
            factory: factory
        ).increment()
    }

    /// `caresync_notification_deliveries_failing`: undelivered deliveries past the failing threshold.
    func setFailingNotificationDeliveries(_ count: Int) {
        CoreMetrics.Gauge(label: "caresync_notification_deliveries_failing", factory: factory).record(count)
    }
}
