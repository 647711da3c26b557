import CareModel

extension NotificationOutbox {
    /// Enqueues a notification for each thing a workflow monitor did. Each key
    /// names the event itself (the visit and due time of an alert, the
    /// escalation record), so a tick that runs again, or a second server,
    /// enqueues nothing new.
    ///
    /// An escalation's subject is its abuse report, so its audience is the
    /// safeguarding webhooks only (``NotificationAudience``), and it carries no
    /// team.
    func enqueue(_ events: [WorkflowEvent]) async throws {
        for event in events {
            switch event {
            case .overdueAlertRaised(let visit, let team, let dueAt):
                try await enqueue(
                    key: "visit_overdue:\(visit):\(dueAt)", kind: "visit_overdue",
                    subject: RecordRef(kind: .visit, id: visit), team: team)
            case .overdueAlertResolved(let visit, let team, let outcome):
                try await enqueue(
                    key: "visit_overdue_resolved:\(visit):\(outcome.rawValue)", kind: "visit_overdue_resolved",
                    subject: RecordRef(kind: .visit, id: visit), team: team)
            case .abuseReportEscalated(let report, let escalation, _, _):
                try await enqueue(
                    key: "abuse_report_escalated:\(escalation)", kind: "abuse_report_escalated",
                    subject: RecordRef(kind: .abuseReport, id: report), team: nil)
            }
        }
    }
}
