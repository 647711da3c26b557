public import CareModel
import Logging
import PostgresNIO

extension PostgresSyncStorage {
    public func apply(_ changes: ReviewQueueChanges) async throws {
        guard !changes.isEmpty else { return }
        let opened = changes.opened
        let resolved = changes.resolved
        try await inTransaction { connection in
            if !opened.isEmpty {
                // No conflict target: both the id and the one-open-item-per-reason index refuse quietly.
                try await connection.query(
                    """
                    INSERT INTO review_items (id, reason, record_kind, record_id, team, opened_sequence, opened_at)
                    SELECT n.id, n.reason, n.kind, n.record, r.team, n.sequence, n.opened_at
                    FROM unnest(\(opened.map(\.id))::text[], \(opened.map(\.reason))::text[],
                        \(opened.map(\.record.kind.rawValue))::text[], \(opened.map(\.record.id.description))::text[],
                        \(opened.map { Int64($0.openedSequence) })::bigint[], \(opened.map(\.openedAt))::bigint[])
                        WITH ORDINALITY AS n(id, reason, kind, record, sequence, opened_at, position)
                    LEFT JOIN records r ON r.kind = n.kind AND r.id = n.record
                    ORDER BY n.position
                    ON CONFLICT DO NOTHING
                    """, logger: logger)
            }
            for resolution in resolved {
                _ = try await Self.resolve(resolution, on: connection, logger: logger)
            }
        }
    }

    public func reviewItem(_ id: String) async throws -> ReviewItem? {
        try await items("WHERE id = \(id)").first
    }

    public func openReviewItems(on records: [RecordRef]) async throws -> [ReviewItem] {
        guard !records.isEmpty else { return [] }
        return try await items(
            """
            WHERE (record_kind, record_id) IN (
                SELECT * FROM unnest(\(records.map(\.kind.rawValue))::text[], \(records.map(\.id.description))::text[]))
            AND resolved_at IS NULL ORDER BY opened_sequence, id
            """)
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
        try await client.withConnection { connection in
            try await Self.resolve(
                ReviewQueueChanges.Resolution(id: id, time: time, worker: worker, sequence: sequence), on: connection,
                logger: logger)
        }
    }

    private static func resolve(
        _ resolution: ReviewQueueChanges.Resolution, on connection: PostgresConnection, logger: Logger
    ) async throws -> Bool {
        var resolved = false
        for try await _ in try await connection.query(
            """
            UPDATE review_items SET resolved_at = \(resolution.time), resolved_by = \(resolution.worker?.rawValue),
                resolution_sequence = \(Int64(resolution.sequence))
            WHERE id = \(resolution.id) AND resolved_at IS NULL RETURNING id
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
