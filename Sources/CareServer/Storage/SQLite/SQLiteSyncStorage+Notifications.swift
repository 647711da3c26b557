public import CareModel
import GRDB

extension SQLiteSyncStorage {
    public func enqueueNotification(_ notification: OutboxNotification, webhooks: [String]) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO notifications (key, kind, audience, subject_kind, subject_id, team, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING
                    """,
                arguments: [
                    notification.key, notification.kind, notification.audience.rawValue,
                    notification.subject.kind.rawValue, notification.subject.id.description,
                    notification.team?.rawValue, notification.createdAt,
                ])
            guard db.changesCount == 1 else { return false }
            for webhook in webhooks {
                try db.execute(
                    sql: "INSERT INTO notification_deliveries (key, webhook, next_attempt_at) VALUES (?, ?, ?)",
                    arguments: [notification.key, webhook, notification.createdAt])
            }
            return true
        }
    }

    public func dueDeliveries(at time: Int64, limit: Int) async throws -> [NotificationDelivery] {
        try await deliveries(
            where: "d.delivered_at IS NULL AND d.next_attempt_at <= ?", order: "d.next_attempt_at, d.key, d.webhook",
            arguments: [time], limit: limit)
    }

    public func claimDelivery(key: String, webhook: String, dueAt: Int64, leaseUntil: Int64) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE notification_deliveries SET attempts = attempts + 1, next_attempt_at = ?
                    WHERE key = ? AND webhook = ? AND next_attempt_at = ? AND delivered_at IS NULL
                    """, arguments: [leaseUntil, key, webhook, dueAt])
            return db.changesCount == 1
        }
    }

    public func recordDelivery(key: String, webhook: String, outcome: DeliveryOutcome) async throws {
        try await pool.write { db in
            switch outcome {
            case .delivered(let time):
                try db.execute(
                    sql: """
                        UPDATE notification_deliveries SET delivered_at = ?, next_attempt_at = NULL
                        WHERE key = ? AND webhook = ?
                        """, arguments: [time, key, webhook])
            case .failed(let error, let nextAttemptAt):
                try db.execute(
                    sql: """
                        UPDATE notification_deliveries SET last_error = ?, next_attempt_at = ?
                        WHERE key = ? AND webhook = ? AND delivered_at IS NULL
                        """, arguments: [error, nextAttemptAt, key, webhook])
            }
        }
    }

    public func notificationDeliveries(undeliveredOnly: Bool, limit: Int) async throws -> [NotificationDelivery] {
        try await deliveries(
            where: undeliveredOnly ? "d.delivered_at IS NULL" : "1 = 1", order: "n.created_at DESC, d.key, d.webhook",
            arguments: [], limit: limit)
    }

    public func undeliveredCount(minimumAttempts attempts: Int) async throws -> Int {
        try await pool.read { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM notification_deliveries WHERE delivered_at IS NULL AND attempts >= ?",
                arguments: [attempts]) ?? 0
        }
    }

    private func deliveries(where condition: String, order: String, arguments: StatementArguments, limit: Int)
        async throws -> [NotificationDelivery]
    {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT n.key, n.kind, n.subject_kind, n.subject_id, n.team, n.created_at,
                        d.webhook, d.attempts, d.next_attempt_at, d.last_error, d.delivered_at
                    FROM notification_deliveries d JOIN notifications n ON n.key = d.key
                    WHERE \(condition) ORDER BY \(order) LIMIT \(limit)
                    """, arguments: arguments
            ).map { row in
                try NotificationDelivery.fromColumns(
                    key: row[0], kind: row[1], subjectKind: row[2], subjectID: row[3], team: row[4], createdAt: row[5],
                    webhook: row[6], attempts: row[7], nextAttemptAt: row[8], lastError: row[9], deliveredAt: row[10])
            }
        }
    }
}
