import CareModel

/// The SQL of one pull, for either backend: the union of what a ``PullFilter``
/// lets through, each operation at its delivery position (its own sequence, or
/// the later sequence at which the worker was assigned to its visit), ordered
/// by position then sequence. Only placeholders are added to the text; every
/// value is bound, in ``arguments`` order.
struct PullQuery {
    /// The SQL spellings that differ between the backends.
    enum Dialect {
        case sqlite
        case postgres

        func placeholder(_ number: Int) -> String {
            self == .sqlite ? "?" : "$\(number)"
        }

        /// The larger of two values (SQLite's two-argument MAX).
        var greatest: String { self == .sqlite ? "MAX" : "GREATEST" }
    }

    /// A bound value.
    enum Argument: Hashable {
        case integer(Int64)
        case text(String)
    }

    let sql: String
    let arguments: [Argument]

    /// Operations with `after < position` (and `position <= through`, if given),
    /// at most `limit` (if given). Rows: sequence, position, body.
    init(_ filter: PullFilter, after: UInt64, through: UInt64?, limit: Int?, dialect: Dialect) {
        var branches: [String] = []
        var arguments: [Argument] = []
        let replica = filter.excludedReplica?.description ?? ""

        func bind(_ argument: Argument) -> String {
            arguments.append(argument)
            return dialect.placeholder(arguments.count)
        }
        func positionBounds(_ position: String) -> String {
            var text = "\(position) > \(bind(.integer(Int64(after))))"
            if let through { text += " AND \(position) <= \(bind(.integer(Int64(through))))" }
            return text
        }
        func list(_ values: [String]) -> String {
            values.map { bind(.text($0)) }.joined(separator: ", ")
        }
        func kindsIn(_ kinds: Set<RecordKind>, column: String) -> String {
            "\(column) IN (\(list(kinds.sorted().map(\.rawValue))))"
        }
        func limited(_ select: String, orderBy: String) -> String {
            guard let limit else { return select }
            return "SELECT * FROM (\(select) ORDER BY \(orderBy) LIMIT \(bind(.integer(Int64(limit))))) AS branch"
        }

        if !filter.everything.isEmpty {
            var select = "SELECT sequence, sequence AS position FROM operations WHERE \(positionBounds("sequence"))"
            if !filter.seesEverything { select += " AND " + kindsIn(filter.everything, column: "kind") }
            select += " AND replica <> \(bind(.text(replica)))"
            branches.append(limited(select, orderBy: "sequence"))
        }
        if !filter.byAssignment.isEmpty {
            let position = "\(dialect.greatest)(o.sequence, a.granted_at)"
            var select = """
                SELECT o.sequence AS sequence, \(position) AS position
                FROM visit_access a JOIN operations o ON o.visit = a.visit
                WHERE a.worker = \(bind(.text(filter.worker.rawValue)))
                """
            select += " AND " + positionBounds(position) + " AND " + kindsIn(filter.byAssignment, column: "o.kind")
            select += " AND o.replica <> \(bind(.text(replica)))"
            branches.append(limited(select, orderBy: "position, sequence"))
        }
        if !filter.byTeam.isEmpty {
            var select = "SELECT sequence, sequence AS position FROM operations WHERE team IN ("
            select += list(filter.teams.map(\.rawValue)) + ")"
            select += " AND " + positionBounds("sequence") + " AND " + kindsIn(filter.byTeam, column: "kind")
            select += " AND replica <> \(bind(.text(replica)))"
            branches.append(limited(select, orderBy: "sequence"))
        }
        if !filter.byOwnership.isEmpty {
            var select = "SELECT sequence, sequence AS position FROM operations WHERE owner = "
            select += bind(.text(filter.worker.rawValue))
            select += " AND " + positionBounds("sequence") + " AND " + kindsIn(filter.byOwnership, column: "kind")
            select += " AND replica <> \(bind(.text(replica)))"
            branches.append(limited(select, orderBy: "sequence"))
        }

        // Each operation once, at its earliest position; the body joined last.
        var sql = """
            SELECT o.sequence, p.position, o.body
            FROM (SELECT sequence, MIN(position) AS position FROM (\(branches.joined(separator: " UNION ALL "))) AS visible
                GROUP BY sequence) AS p
            JOIN operations o ON o.sequence = p.sequence
            ORDER BY p.position, o.sequence
            """
        if let limit { sql += " LIMIT \(bind(.integer(Int64(limit))))" }
        self.sql = sql
        self.arguments = arguments
    }
}
