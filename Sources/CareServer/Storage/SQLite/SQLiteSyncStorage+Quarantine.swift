import Foundation
import GRDB

extension SQLiteSyncStorage {
    public func quarantineRows(after id: Int64, limit: Int) async throws -> [QuarantineRow] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, replica, counter, device, worker, kind, record, visit, team, code, message, received_at,
                        body
                    FROM quarantine WHERE id > ? ORDER BY id LIMIT ?
                    """,
                arguments: [id, limit]
            ).map { row in
                try QuarantineRow(
                    id: row[0], replica: row[1], counter: row[2], device: row[3], worker: row[4], kind: row[5],
                    record: row[6], visit: row[7], team: row[8], code: row[9], message: row[10], receivedAt: row[11],
                    body: (row[12] as Data).byteArray)
            }
        }
    }
}
