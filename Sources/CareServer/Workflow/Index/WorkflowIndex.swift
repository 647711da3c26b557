public import CareModel

/// The reads the care workflows make of the schedule index and the report
/// deadlines (migration v4), which ingest keeps (``WorkflowIndexChanges``).
/// Every ``SyncStorage`` provides them.
public protocol WorkflowIndex: Sendable {
    /// Visits of `teams` due for an overdue alert: scheduled to start at or
    /// before `startedBy`, with no check-in, no alert yet, not cancelled and
    /// not confirmed missed; earliest first, at most `limit`.
    func overdueCandidates(_ teams: TeamSelection, startedBy: Int64, limit: Int) async throws -> [ScheduledVisit]

    /// Visits whose alert is raised and whose first check-in has arrived since; at most `limit`.
    func resolvableAlerts(limit: Int) async throws -> [ScheduledVisit]

    /// Visits of `teams` (every team when nil) scheduled to start in `from..<to`,
    /// earliest first, at most `limit`.
    func scheduledVisits(teams: [TeamID]?, from: Int64, to: Int64, limit: Int) async throws -> [ScheduledVisit]

    /// Abuse reports still `submitted`, oldest first, at most `limit`.
    func unacknowledgedReports(limit: Int) async throws -> [ReportDeadline]

    /// Abuse reports still `submitted` whose next escalation is due by `now`:
    /// escalated fewer than `levels` times, and received at least
    /// `deadlineMillis × (level + 1)` before `now`; the longest overdue first,
    /// at most `limit`. (Reports whose contacts are all used up, or whose next
    /// deadline is still ahead, never take a place another report needs.)
    func reportsDueForEscalation(now: Int64, deadlineMillis: Int64, levels: Int, limit: Int) async throws
        -> [ReportDeadline]
}
