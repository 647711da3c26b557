import PostgresNIO

extension PostgresSyncStorage {
    public func quarantineRows(after id: Int64, limit: Int) async throws -> [QuarantineRow] {
        var rows: [QuarantineRow] = []
        for try await row in try await client.query(
            """
            SELECT id, replica, counter, device, worker, kind, record, visit, team, code, message, received_at, body
            FROM quarantine WHERE id > \(id) ORDER BY id LIMIT \(Int64(limit))
            """, logger: logger
        ).decode(
            (Int64, String, Int64, String, String, String, String, String?, String?, String, String, Int64, ByteBuffer)
                .self)
        {
            rows.append(
                try QuarantineRow(
                    id: row.0, replica: row.1, counter: row.2, device: row.3, worker: row.4, kind: row.5, record: row.6,
                    visit: row.7, team: row.8, code: row.9, message: row.10, receivedAt: row.11, body: row.12.byteArray))
        }
        return rows
    }
}
