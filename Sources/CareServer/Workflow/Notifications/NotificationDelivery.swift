import CareModel

/// One notification's delivery to one webhook, as stored: retried with backoff
/// until it succeeds, and never dropped. One that keeps failing stays listed
/// (``State/failing``) with its attempts and last error.
public struct NotificationDelivery: Sendable, Hashable, Codable {
    /// Where the delivery stands.
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        /// Waiting for its first attempt, or retrying after fewer failures than the failing threshold.
        case pending
        /// Failed at least the configured number of times; still retried.
        case failing
        /// The webhook answered 2xx.
        case delivered
    }

    public var notification: OutboxNotification
    /// The webhook URL.
    public var webhook: String
    public var attempts: Int
    /// When the next attempt is due, Unix ms; nil once delivered.
    public var nextAttemptAt: Int64?
    /// The last failure, as the dispatcher saw it (status or network error); no payload.
    public var lastError: String?
    public var deliveredAt: Int64?

    public init(
        notification: OutboxNotification, webhook: String, attempts: Int, nextAttemptAt: Int64?, lastError: String?,
        deliveredAt: Int64?
    ) {
        self.notification = notification
        self.webhook = webhook
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.deliveredAt = deliveredAt
    }

    /// Its state when `failingAfterAttempts` failures count as failing.
    public func state(failingAfterAttempts: Int) -> State {
        if deliveredAt != nil { return .delivered }
        return attempts >= failingAfterAttempts ? .failing : .pending
    }
}

/// What one delivery attempt came to.
public enum DeliveryOutcome: Sendable, Hashable {
    case delivered(at: Int64)
    /// Failed with `error`; try again at `nextAttemptAt`.
    case failed(error: String, nextAttemptAt: Int64)
}

extension NotificationDelivery {
    /// A delivery from its stored columns (both backends).
    static func fromColumns(
        key: String, kind: String, subjectKind: String, subjectID: String, team: String?, createdAt: Int64,
        webhook: String, attempts: Int, nextAttemptAt: Int64?, lastError: String?, deliveredAt: Int64?
    ) throws -> NotificationDelivery {
        guard let id = RecordID(subjectID) else {
            throw ServerError(.internalError, "a stored notification's subject is not a record id", status: .internalServerError)
        }
        return NotificationDelivery(
            notification: OutboxNotification(
                key: key, kind: kind, subject: RecordRef(kind: RecordKind(rawValue: subjectKind), id: id),
                team: team.map(TeamID.init(unchecked:)), createdAt: createdAt),
            webhook: webhook, attempts: attempts, nextAttemptAt: nextAttemptAt, lastError: lastError,
            deliveredAt: deliveredAt)
    }
}
