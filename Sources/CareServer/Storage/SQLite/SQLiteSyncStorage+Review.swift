public import CareModel
import GRDB

extension SQLiteSyncStorage {
    private static let itemColumns = """
        id, reason, record_kind, record_id, team, opened_sequence, opened_at, resolved_at, resolved_by,
        resolution_sequence
        """

    public func openReviewItem(_ item: ReviewItem) async throws {
        try await pool.write { db in
            // No conflict target: both the id and the one-open-item-per-reason index refuse quietly.
            try db.execute(
                sql: """
                    INSERT INTO review_items (id, reason, record_kind, record_id, team, opened_sequence, opened_at)
                    VALUES (?, ?, ?, ?, (SELECT team FROM records WHERE kind = ? AND id = ?), ?, ?)
                    ON CONFLICT DO NOTHING
                    """,
                arguments: [
                    item.id, item.reason, item.record.kind.rawValue, item.record.id.description,
                    item.record.kind.rawValue, item.record.id.description, Int64(item.openedSequence), item.openedAt,
                ])
        }
    }

    public func reviewItem(_ id: String) async throws -> ReviewItem? {
        try await items(where: "id = ?", arguments: [id], limit: 1).first
    }

    public func openReviewItems(on record: RecordRef) async throws -> [ReviewItem] {
        try await items(
            where: "record_id = ? AND record_kind = ? AND resolved_at IS NULL",
            arguments: [record.id.description, record.kind.rawValue], limit: 1_000)
    }

    public func reviewItems(teams: [TeamID]?, includeResolved: Bool, limit: Int) async throws -> [ReviewItem] {
        var conditions = [includeResolved ? "1 = 1" : "resolved_at IS NULL"]
        var arguments = StatementArguments()
        if let teams {
            conditions.append("team IN (\(teams.map { _ in "?" }.joined(separator: ", ")))")
            arguments += StatementArguments(teams.map(\.rawValue))
        }
        return try await items(where: conditions.joined(separator: " AND "), arguments: arguments, limit: limit)
    }

    public func resolveReviewItem(_ id: String, at time: Int64, by worker: WorkerID?, sequence: UInt64) async throws
        -> Bool
    {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE review_items SET resolved_at = ?, resolved_by = ?, resolution_sequence = ?
                    WHERE id = ? AND resolved_at IS NULL
                    """, arguments: [time, worker?.rawValue, Int64(sequence), id])
            return db.changesCount == 1
        }
    }

    private func items(where condition: String, arguments: StatementArguments, limit: Int) async throws -> [ReviewItem] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.itemColumns) FROM review_items WHERE \(condition)
                    ORDER BY opened_sequence, id LIMIT \(limit)
                    """, arguments: arguments
            ).map { row in
                try ReviewItem.fromColumns(
                    id: row[0], reason: row[1], recordKind: row[2], recordID: row[3], team: row[4],
                    openedSequence: row[5], openedAt: row[6], resolvedAt: row[7], resolvedBy: row[8],
                    resolutionSequence: row[9])
            }
        }
    }
}
