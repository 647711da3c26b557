public import CareModel

/// Who a notification may reach. Fixed by the subject's kind, never by
/// configuration, so that no setting can send word of an abuse report to a
/// coordinator's webhook (DESIGN.md, "Who may see and write what").
public enum NotificationAudience: String, Sendable, Hashable, Codable, CaseIterable {
    /// Safeguarding leads: anything about an abuse report or its escalations.
    case safeguarding
    /// Coordinators of the subject's team: visits, notes, missed calls.
    case coordinators

    /// The audience of notifications about a record of `kind`: anything about
    /// an abuse report (the report or one of its escalations) is safeguarding's.
    public init(subject kind: RecordKind) {
        self = kind == .abuseReport || kind == .abuseEscalation ? .safeguarding : .coordinators
    }
}

/// A notification in the outbox: ids and kinds only, never care-record content.
/// A receiver fetches the details with its own credentials, so that a webhook
/// URL (often a third-party chat or paging service, kept in logs and retried
/// across networks) never holds what only the record's readers may see.
public struct OutboxNotification: Sendable, Hashable, Codable {
    /// The idempotency key: enqueuing the same key twice stores one notification,
    /// and receivers see it as `Idempotency-Key` on every attempt.
    public var key: String
    /// What happened, in snake_case: `abuse_report_created`, `visit_overdue`, `abuse_report_escalated`, ...
    public var kind: String
    /// The record it is about.
    public var subject: RecordRef
    /// The subject's team (nil for abuse reports, which belong to no team).
    public var team: TeamID?
    /// When it was enqueued, Unix ms.
    public var createdAt: Int64

    public init(key: String, kind: String, subject: RecordRef, team: TeamID?, createdAt: Int64) {
        self.key = key
        self.kind = kind
        self.subject = subject
        self.team = team
        self.createdAt = createdAt
    }

    /// Who it may reach, from its subject.
    public var audience: NotificationAudience { NotificationAudience(subject: subject.kind) }

    enum CodingKeys: String, CodingKey {
        case key, kind, subject, team
        case createdAt = "created_at"
    }
}
