import CareModel

/// The log follower's handler that turns each new abuse report (its create
/// operation) into an `abuse_report_created` notification for the safeguarding
/// webhooks. Idempotent by key (`abuse_report_created:<report id>`): a page read
/// twice, or a report created twice under one id, enqueues once.
struct AbuseReportNotifier: Sendable {
    /// Migration v5 seeds this job's cursor at the log head of its day: reports
    /// stored before the upgrade are not new, and are not announced.
    static let job = "abuse-report-notifier"
    static let kind = "abuse_report_created"

    let outbox: NotificationOutbox

    func handle(_ page: [FollowedEntry]) async throws {
        for followed in page
        where followed.operation.record.kind == .abuseReport && followed.operation.action == .create {
            let report = followed.operation.record
            try await outbox.enqueue(key: "\(Self.kind):\(report.id)", kind: Self.kind, subject: report, team: nil)
        }
    }
}
