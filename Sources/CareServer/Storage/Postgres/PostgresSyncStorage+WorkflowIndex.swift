public import CareModel
import Foundation
import PostgresNIO

extension PostgresSyncStorage {
    public func overdueCandidates(_ teams: TeamSelection, startedBy: Int64, limit: Int) async throws -> [ScheduledVisit] {
        guard let query = WorkflowIndexSQL.overdueCandidates(teams, startedBy: startedBy, limit: limit, dialect: .postgres)
        else { return [] }
        return try await scheduledVisits(query)
    }

    public func resolvableAlerts(limit: Int) async throws -> [ScheduledVisit] {
        try await scheduledVisits(WorkflowIndexSQL.resolvableAlerts(limit: limit, dialect: .postgres))
    }

    public func scheduledVisits(teams: [TeamID]?, from: Int64, to: Int64, limit: Int) async throws -> [ScheduledVisit] {
        guard let query = WorkflowIndexSQL.scheduledVisits(teams: teams, from: from, to: to, limit: limit, dialect: .postgres)
        else { return [] }
        return try await scheduledVisits(query)
    }

    public func unacknowledgedReports(limit: Int) async throws -> [ReportDeadline] {
        try await reportDeadlines(WorkflowIndexSQL.unacknowledgedReports(limit: limit, dialect: .postgres))
    }

    public func reportsDueForEscalation(now: Int64, deadlineMillis: Int64, levels: Int, limit: Int) async throws
        -> [ReportDeadline]
    {
        try await reportDeadlines(
            WorkflowIndexSQL.reportsDueForEscalation(
                now: now, deadlineMillis: deadlineMillis, levels: levels, limit: limit, dialect: .postgres))
    }

    private func reportDeadlines(_ query: WorkflowIndexSQL) async throws -> [ReportDeadline] {
        var reports: [ReportDeadline] = []
        for try await (report, receivedAt, level) in try await client.query(Self.query(query), logger: logger)
            .decode((String, Int64, Int32).self)
        {
            reports.append(
                ReportDeadline(report: try Self.recordID(report), receivedAt: receivedAt, escalationLevel: Int(level)))
        }
        return reports
    }

    private func scheduledVisits(_ query: WorkflowIndexSQL) async throws -> [ScheduledVisit] {
        var visits: [ScheduledVisit] = []
        for try await row in try await client.query(Self.query(query), logger: logger) {
            let columns = row.makeRandomAccess()
            visits.append(
                ScheduledVisit(
                    visit: try Self.recordID(try columns[0].decode(String.self)),
                    team: try columns[1].decode(String?.self).flatMap(TeamID.init),
                    scheduledStart: try columns[2].decode(Int64?.self), scheduledEnd: try columns[3].decode(Int64?.self),
                    cancelled: try columns[4].decode(Bool.self), confirmedMissed: try columns[5].decode(Bool.self),
                    checkInTime: try columns[6].decode(Int64?.self), checkInReceivedAt: try columns[7].decode(Int64?.self),
                    checkOutTime: try columns[8].decode(Int64?.self), alertDueAt: try columns[9].decode(Int64?.self),
                    alertState: VisitScheduleChange.AlertState(rawValue: Int(try columns[10].decode(Int16.self))) ?? .none,
                    alertOutcome: try columns[11].decode(String?.self).flatMap(Visit.Alert.Outcome.init)))
        }
        return visits
    }

    private static func query(_ query: WorkflowIndexSQL) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: query.arguments.count)
        for argument in query.arguments {
            switch argument {
            case .integer(let value): bindings.append(value)
            case .text(let value): bindings.append(value)
            }
        }
        return PostgresQuery(unsafeSQL: query.sql, binds: bindings)
    }

    private static func recordID(_ text: String) throws -> RecordID {
        guard let id = RecordID(text) else {
            throw ServerError(
                .internalError, "a visit_schedule or report_deadlines id is not a UUID", status: .internalServerError)
        }
        return id
    }
}
