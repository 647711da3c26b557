import CareModel
import Foundation
public import Logging
import PostgresNIO

/// The PostgreSQL backend: the same tables and semantics as ``SQLiteSyncStorage``,
/// through a postgres-nio connection pool. Several servers may share one
/// database: ingest takes a transaction-scoped advisory lock before it reads,
/// so log sequences are assigned and committed in order (docs/ARCHITECTURE.md,
/// "Several servers on one PostgreSQL").
///
/// Durable before answering: a transaction's `COMMIT` returns once its WAL is
/// flushed; ``open(url:logger:)`` refuses a database where `fsync` or
/// `synchronous_commit` is off.
public final class PostgresSyncStorage: SyncStorage {
    /// The advisory lock key that serialises ingest across servers ("CSINGEST" in
    /// ASCII): an ingest holds it from its first read to its commit.
    public static let ingestLockKey: Int64 = 0x4353_494E_4745_5354

    let client: PostgresClient
    let logger: Logger
    /// Pushes that arrive while another is being stored are stored together
    /// next, in one transaction (see ``ingest(_:planner:)``): up to
    /// ``maximumGroupOperations`` operations.
    let ingestGroups = GroupCommit<PendingIngest, IngestPlan>(
        maximumGroup: 32, maximumWeight: maximumGroupOperations, weight: { $0.batch.operations.count })

    /// The most operations stored in one group (a single larger push is still
    /// stored alone). A group is written in one statement whose `unnest`s
    /// PostgreSQL materialises, each within `work_mem` (4 MB by default):
    /// groups of nine pushes of 1,000 operations (5 MB of bodies in one array)
    /// ingested at half the rate of groups of 3,000 operations.
    static let maximumGroupOperations = 3_000
    /// The pool's `run()`: detached so that it inherits no task-locals (a
    /// service group's graceful shutdown would stop it before in-flight requests
    /// finish); ``close()`` cancels it.
    private let runner: Task<Void, Never>

    private init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
        runner = Task.detached { await client.run() }
    }

    /// Connects to the database `url` names (see ``PostgresURL``), checks it is
    /// durable, and migrates it.
    public static func open(url: String, logger: Logger) async throws -> PostgresSyncStorage {
        try await connect(try PostgresURL(url).configuration, logger: logger) { storage in
            try await storage.checkDurable()
            try await storage.inTransaction { connection in
                try await PostgresMigrator.migrate(on: connection, logger: logger)
            }
        }
    }

    /// Connects to the database `url` names for reading only, as the audit
    /// tools do: every session is read-only (`default_transaction_read_only`),
    /// and nothing is migrated. Throws ``ServerError``
    /// `not_a_caresync_database` for a database without the CareSync schema,
    /// and `schema_not_current` for one another version of the server wrote.
    public static func open(readingOnly url: String, logger: Logger) async throws -> PostgresSyncStorage {
        var configuration = try PostgresURL(url).configuration
        configuration.options.additionalStartupParameters.append(("default_transaction_read_only", "on"))
        return try await connect(configuration, logger: logger) { storage in
            try AppliedMigrations.check(
                try await storage.appliedMigrations(), known: PostgresSchema.migrations.map(\.identifier),
                database: PostgresURL.redacted(url))
        }
    }

    /// A storage on a new pool, once `prepare` has run on it; closed again if `prepare` throws.
    private static func connect(
        _ configuration: PostgresClient.Configuration, logger: Logger,
        prepare: (PostgresSyncStorage) async throws -> Void
    ) async throws -> PostgresSyncStorage {
        // The pool's own log: errors only (it warns when a first lease races the
        // start of `run()`, which is harmless); query errors reach the caller anyway.
        var poolLogger = logger
        poolLogger.logLevel = max(logger.logLevel, .error)
        let storage = PostgresSyncStorage(
            client: PostgresClient(configuration: configuration, backgroundLogger: poolLogger), logger: logger)
        do {
            try await prepare(storage)
            return storage
        } catch {
            try? await storage.close()
            throw error
        }
    }

    /// The migrations recorded in `schema_migrations`; none when there is no such table.
    private func appliedMigrations() async throws -> Set<String> {
        var hasTable = false
        for try await name in try await client.query(
            "SELECT to_regclass('schema_migrations')::text", logger: logger
        ).decode(String?.self) {
            hasTable = name != nil
        }
        guard hasTable else { return [] }
        var applied: Set<String> = []
        for try await identifier in try await client.query(
            "SELECT identifier FROM schema_migrations", logger: logger
        ).decode(String.self) {
            applied.insert(identifier)
        }
        return applied
    }

    private func checkDurable() async throws {
        let rows = try await client.query(
            "SELECT current_setting('fsync'), current_setting('synchronous_commit')", logger: logger)
        for try await (fsync, synchronousCommit) in rows.decode((String, String).self)
        where fsync == "off" || synchronousCommit == "off" {
            throw ServerError(
                .notReady,
                "the database acknowledges commits before they are durable (fsync=\(fsync), "
                    + "synchronous_commit=\(synchronousCommit)); set both on", status: .serviceUnavailable)
        }
    }

    public func counts() async throws -> StorageCounts {
        let rows = try await client.query(
            """
            SELECT (SELECT COUNT(*) FROM operations), (SELECT COUNT(*) FROM records),
                (SELECT COUNT(*) FROM visit_access), (SELECT COUNT(*) FROM devices),
                (SELECT COUNT(*) FROM enrolment_codes), (SELECT COUNT(*) FROM workers),
                (SELECT COUNT(*) FROM residents)
            """, logger: logger)
        for try await count in rows.decode((Int, Int, Int, Int, Int, Int, Int).self) {
            return StorageCounts(
                operations: count.0, records: count.1, visitAccess: count.2, devices: count.3, enrolmentCodes: count.4,
                workers: count.5, residents: count.6)
        }
        throw ServerError(.internalError, "the database returned no counts", status: .internalServerError)
    }

    public func checkReady() async throws {
        try await client.query("SELECT 1", logger: logger)
    }

    /// The one integer `query` answers (a count, a maximum); 0 when it answers no row.
    func integer(_ query: PostgresQuery) async throws -> Int {
        for try await value in try await client.query(query, logger: logger).decode(Int.self) {
            return value
        }
        return 0
    }

    public func close() async throws {
        runner.cancel()
        await runner.value
    }

    /// Runs `body` in a transaction on one pooled connection; commits when it
    /// returns, rolls back when it throws, and rethrows what it threw as it is
    /// (postgres-nio's `withTransaction` would wrap it).
    func inTransaction<Value: Sendable>(
        _ begin: Transaction = .readWrite, _ body: (PostgresConnection) async throws -> Value
    ) async throws -> Value {
        try await client.withConnection { connection in
            try await connection.query(PostgresQuery(unsafeSQL: begin.rawValue), logger: logger)
            do {
                let value = try await body(connection)
                try await connection.query("COMMIT", logger: logger)
                return value
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    /// How a transaction begins.
    enum Transaction: String {
        /// `READ COMMITTED`, PostgreSQL's default.
        case readWrite = "BEGIN"
        /// Every query reads the same snapshot.
        case snapshot = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
    }

    /// Whether `error` is the database refusing a row that breaks `constraint`
    /// (as PostgreSQL names it, e.g. `devices_replica_key`).
    static func violates(_ error: any Error, constraint: String) -> Bool {
        (error as? PSQLError)?.serverInfo?[.constraintName] == constraint
    }
}

extension ByteBuffer {
    /// The readable bytes as an array.
    var byteArray: [UInt8] { Array(readableBytesView) }
}

extension PostgresSyncStorage {
    /// An operation hash read from a `BYTEA` column.
    static func operationHash(_ buffer: ByteBuffer) throws -> OperationHash {
        guard let hash = OperationHash(bytes: buffer.byteArray) else {
            throw ServerError(.internalError, "an operation hash is not 32 bytes", status: .internalServerError)
        }
        return hash
    }
}
