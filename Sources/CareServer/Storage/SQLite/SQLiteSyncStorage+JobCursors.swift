import GRDB

extension SQLiteSyncStorage {
    public func jobCursor(_ job: String) async throws -> UInt64 {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT sequence FROM job_cursors WHERE job = ?", arguments: [job])
                .map { UInt64($0) } ?? 0
        }
    }

    public func advanceJobCursor(_ job: String, to sequence: UInt64, at time: Int64) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO job_cursors (job, sequence, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (job) DO UPDATE SET sequence = excluded.sequence, updated_at = excluded.updated_at
                    WHERE job_cursors.sequence < excluded.sequence
                    """, arguments: [job, Int64(sequence), time])
        }
    }
}
