public import CareModel
import PostgresNIO

extension PostgresSyncStorage {
    public func openReviewItem(_ item: ReviewItem) async throws {
        let kind = item.record.kind.rawValue
        let id = item.record.id.description
        // No conflict target: both the id and the one-open-item-per-reason index refuse quietly.
        try await client.query(
            """
            INSERT INTO review_items (id, reason, record_kind, record_id, team, opened_sequence, opened_at)
            VALUES (\(item.id), \(item.reason), \(kind), \(id), (SELECT team FROM records WHERE kind = \(kind) AND id = \(id)),
                \(Int64(item.openedSequence)), \(item.openedAt))
            ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    public func reviewItem(_ id: String) async throws -> ReviewItem? {
        try await items("WHERE id = \(id)").first
    }

    public func openReviewItems(on record: RecordRef) async throws -> [ReviewItem] {
        try await items(
            "WHERE record_id = \(record.id.description) AND record_kind = \(record.kind.rawValue) AND resolved_at IS NULL")
    }

    public func reviewItems(teams: [TeamID]?, includeResolved: Bool, limit: Int) async throws -> [ReviewItem] {
        let teamNames = teams?.map(\.rawValue)
        return try await items(
            """
            WHERE (\(includeResolved) OR resolved_at IS NULL) AND (\(teamNames == nil) OR team = ANY(\(teamNames ?? [])))
            ORDER BY opened_sequence, id LIMIT \(limit)
            """)
    }

    public func resolveReviewItem(_ id: String, at time: Int64, by worker: WorkerID?, sequence: UInt64) async throws
        -> Bool
    {
        var resolved = false
        for try await _ in try await client.query(
            """
            UPDATE review_items SET resolved_at = \(time), resolved_by = \(worker?.rawValue),
                resolution_sequence = \(Int64(sequence))
            WHERE id = \(id) AND resolved_at IS NULL RETURNING id
            """, logger: logger
        ).decode(String.self) {
            resolved = true
        }
        return resolved
    }

    /// Items; `tail` is the `WHERE`/`ORDER BY`/`LIMIT` part.
    private func items(_ tail: PostgresQuery) async throws -> [ReviewItem] {
        var query = PostgresQuery(
            unsafeSQL: """
                SELECT id, reason, record_kind, record_id, team, opened_sequence, opened_at, resolved_at, resolved_by,
                    resolution_sequence FROM review_items
                """)
        query.sql += " " + tail.sql
        query.binds = tail.binds
        var items: [ReviewItem] = []
        for try await row in try await client.query(query, logger: logger)
            .decode((String, String, String, String, String?, Int64, Int64, Int64?, String?, Int64?).self)
        {
            items.append(
                try ReviewItem.fromColumns(
                    id: row.0, reason: row.1, recordKind: row.2, recordID: row.3, team: row.4, openedSequence: row.5,
                    openedAt: row.6, resolvedAt: row.7, resolvedBy: row.8, resolutionSequence: row.9))
        }
        return items
    }
}
