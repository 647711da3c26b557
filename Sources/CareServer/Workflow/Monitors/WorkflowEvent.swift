public import CareModel

/// What a workflow monitor's tick did: returned by ``OverdueVisitMonitor/tick()``
/// and ``AbuseReportDeadlineMonitor/tick()`` so that a caller (the notification
/// outbox) can act on it. Each event is also an operation in the log: these
/// only say which, without care-record content.
public enum WorkflowEvent: Sendable, Hashable {
    /// An overdue alert was raised on `visit` (of `team`), due at `dueAt`.
    case overdueAlertRaised(visit: RecordID, team: TeamID?, dueAt: Int64)
    /// The overdue alert on `visit` was resolved when check-in evidence arrived.
    case overdueAlertResolved(visit: RecordID, team: TeamID?, outcome: Visit.Alert.Outcome)
    /// Abuse report `report` was escalated (record `escalation`) to `contact`,
    /// the `level`-th escalation. Only for safeguarding leads.
    case abuseReportEscalated(report: RecordID, escalation: RecordID, level: Int, contact: WorkerID?)
}
