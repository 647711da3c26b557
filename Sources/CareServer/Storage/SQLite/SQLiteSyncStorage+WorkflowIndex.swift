public import CareModel
import Foundation
import GRDB

extension SQLiteSyncStorage {
    /// Writes a batch's schedule index and report deadline rows (in the ingest transaction).
    static func write(_ changes: WorkflowIndexChanges, in db: Database) throws {
        if !changes.visits.isEmpty {
            let columns = WorkflowIndexSQL.visitColumns
            let upsert = try db.cachedStatement(
                sql: "INSERT INTO visit_schedule AS s (\(columns.joined(separator: ", "))) VALUES ("
                    + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ") "
                    + WorkflowIndexSQL.visitConflict)
            for change in changes.visits.values {
                try upsert.execute(arguments: [
                    change.visit.description, change.team?.rawValue, change.scheduledStart?.value,
                    change.scheduledStart.map { Data($0.stamp.bytes) }, change.scheduledEnd?.value,
                    change.scheduledEnd.map { Data($0.stamp.bytes) }, change.cancelled?.value ?? false,
                    change.cancelled.map { Data($0.stamp.bytes) }, change.markedMissed?.value ?? false,
                    change.markedMissed.map { Data($0.stamp.bytes) }, change.officeConfirmed, change.checkInTime,
                    change.checkInReceivedAt, change.checkOutTime, change.alertDueAt, change.alertState.rawValue,
                    change.alertOutcome?.rawValue,
                ])
            }
        }
        if !changes.reports.isEmpty {
            let upsert = try db.cachedStatement(
                sql: "INSERT INTO report_deadlines AS s (\(WorkflowIndexSQL.reportColumns.joined(separator: ", "))) "
                    + "VALUES (?, ?, ?, ?) " + WorkflowIndexSQL.reportConflict)
            for change in changes.reports.values {
                try upsert.execute(arguments: [
                    change.report.description, change.receivedAt, change.statusRank, change.escalationLevel,
                ])
            }
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
        let query = WorkflowIndexSQL.unacknowledgedReports(limit: limit, dialect: .sqlite)
        return try await pool.read { db in
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
