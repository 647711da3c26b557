import CareModel

/// The SQL of the schedule index and report deadlines, for either backend:
/// upserts whose conflict rules are the merge rules of ``VisitScheduleChange``,
/// and the reads of ``WorkflowIndex``. Only placeholders are added to the
/// text; every value is bound, in ``arguments`` order.
struct WorkflowIndexSQL {
    typealias Dialect = PullQuery.Dialect
    typealias Argument = PullQuery.Argument

    /// The columns an upsert of `visit_schedule` writes, in order.
    static let visitColumns = [
        "visit", "team", "scheduled_start", "start_stamp", "scheduled_end", "end_stamp", "cancelled",
        "cancelled_stamp", "marked_missed", "missed_stamp", "office_confirmed", "check_in_time",
        "check_in_received_at", "check_out_time", "alert_due_at", "alert_state", "alert_outcome",
    ]

    /// The conflict clause of an upsert into `visit_schedule AS s`.
    static let visitConflict: String = {
        /// The incoming register write is later than the stored one.
        func later(_ stamp: String) -> String {
            "excluded.\(stamp) IS NOT NULL AND (s.\(stamp) IS NULL OR excluded.\(stamp) > s.\(stamp))"
        }
        func register(_ column: String, _ stamp: String) -> String {
            "\(column) = CASE WHEN \(later(stamp)) THEN excluded.\(column) ELSE s.\(column) END, "
                + "\(stamp) = CASE WHEN \(later(stamp)) THEN excluded.\(stamp) ELSE s.\(stamp) END"
        }
        func earliest(_ column: String) -> String {
            "\(column) = CASE WHEN excluded.\(column) IS NOT NULL AND (s.\(column) IS NULL OR excluded.\(column) < s.\(column)) "
                + "THEN excluded.\(column) ELSE s.\(column) END"
        }
        let assignments = [
            "team = COALESCE(s.team, excluded.team)",
            register("scheduled_start", "start_stamp"), register("scheduled_end", "end_stamp"),
            register("cancelled", "cancelled_stamp"), register("marked_missed", "missed_stamp"),
            "office_confirmed = (s.office_confirmed OR excluded.office_confirmed)",
            earliest("check_in_time"),
            "check_in_received_at = COALESCE(s.check_in_received_at, excluded.check_in_received_at)",
            earliest("check_out_time"),
            "alert_due_at = COALESCE(excluded.alert_due_at, s.alert_due_at)",
            "alert_state = CASE WHEN excluded.alert_state > s.alert_state THEN excluded.alert_state ELSE s.alert_state END",
            "alert_outcome = COALESCE(s.alert_outcome, excluded.alert_outcome)",
        ]
        return "ON CONFLICT (visit) DO UPDATE SET " + assignments.joined(separator: ", ")
    }()

    /// The columns an upsert of `report_deadlines` writes, in order.
    static let reportColumns = ["report", "received_at", "status_rank", "escalation_level"]

    /// The conflict clause of an upsert into `report_deadlines AS s`.
    static let reportConflict = """
        ON CONFLICT (report) DO UPDATE SET received_at = COALESCE(s.received_at, excluded.received_at),
            status_rank = CASE WHEN excluded.status_rank > s.status_rank THEN excluded.status_rank ELSE s.status_rank END,
            escalation_level = CASE WHEN excluded.escalation_level > s.escalation_level
                THEN excluded.escalation_level ELSE s.escalation_level END
        """

    /// The columns a read of `visit_schedule` returns, in ``ScheduledVisit`` order.
    static let visitSelect = """
        SELECT visit, team, scheduled_start, scheduled_end, cancelled, (marked_missed OR office_confirmed),
            check_in_time, check_in_received_at, check_out_time, alert_due_at, alert_state, alert_outcome
        FROM visit_schedule
        """

    /// The condition of the `visit_schedule_pending` partial index, word for word
    /// (SQLite uses a partial index only when the query repeats its terms).
    static let pending = """
        check_in_received_at IS NULL AND alert_state = 0 AND cancelled = FALSE
                AND marked_missed = FALSE AND office_confirmed = FALSE
        """

    let sql: String
    let arguments: [Argument]

    private init(sql: String, arguments: [Argument]) {
        self.sql = sql
        self.arguments = arguments
    }

    /// Binds values as a query is written.
    private struct Binder {
        let dialect: Dialect
        var arguments: [Argument] = []

        mutating func bind(_ argument: Argument) -> String {
            arguments.append(argument)
            return dialect.placeholder(arguments.count)
        }

        mutating func list(_ values: [String]) -> String {
            values.map { bind(.text($0)) }.joined(separator: ", ")
        }
    }

    /// ``WorkflowIndex/overdueCandidates(_:startedBy:limit:)``; nil when the selection is empty.
    static func overdueCandidates(_ teams: TeamSelection, startedBy: Int64, limit: Int, dialect: Dialect) -> Self? {
        var binder = Binder(dialect: dialect)
        // SQLite without statistics would walk the (team, scheduled_start) index
        // from each team's first visit; the partial index holds only visits still
        // waiting, and their team, so it is named. PostgreSQL plans by its statistics.
        let from = dialect == .sqlite ? "\(visitSelect) INDEXED BY visit_schedule_pending" : visitSelect
        var sql = "\(from) WHERE scheduled_start <= \(binder.bind(.integer(startedBy))) AND \(pending)"
        switch teams {
        case .only(let names):
            guard !names.isEmpty else { return nil }
            sql += " AND team IN (\(binder.list(names.map(\.rawValue))))"
        case .allExcept(let names):
            if !names.isEmpty { sql += " AND (team IS NULL OR team NOT IN (\(binder.list(names.map(\.rawValue)))))" }
        }
        sql += " ORDER BY scheduled_start LIMIT \(binder.bind(.integer(Int64(limit))))"
        return Self(sql: sql, arguments: binder.arguments)
    }

    /// ``WorkflowIndex/resolvableAlerts(limit:)``.
    static func resolvableAlerts(limit: Int, dialect: Dialect) -> Self {
        var binder = Binder(dialect: dialect)
        let sql = "\(visitSelect) WHERE alert_state = 1 AND check_in_received_at IS NOT NULL ORDER BY visit LIMIT "
            + binder.bind(.integer(Int64(limit)))
        return Self(sql: sql, arguments: binder.arguments)
    }

    /// ``WorkflowIndex/scheduledVisits(teams:from:to:limit:)``; nil when `teams` is empty.
    static func scheduledVisits(teams: [TeamID]?, from: Int64, to: Int64, limit: Int, dialect: Dialect) -> Self? {
        var binder = Binder(dialect: dialect)
        var sql = visitSelect + " WHERE "
        if let teams {
            guard !teams.isEmpty else { return nil }
            sql += "team IN (\(binder.list(teams.map(\.rawValue)))) AND "
        }
        sql += "scheduled_start >= \(binder.bind(.integer(from))) AND scheduled_start < \(binder.bind(.integer(to)))"
        sql += " ORDER BY scheduled_start, visit LIMIT \(binder.bind(.integer(Int64(limit))))"
        return Self(sql: sql, arguments: binder.arguments)
    }

    /// ``WorkflowIndex/unacknowledgedReports(limit:)``.
    static func unacknowledgedReports(limit: Int, dialect: Dialect) -> Self {
        var binder = Binder(dialect: dialect)
        let sql = """
            SELECT report, received_at, escalation_level FROM report_deadlines
            WHERE status_rank = 0 AND received_at IS NOT NULL ORDER BY received_at, report LIMIT \(binder.bind(.integer(Int64(limit))))
            """
        return Self(sql: sql, arguments: binder.arguments)
    }

    /// ``WorkflowIndex/reportsDueForEscalation(now:deadlineMillis:levels:limit:)``.
    static func reportsDueForEscalation(now: Int64, deadlineMillis: Int64, levels: Int, limit: Int, dialect: Dialect)
        -> Self
    {
        var binder = Binder(dialect: dialect)
        // When the next escalation falls due: AbuseReportSettings.dueAt(receivedAt:level:).
        // (Bound at each use: SQLite's placeholders are positional.)
        func dueAt() -> String { "received_at + \(binder.bind(.integer(deadlineMillis))) * (escalation_level + 1)" }
        let sql = """
            SELECT report, received_at, escalation_level FROM report_deadlines
            WHERE status_rank = 0 AND received_at IS NOT NULL AND escalation_level < \(binder.bind(.integer(Int64(levels))))
            AND \(dueAt()) <= \(binder.bind(.integer(now)))
            ORDER BY \(dueAt()), report LIMIT \(binder.bind(.integer(Int64(limit))))
            """
        return Self(sql: sql, arguments: binder.arguments)
    }
}
