public import CareModel
import GRDB

/// The SQL of one pull: the union of what a ``PullFilter`` lets through, each
/// operation at its delivery position (its own sequence, or the later sequence
/// at which the worker was assigned to its visit), ordered by position then
/// sequence. Only placeholders are added to the text; every value is bound.
struct SQLitePullQuery {
    let sql: String
    let arguments: StatementArguments

    /// Operations with `after < position` (and `position <= through`, if given),
    /// at most `limit` (if given).
    init(_ filter: PullFilter, after: UInt64, through: UInt64?, limit: Int?) {
        var branches: [String] = []
        var arguments = StatementArguments()
        let replica = filter.excludedReplica?.description ?? ""

        func positionBounds(_ position: String) -> String {
            var text = "\(position) > ?"
            arguments += [Int64(after)]
            if let through {
                text += " AND \(position) <= ?"
                arguments += [Int64(through)]
            }
            return text
        }
        func kindsIn(_ kinds: Set<RecordKind>, column: String) -> String {
            arguments += StatementArguments(kinds.sorted().map(\.rawValue))
            return "\(column) IN (\(Array(repeating: "?", count: kinds.count).joined(separator: ", ")))"
        }
        func limited(_ select: String, orderBy: String) -> String {
            guard let limit else { return select }
            arguments += [limit]
            return "SELECT * FROM (\(select) ORDER BY \(orderBy) LIMIT ?)"
        }

        if !filter.everything.isEmpty {
            var select = "SELECT sequence, sequence AS position, body FROM operations WHERE \(positionBounds("sequence"))"
            if !filter.seesEverything { select += " AND " + kindsIn(filter.everything, column: "kind") }
            select += " AND replica <> ?"
            arguments += [replica]
            branches.append(limited(select, orderBy: "sequence"))
        }
        if !filter.byAssignment.isEmpty {
            let position = "MAX(o.sequence, a.granted_at)"
            var select = """
                SELECT o.sequence AS sequence, \(position) AS position, o.body AS body
                FROM visit_access a JOIN operations o ON o.visit = a.visit
                WHERE a.worker = ?
                """
            arguments += [filter.worker.rawValue]
            select += " AND " + positionBounds(position) + " AND " + kindsIn(filter.byAssignment, column: "o.kind")
            select += " AND o.replica <> ?"
            arguments += [replica]
            branches.append(limited(select, orderBy: "position, sequence"))
        }
        if !filter.byTeam.isEmpty {
            var select = "SELECT sequence, sequence AS position, body FROM operations WHERE team IN ("
            select += Array(repeating: "?", count: filter.teams.count).joined(separator: ", ") + ")"
            arguments += StatementArguments(filter.teams.map(\.rawValue))
            select += " AND " + positionBounds("sequence") + " AND " + kindsIn(filter.byTeam, column: "kind")
            select += " AND replica <> ?"
            arguments += [replica]
            branches.append(limited(select, orderBy: "sequence"))
        }
        if !filter.byOwnership.isEmpty {
            var select = "SELECT sequence, sequence AS position, body FROM operations WHERE owner = ?"
            arguments += [filter.worker.rawValue]
            select += " AND " + positionBounds("sequence") + " AND " + kindsIn(filter.byOwnership, column: "kind")
            select += " AND replica <> ?"
            arguments += [replica]
            branches.append(limited(select, orderBy: "sequence"))
        }

        var sql = """
            SELECT sequence, MIN(position) AS position, body FROM (\(branches.joined(separator: " UNION ALL ")))
            GROUP BY sequence ORDER BY position, sequence
            """
        if let limit {
            sql += " LIMIT ?"
            arguments += [limit]
        }
        self.sql = sql
        self.arguments = arguments
    }
}
