public import Logging

/// Opens the backend `database` names: a `postgres://` (or `postgresql://`) URL
/// opens ``PostgresSyncStorage``; anything else is a SQLite file path.
public func openSyncStorage(database: String, logger: Logger) async throws -> any SyncStorage {
    if PostgresURL.isPostgres(database) {
        return try await PostgresSyncStorage.open(url: database, logger: logger)
    }
    return try SQLiteSyncStorage(path: database)
}

/// `database` as it may be logged: a URL's password replaced.
public func redactedDatabase(_ database: String) -> String {
    PostgresURL.isPostgres(database) ? PostgresURL.redacted(database) : database
}
