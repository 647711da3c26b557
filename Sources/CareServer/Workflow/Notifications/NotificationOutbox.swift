public import CareModel

/// The way into the notification outbox, for every job that has something to
/// tell people (new abuse reports, overdue visits, escalations): stores a
/// notification with one delivery per webhook of its audience, durably, before
/// returning. ``NotificationDispatcher`` delivers it.
public struct NotificationOutbox: Sendable {
    let storage: any SyncStorage
    let settings: WebhookSettings
    let clock: any WallClock

    public init(storage: any SyncStorage, settings: WebhookSettings, clock: any WallClock) {
        self.storage = storage
        self.settings = settings
        self.clock = clock
    }

    /// Enqueues a notification; idempotent by `key`: the same key again stores
    /// nothing and returns false. The key should name the event, not the moment
    /// (`visit_overdue:<visit id>`), so that a job that runs twice enqueues once.
    ///
    /// - Parameters:
    ///   - key: the idempotency key (1–200 bytes), also sent as `Idempotency-Key`.
    ///   - kind: what happened, snake_case (`visit_overdue`).
    ///   - subject: the record it is about; an abuse report goes only to the safeguarding webhooks.
    ///   - team: the subject's team, for the receiver's routing (nil for abuse reports).
    @discardableResult
    public func enqueue(key: String, kind: String, subject: RecordRef, team: TeamID?) async throws -> Bool {
        guard (1...200).contains(key.utf8.count), (1...64).contains(kind.utf8.count),
            kind.utf8.allSatisfy({ (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || $0 == UInt8(ascii: "_") })
        else {
            throw ServerError(
                .invalidRequest, "a notification needs a key of 1-200 bytes and a snake_case kind", field: "kind",
                status: .badRequest)
        }
        let notification = OutboxNotification(
            key: key, kind: kind, subject: subject, team: subject.kind == .abuseReport ? nil : team,
            createdAt: clock.nowMillis())
        return try await storage.enqueueNotification(
            notification, webhooks: settings.webhooks(for: notification.audience))
    }
}
