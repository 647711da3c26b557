public import CareModel
import Foundation
import CareSQLite
import GRDB

extension SQLiteSyncStorage {
    /// Writes a batch's schedule index and report deadline rows (in the ingest
    /// transaction), through SQLite's C API like the rest of ingest.
    static func write(_ changes: WorkflowIndexChanges, in db: Database) throws {
        let visitColumns = WorkflowIndexSQL.visitColumns
        let visitUpsert =
            "INSERT INTO visit_schedule AS s (\(visitColumns.joined(separator: ", "))) VALUES ("
            + Array(repeating: "?", count: visitColumns.count).joined(separator: ", ") + ") "
            + WorkflowIndexSQL.visitConflict
        for change in changes.visits.values {
            try db.run(
                visitUpsert,
                [
                    .text(change.visit.description), .text(orNull: change.team?.rawValue),
                    .int(orNull: change.scheduledStart?.value), .stamp(change.scheduledStart?.stamp),
                    .int(orNull: change.scheduledEnd?.value), .stamp(change.scheduledEnd?.stamp),
                    .bool(change.cancelled?.value ?? false), .stamp(change.cancelled?.stamp),
                    .bool(change.markedMissed?.value ?? false), .stamp(change.markedMissed?.stamp),
                    .bool(change.officeConfirmed), .int(orNull: change.checkInTime), .int(orNull: change.checkInReceivedAt),
                    .int(orNull: change.checkOutTime), .int(orNull: change.alertDueAt), .int(Int64(change.alertState.rawValue)),
                    .text(orNull: change.alertOutcome?.rawValue),
                ])
        }
        let reportUpsert =
            "INSERT INTO report_deadlines AS s (\(WorkflowIndexSQL.reportColumns.joined(separator: ", "))) "
            + "VALUES (?, ?, ?, ?) " + WorkflowIndexSQL.reportConflict
        for change in changes.reports.values {
            try db.run(
                reportUpsert,
                [
                    .text(change.report.description), .int(orNull: change.receivedAt), .int(change.statusRank),
                    .int(change.escalationLevel),
                ])
        }
    }

    public func overdueCandidates(_ teams: TeamSelection, startedBy: Int64, limit: Int) async throws -> [ScheduledVisit] {
        guard let query = WorkflowIndexSQL.overdueCandidates(teams, startedBy: startedBy, limit: limit, dialect: .sqlite)
        else { return [] }
        return try await scheduledVisits(query)
    }

    public func resolvableAlerts(limit: Int) async throws -> [ScheduledVisit] {
        try await scheduledVisits(WorkflowIndexSQL.resolvableAlerts(limit: limit, dialect: .sqlite))
    }

    public func scheduledVisits(teams: [TeamID]?, from: Int64, to: Int64, limit: Int) async throws -> [ScheduledVisit] {
        guard let query = WorkflowIndexSQL.scheduledVisits(teams: teams, from: from, to: to, limit: limit, dialect: .sqlite)
        else { return [] }
        return try await scheduledVisits(query)
    }

    public func unacknowledgedReports(limit: Int) async throws -> [ReportDeadline] {
        try await reportDeadlines(WorkflowIndexSQL.unacknowledgedReports(limit: limit, dialect: .sqlite))
    }

    public func reportsDueForEscalation(now: Int64, deadlineMillis: Int64, levels: Int, limit: Int) async throws
        -> [ReportDeadline]
    {
        try await reportDeadlines(
            WorkflowIndexSQL.reportsDueForEscalation(
                now: now, deadlineMillis: deadlineMillis, levels: levels, limit: limit, dialect: .sqlite))
    }

    private func reportDeadlines(_ query: WorkflowIndexSQL) async throws -> [ReportDeadline] {
        try await pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: query.sql), arguments: Self.arguments(query.arguments)).map { row in
                ReportDeadline(
                    report: try Self.recordID(row[0]), receivedAt: row[1], escalationLevel: Int(row[2] as Int64))
            }
        }
    }

    private func scheduledVisits(_ query: WorkflowIndexSQL) async throws -> [ScheduledVisit] {
        try await pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: query.sql), arguments: Self.arguments(query.arguments)).map { row in
                ScheduledVisit(
                    visit: try Self.recordID(row[0]), team: (row[1] as String?).flatMap(TeamID.init),
                    scheduledStart: row[2], scheduledEnd: row[3], cancelled: row[4], confirmedMissed: row[5],
                    checkInTime: row[6], checkInReceivedAt: row[7], checkOutTime: row[8], alertDueAt: row[9],
                    alertState: VisitScheduleChange.AlertState(rawValue: Int(row[10] as Int64)) ?? .none,
                    alertOutcome: (row[11] as String?).flatMap(Visit.Alert.Outcome.init))
            }
        }
    }

    private static func arguments(_ arguments: [WorkflowIndexSQL.Argument]) -> StatementArguments {
        StatementArguments(
            arguments.map { argument -> (any DatabaseValueConvertible)? in
                switch argument {
                case .integer(let value): value
                case .text(let value): value
                }
            })
    }

    private static func recordID(_ text: String) throws -> RecordID {
        guard let id = RecordID(text) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "a visit_schedule or report_deadlines id is not a UUID")
        }
        return id
    }
}

extension SQLArgument {
    /// An index stamp's bytes, or NULL for a field the batch did not write.
    fileprivate static func stamp(_ stamp: IndexStamp?) -> SQLArgument {
        stamp.map { .blob($0.bytes) } ?? .null
    }
}
