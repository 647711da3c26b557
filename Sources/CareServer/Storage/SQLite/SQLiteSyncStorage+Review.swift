public import CareModel
import GRDB

extension SQLiteSyncStorage {
    private static let itemColumns = """
        id, reason, record_kind, record_id, team, opened_sequence, opened_at, resolved_at, resolved_by,
        resolution_sequence
        """

    public func apply(_ changes: ReviewQueueChanges) async throws {
        guard !changes.isEmpty else { return }
        try await pool.write { db in
            // No conflict target: both the id and the one-open-item-per-reason index refuse quietly.
            let open = try db.cachedStatement(
                sql: """
                    INSERT INTO review_items (id, reason, record_kind, record_id, team, opened_sequence, opened_at)
                    VALUES (?, ?, ?, ?, (SELECT team FROM records WHERE kind = ? AND id = ?), ?, ?)
                    ON CONFLICT DO NOTHING
                    """)
            for item in changes.opened {
                try open.execute(arguments: [
                    item.id, item.reason, item.record.kind.rawValue, item.record.id.description,
                    item.record.kind.rawValue, item.record.id.description, Int64(item.openedSequence), item.openedAt,
                ])
            }
            for resolution in changes.resolved {
                _ = try Self.resolve(resolution, db)
            }
        }
    }

    public func reviewItem(_ id: String) async throws -> ReviewItem? {
        try await items(where: "id = ?", arguments: [id], limit: 1).first
    }

    public func openReviewItems(on records: [RecordRef]) async throws -> [ReviewItem] {
        try await pool.read { db in
            let statement = try db.cachedStatement(
                sql: """
                    SELECT \(Self.itemColumns) FROM review_items
                    WHERE record_id = ? AND record_kind = ? AND resolved_at IS NULL ORDER BY opened_sequence, id
                    """)
            return try Set(records).flatMap { record in
                try Row.fetchAll(statement, arguments: [record.id.description, record.kind.rawValue]).map(Self.item)
            }
        }
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
            try Self.resolve(ReviewQueueChanges.Resolution(id: id, time: time, worker: worker, sequence: sequence), db)
        }
    }

    private static func resolve(_ resolution: ReviewQueueChanges.Resolution, _ db: Database) throws -> Bool {
        let statement = try db.cachedStatement(
            sql: """
                UPDATE review_items SET resolved_at = ?, resolved_by = ?, resolution_sequence = ?
                WHERE id = ? AND resolved_at IS NULL
                """)
        try statement.execute(arguments: [
            resolution.time, resolution.worker?.rawValue, Int64(resolution.sequence), resolution.id,
        ])
        return db.changesCount == 1
    }

    private func items(where condition: String, arguments: StatementArguments, limit: Int) async throws -> [ReviewItem] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.itemColumns) FROM review_items WHERE \(condition)
                    ORDER BY opened_sequence, id LIMIT \(limit)
                    """, arguments: arguments
            ).map(Self.item)
        }
    }

    /// An item from a row of ``itemColumns``.
    private static func item(_ row: Row) throws -> ReviewItem {
        try ReviewItem.fromColumns(
            id: row[0], reason: row[1], recordKind: row[2], recordID: row[3], team: row[4], openedSequence: row[5],
            openedAt: row[6], resolvedAt: row[7], resolvedBy: row[8], resolutionSequence: row[9])
    }
}
