public import CareModel

/// How the provider responds to abuse reports: configuration, read from the
/// workflows file (``WorkflowSettings``).
public struct AbuseReportSettings: Sendable, Hashable {
    /// A report still `submitted` this long after the server received it is
    /// overdue and escalates; each further period escalates again. Default 60.
    public var acknowledgementDeadlineMinutes: Int
    /// Who an unacknowledged report escalates to, in order: worker ids with the
    /// safeguarding role. Default none (overdue reports are still listed).
    public var safeguardingContacts: [WorkerID]

    public init(acknowledgementDeadlineMinutes: Int = 60, safeguardingContacts: [WorkerID] = []) {
        self.acknowledgementDeadlineMinutes = acknowledgementDeadlineMinutes
        self.safeguardingContacts = safeguardingContacts
    }

    /// The acknowledgement deadline in milliseconds.
    public var deadlineMillis: Int64 { Int64(acknowledgementDeadlineMinutes) * 60_000 }

    /// When the escalation after `level` escalations falls due for a report
    /// received at `receivedAt`: one deadline period per level.
    public func dueAt(receivedAt: Int64, level: Int) -> Int64 {
        receivedAt + deadlineMillis * Int64(level + 1)
    }
}
