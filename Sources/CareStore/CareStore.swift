import CareModel
import Foundation
import GRDB

/// The device-side store of one worker on one device: an SQLite op log, the
/// tables the app's screens read, the upload queue (outbox) and the sync cursor.
///
/// Every write the app makes is one SQLite transaction that builds the operation
/// with the model (``LocalReplica``: counter, hybrid logical clock, hash chain,
/// saved in the same transaction), appends it to the op log, updates the
/// screens' tables and queues it for upload; it is durable (WAL, `synchronous =
/// FULL`) when the call returns. Operations from the server are applied the same
/// way, through the model's reducer, so the tables always equal
/// ``CareState`` over the operations in the log.
///
/// `CareStore` is `Sendable`: use one instance from as many tasks as you like.
/// Writes are serialized by SQLite's single writer connection; reads run
/// concurrently on snapshots (GRDB `DatabasePool`). Open one store per worker
/// per device, each in its own file.
public final class CareStore: Sendable {
    /// The owner of the store.
    public let identity: StoreIdentity
    /// Where the store's file is.
    public let path: String
    let pool: DatabasePool
    let environment: StoreEnvironment
    let policy: AccessPolicy
    /// The reduced state of recently written records (see ``RecordStateCache``).
    let states = RecordStateCache()

    private init(
        identity: StoreIdentity, path: String, pool: DatabasePool, environment: StoreEnvironment
    ) {
        self.identity = identity
        self.path = path
        self.pool = pool
        self.environment = environment
        self.policy = .standard
    }

    /// Opens the store at `path`, creating it (for `identity`) if there is no
    /// file yet, and migrating it to the current schema.
    ///
    /// Refused, leaving the file as it was: a file that is not an SQLite
    /// database (``CareStoreError/Code/notADatabase``), a damaged one
    /// (``CareStoreError/Code/corruptDatabase``), another program's database
    /// (``CareStoreError/Code/notACareStore``), one written by a newer app
    /// version (``CareStoreError/Code/newerSchema``), a location that cannot be
    /// written (``CareStoreError/Code/readOnlyLocation``), and a store of another
    /// worker, replica or device (``CareStoreError/Code/identityMismatch``).
    public static func open(
        path: String, identity: StoreIdentity, environment: StoreEnvironment = .system
    ) async throws(CareStoreError) -> CareStore {
        let migrator = Self.migrator
        let contents = try StoreFile.inspect(path: path, migrator: migrator)
        if case .existing(let stored) = contents, stored != identity {
            throw CareStoreError(
                .identityMismatch,
                "the store belongs to another worker, replica or device; sign it out and open a new store file")
        }
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB sets `synchronous = NORMAL` when it turns WAL on (after
            // `prepareDatabase`), so FULL is set here, on the one writer connection.
            try await pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            try migrator.migrate(pool)
            let now = environment.now()
            try await pool.write { db in
                if try Int.fetchOne(db, sql: "SELECT count(*) FROM store") == 0 {
                    try StoreRow.create(db, identity: identity, at: now)
                }
            }
            return CareStore(identity: identity, path: path, pool: pool, environment: environment)
        } catch {
            throw CareStoreError.wrapping(error)
        }
    }

    /// Durability settings, on every connection:
    /// - WAL: readers never block the writer, and a commit is one append to the
    ///   WAL file;
    /// - `synchronous = FULL` (set on the writer after opening): every commit
    ///   fsyncs the WAL, so what a worker recorded survives a crash *and* a power
    ///   loss once the call returned (NORMAL, GRDB's WAL default, may lose the
    ///   last commits on power loss);
    /// - `fullfsync`: on Apple platforms, F_FULLFSYNC flushes the drive's cache too
    ///   (plain fsync does not there); ignored elsewhere.
    private static var configuration: Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.maximumReaderCount = 4
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA fullfsync = ON")
            try db.execute(sql: "PRAGMA checkpoint_fullfsync = ON")
        }
        return configuration
    }

    /// The versioned migrations of `Schema/device.sql`.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in DeviceSchema.migrations {
            migrator.registerMigration(migration.name) { db in
                try db.execute(sql: migration.sql)
            }
        }
        return migrator
    }

    /// Closes the database connections. Further calls fail.
    public func close() throws(CareStoreError) {
        do {
            try pool.close()
        } catch {
            throw CareStoreError.wrapping(error)
        }
    }

    // MARK: - Access helpers

    /// Runs `body` in one write transaction; rolls back everything if it throws.
    /// The record-state cache takes what it handed over once it commits.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(CareStoreError) -> T {
        do {
            return try await pool.write(handingOverTo: states, body)
        } catch {
            throw CareStoreError.wrapping(error)
        }
    }

    /// Runs `body` on a read snapshot.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(CareStoreError) -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw CareStoreError.wrapping(error)
        }
    }
}
