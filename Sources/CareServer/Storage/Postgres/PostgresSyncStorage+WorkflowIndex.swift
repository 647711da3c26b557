public import CareModel
import Foundation
import PostgresNIO

extension PostgresSyncStorage {
    /// Writes a batch's schedule index and report deadline rows (in the ingest
    /// transaction): one upsert per table, arrays unnested. Absent values travel
    /// as sentinels turned back into NULL (0 for times, which are never 0; an
    /// empty stamp; `''` for text).
    func write(_ changes: WorkflowIndexChanges, on connection: PostgresConnection) async throws {
        let visits = Array(changes.visits.values)
        if !visits.isEmpty {
            func time(_ value: Int64?) -> Int64 { value ?? 0 }
            func stamp<Wrapped>(_ value: Stamped<Wrapped>?) -> ByteBuffer { ByteBuffer(bytes: value?.stamp.bytes ?? []) }
            let columns = WorkflowIndexSQL.visitColumns.joined(separator: ", ")
            let query: PostgresQuery = """
                INSERT INTO visit_schedule AS s (\(unescaped: columns))
                SELECT visit, NULLIF(team, ''), NULLIF(scheduled_start, 0), NULLIF(start_stamp, ''::bytea),
                    NULLIF(scheduled_end, 0), NULLIF(end_stamp, ''::bytea), cancelled, NULLIF(cancelled_stamp, ''::bytea),
                    marked_missed, NULLIF(missed_stamp, ''::bytea), office_confirmed, NULLIF(check_in_time, 0),
                    NULLIF(check_in_received_at, 0), NULLIF(check_out_time, 0), NULLIF(alert_due_at, 0),
                    alert_state::smallint, NULLIF(alert_outcome, '')
                FROM unnest(
                    \(visits.map(\.visit.description))::text[], \(visits.map { $0.team?.rawValue ?? "" })::text[],
                    \(visits.map { time($0.scheduledStart?.value) })::bigint[], \(visits.map { stamp($0.scheduledStart) })::bytea[],
                    \(visits.map { time($0.scheduledEnd?.value) })::bigint[], \(visits.map { stamp($0.scheduledEnd) })::bytea[],
                    \(visits.map { $0.cancelled?.value ?? false })::boolean[], \(visits.map { stamp($0.cancelled) })::bytea[],
                    \(visits.map { $0.markedMissed?.value ?? false })::boolean[], \(visits.map { stamp($0.markedMissed) })::bytea[],
                    \(visits.map(\.officeConfirmed))::boolean[], \(visits.map { time($0.checkInTime) })::bigint[],
                    \(visits.map { time($0.checkInReceivedAt) })::bigint[], \(visits.map { time($0.checkOutTime) })::bigint[],
                    \(visits.map { time($0.alertDueAt) })::bigint[], \(visits.map { Int64($0.alertState.rawValue) })::bigint[],
                    \(visits.map { $0.alertOutcome?.rawValue ?? "" })::text[]
                ) AS c(visit, team, scheduled_start, start_stamp, scheduled_end, end_stamp, cancelled, cancelled_stamp,
                    marked_missed, missed_stamp, office_confirmed, check_in_time, check_in_received_at, check_out_time,
                    alert_due_at, alert_state, alert_outcome)
                \(unescaped: WorkflowIndexSQL.visitConflict)
                """
            try await connection.query(query, logger: logger)
        }
        let reports = Array(changes.reports.values)
        if !reports.isEmpty {
            let columns = WorkflowIndexSQL.reportColumns.joined(separator: ", ")
            let query: PostgresQuery = """
                INSERT INTO report_deadlines AS s (\(unescaped: columns))
                SELECT report, NULLIF(received_at, 0), status_rank::smallint, escalation_level::integer
                FROM unnest(
                    \(reports.map(\.report.description))::text[], \(reports.map { $0.receivedAt ?? 0 })::bigint[],
                    \(reports.map(\.statusRank))::bigint[], \(reports.map(\.escalationLevel))::bigint[]
                ) AS c(report, received_at, status_rank, escalation_level)
                \(unescaped: WorkflowIndexSQL.reportConflict)
                """
            try await connection.query(query, logger: logger)
        }
    }

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
        var reports: [ReportDeadline] = []
        let query = WorkflowIndexSQL.unacknowledgedReports(limit: limit, dialect: .postgres)
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
