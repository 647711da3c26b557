import PostgresNIO

extension PostgresSyncStorage {
    public func jobCursor(_ job: String) async throws -> UInt64 {
        for try await sequence in try await client.query(
            "SELECT sequence FROM job_cursors WHERE job = \(job)", logger: logger
        ).decode(Int64.self) {
            return UInt64(sequence)
        }
        return 0
    }

    public func advanceJobCursor(_ job: String, to sequence: UInt64, at time: Int64) async throws {
        try await client.query(
            """
            INSERT INTO job_cursors (job, sequence, updated_at) VALUES (\(job), \(Int64(sequence)), \(time))
            ON CONFLICT (job) DO UPDATE SET sequence = excluded.sequence, updated_at = excluded.updated_at
            WHERE job_cursors.sequence < excluded.sequence
            """, logger: logger)
    }
}
