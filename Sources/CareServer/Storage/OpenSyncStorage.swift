public import Logging

/// Opens the backend `database` names: a `postgres://` (or `postgresql://`) URL
/// opens ``PostgresSyncStorage``; anything else is a SQLite file path.
public func openSyncStorage(database: String, logger: Logger) async throws -> any SyncStorage {
    if PostgresURL.isPostgres(database) {
        return try await PostgresSyncStorage.open(url: database, logger: logger)
    }
    return try SQLiteSyncStorage(path: database)
}

/// Opens the backend `database` names for reading only (the audit tools):
/// nothing is created, migrated or written. Throws ``ServerError``
/// `not_a_caresync_database` or `schema_not_current` for a database this
/// build cannot read as it is.
public func openSyncStorage(readingOnly database: String, logger: Logger) async throws -> any SyncStorage {
    if PostgresURL.isPostgres(database) {
        return try await PostgresSyncStorage.open(readingOnly: database, logger: logger)
    }
    return try SQLiteSyncStorage(readingOnly: database)
}

/// `database` as it may be logged: a URL's password replaced.
public func redactedDatabase(_ database: String) -> String {
    PostgresURL.isPostgres(database) ? PostgresURL.redacted(database) : database
}
