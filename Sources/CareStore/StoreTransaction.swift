import GRDB

extension DatabasePool {
    /// Runs `body` in one write transaction on the writer (rolled back, and the
    /// error rethrown, if it throws). Once it has ended, still on the writer
    /// queue, `states` takes the record states `body` handed over with
    /// ``RecordStateCache/keep(_:)`` if it committed, and forgets them if not.
    func write<T: Sendable>(
        handingOverTo states: RecordStateCache, _ body: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        try await writeWithoutTransaction { db in
            do {
                let result = try db.immediateTransaction { try body(db) }
                states.transactionEnded(committed: true)
                return result
            } catch {
                states.transactionEnded(committed: false)
                throw error
            }
        }
    }
}

extension Database {
    /// Runs `body` in one `BEGIN IMMEDIATE` transaction: committed if `body`
    /// returns, rolled back if it throws (the first error is rethrown). What
    /// GRDB's `inTransaction` does, with `BEGIN` and `COMMIT` prepared once per
    /// connection instead of parsed again for every write.
    func immediateTransaction<T>(_ body: () throws -> T) throws -> T {
        try cachedStatement(sql: "BEGIN IMMEDIATE TRANSACTION").execute()
        do {
            let result = try body()
            // SQLite may have rolled the transaction back on an error that
            // `body` caught: then there is nothing left to commit.
            guard isInsideTransaction else {
                throw DatabaseError(resultCode: .SQLITE_ABORT, message: "the transaction was rolled back")
            }
            try cachedStatement(sql: "COMMIT TRANSACTION").execute()
            return result
        } catch {
            try? rollback()
            throw error
        }
    }
}
