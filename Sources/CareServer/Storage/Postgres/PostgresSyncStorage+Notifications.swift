public import CareModel
import PostgresNIO

extension PostgresSyncStorage {
    public func enqueueNotification(_ notification: OutboxNotification, webhooks: [String]) async throws -> Bool {
        try await inTransaction { connection in
            var inserted = false
            for try await _ in try await connection.query(
                """
                INSERT INTO notifications (key, kind, audience, subject_kind, subject_id, team, created_at)
                VALUES (\(notification.key), \(notification.kind), \(notification.audience.rawValue),
                    \(notification.subject.kind.rawValue), \(notification.subject.id.description),
                    \(notification.team?.rawValue), \(notification.createdAt))
                ON CONFLICT (key) DO NOTHING RETURNING key
                """, logger: logger
            ).decode(String.self) {
                inserted = true
            }
            guard inserted else { return false }
            for webhook in webhooks {
                try await connection.query(
                    """
                    INSERT INTO notification_deliveries (key, webhook, next_attempt_at)
                    VALUES (\(notification.key), \(webhook), \(notification.createdAt))
                    """, logger: logger)
            }
            return true
        }
    }

    public func dueDeliveries(at time: Int64, limit: Int) async throws -> [NotificationDelivery] {
        try await deliveries(
            "WHERE d.delivered_at IS NULL AND d.next_attempt_at <= \(time) ORDER BY d.next_attempt_at, d.key, d.webhook LIMIT \(limit)")
    }

    public func claimDelivery(key: String, webhook: String, dueAt: Int64, leaseUntil: Int64) async throws -> Bool {
        var claimed = false
        for try await _ in try await client.query(
            """
            UPDATE notification_deliveries SET attempts = attempts + 1, next_attempt_at = \(leaseUntil)
            WHERE key = \(key) AND webhook = \(webhook) AND next_attempt_at = \(dueAt) AND delivered_at IS NULL
            RETURNING key
            """, logger: logger
        ).decode(String.self) {
            claimed = true
        }
        return claimed
    }

    public func recordDelivery(key: String, webhook: String, outcome: DeliveryOutcome) async throws {
        switch outcome {
        case .delivered(let time):
            try await client.query(
                """
                UPDATE notification_deliveries SET delivered_at = \(time), next_attempt_at = NULL
                WHERE key = \(key) AND webhook = \(webhook)
                """, logger: logger)
        case .failed(let error, let nextAttemptAt):
            try await client.query(
                """
                UPDATE notification_deliveries SET last_error = \(error), next_attempt_at = \(nextAttemptAt)
                WHERE key = \(key) AND webhook = \(webhook) AND delivered_at IS NULL
                """, logger: logger)
        }
    }

    public func notificationDeliveries(undeliveredOnly: Bool, limit: Int) async throws -> [NotificationDelivery] {
        undeliveredOnly
            ? try await deliveries("WHERE d.delivered_at IS NULL ORDER BY n.created_at DESC, d.key, d.webhook LIMIT \(limit)")
            : try await deliveries("ORDER BY n.created_at DESC, d.key, d.webhook LIMIT \(limit)")
    }

    public func undeliveredCount(minimumAttempts attempts: Int) async throws -> Int {
        try await integer(
            "SELECT COUNT(*) FROM notification_deliveries WHERE delivered_at IS NULL AND attempts >= \(attempts)")
    }

    /// Deliveries joined with their notifications; `tail` is the `WHERE`/`ORDER BY`/`LIMIT` part.
    private func deliveries(_ tail: PostgresQuery) async throws -> [NotificationDelivery] {
        var query = PostgresQuery(
            unsafeSQL: """
                SELECT n.key, n.kind, n.subject_kind, n.subject_id, n.team, n.created_at,
                    d.webhook, d.attempts, d.next_attempt_at, d.last_error, d.delivered_at
                FROM notification_deliveries d JOIN notifications n ON n.key = d.key
                """)
        query.sql += " " + tail.sql
        query.binds = tail.binds
        var deliveries: [NotificationDelivery] = []
        for try await row in try await client.query(query, logger: logger)
            .decode((String, String, String, String, String?, Int64, String, Int, Int64?, String?, Int64?).self)
        {
            deliveries.append(
                try NotificationDelivery.fromColumns(
                    key: row.0, kind: row.1, subjectKind: row.2, subjectID: row.3, team: row.4, createdAt: row.5,
                    webhook: row.6, attempts: row.7, nextAttemptAt: row.8, lastError: row.9, deliveredAt: row.10))
        }
        return deliveries
    }
}
