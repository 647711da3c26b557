public import CareModel
import Foundation
import GRDB

/// The embedded default backend: one SQLite file in WAL mode with
/// `synchronous = FULL`, so a commit is on disk (the WAL synced) before an
/// answer goes out. Writes are serialised by SQLite; reads run concurrently.
///
/// The file and its schema are created on first open; migrations run on every open.
public final class SQLiteSyncStorage: SyncStorage {
    let pool: DatabasePool
    /// Checkpoints the WAL after ingest commits, off the writer's path (nil
    /// when opened for reading only).
    let checkpointer: SQLiteCheckpointer?
    /// Pushes that arrive while another is being stored are stored together
    /// next, in one transaction (see ``ingest(_:planner:)``): up to
    /// ``maximumGroupOperations`` operations, so that a group's pages fit the
    /// writer's page cache (``writerPragmas``).
    let ingestGroups = GroupCommit<PendingIngest, IngestPlan>(
        maximumGroup: 32, maximumWeight: maximumGroupOperations, weight: { $0.batch.operations.count })

    /// The most operations stored in one group commit (a single larger push is
    /// still stored alone).
    static let maximumGroupOperations = 3_000

    /// What every connection sets: commits synced to disk.
    public static let connectionPragmas = "PRAGMA synchronous = FULL"

    /// What the writer connection sets besides: a page cache (8 MB) that holds
    /// a whole batch of a thousand operations with the index pages its checks
    /// read. With SQLite's default 2 MB such a transaction spilled pages to the
    /// WAL before commit, and ingest at batch 1000 ran at half the speed of
    /// batch 100. Readers keep the default: each has its own cache, and a pool
    /// of them at that size would hold memory the server needs for connections.
    public static let writerPragmas = "PRAGMA cache_size = -8000"

    /// The writer's own checkpoint threshold, in WAL pages (about 40 MB): a
    /// backstop behind ``SQLiteCheckpointer``, which checkpoints after every
    /// ingest commit (SQLite's default, 1,000 pages, made the writer checkpoint
    /// at nearly every commit of a thousand operations).
    static let writerCheckpointPragma = "PRAGMA wal_autocheckpoint = 10000"

    /// Opens (creating if needed) the database at `path` and migrates it.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.label = "caresync-server"
        configuration.prepareDatabase { db in
            try db.execute(sql: Self.connectionPragmas)
            if !db.configuration.readonly {
                try db.execute(sql: Self.writerPragmas)
                try db.execute(sql: Self.writerCheckpointPragma)
            }
        }
        pool = try Self.openMigrated(path: path, configuration: configuration)
        checkpointer = try SQLiteCheckpointer(path: path)
    }

    /// Opens the existing database at `path` for reading only, as the audit
    /// tools do: nothing is created, migrated, checkpointed or written.
    ///
    /// Throws ``ServerError`` `not_a_caresync_database` for a file that is not
    /// a CareSync server database (missing, empty, another program's), and
    /// `schema_not_current` for one another version of the server wrote.
    public init(readingOnly path: String) throws {
        let notADatabase = ServerError(
            .notACareSyncDatabase, "\(path) is not a CareSync server database", status: .notFound)
        guard FileManager.default.fileExists(atPath: path) else { throw notADatabase }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        configuration.label = "caresync-reader"
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            let applied = try pool.read { db in try SQLiteSchema.migrator.appliedIdentifiers(db) }
            try AppliedMigrations.check(applied, known: SQLiteSchema.migrations.map(\.identifier), database: path)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw notADatabase
        }
        checkpointer = nil
    }

    /// The pool on the file at `path`, every migration applied.
    ///
    /// Servers that open a new file at the same moment race twice: switching
    /// it to WAL needs a lock SQLite does not wait for (`database is locked`),
    /// and GRDB reads which migrations are applied outside the transaction
    /// that applies one, so the later of two runs of a migration fails (its
    /// tables exist). Opening again reads what the other server committed, so
    /// those two errors are retried, a few times; any other is thrown.
    private static func openMigrated(path: String, configuration: Configuration) throws -> DatabasePool {
        for attempt in 1... {
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                try SQLiteSchema.migrator.migrate(pool)
                return pool
            } catch let error as DatabaseError where attempt < 10 && isOpeningRace(error) {
                Thread.sleep(forTimeInterval: 0.005 * Double(attempt))
            }
        }
        fatalError("unreachable: the last attempt returns or throws")
    }

    private static func isOpeningRace(_ error: DatabaseError) -> Bool {
        error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
            || (error.resultCode == .SQLITE_ERROR && error.message?.contains("already exists") == true)
    }

    public func counts() async throws -> StorageCounts {
        try await pool.read { db in
            func count(_ table: String) throws -> Int {
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
            }
            return StorageCounts(
                operations: try count("operations"), records: try count("records"),
                visitAccess: try count("visit_access"), devices: try count("devices"),
                enrolmentCodes: try count("enrolment_codes"), workers: try count("workers"),
                residents: try count("residents"))
        }
    }

    public func checkReady() async throws {
        _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    public func close() async throws {
        try await checkpointer?.close()
        try pool.close()
    }
}

extension Data {
    /// The bytes as an array.
    var byteArray: [UInt8] { [UInt8](self) }
}
