import CareModel
import Foundation
import GRDB

/// The checks made on a store file before the store opens it for writing, so
/// that a file the store cannot or must not use is refused with a clear error
/// and left exactly as it was.
///
/// Opening a GRDB `DatabasePool` writes (it switches the file to WAL and primes
/// the WAL file), and migrating writes more; so everything that can be decided
/// without writing is decided first, through a read-only connection.
enum StoreFile {
    /// What the file holds.
    enum Contents {
        /// No file, or an empty one: a new store.
        case new
        /// A store with this owner, at a schema this version knows (maybe older).
        case existing(StoreIdentity)
    }

    private static let header = Array("SQLite format 3\0".utf8)

    static func inspect(path: String, migrator: DatabaseMigrator) throws(CareStoreError) -> Contents {
        let fileManager = FileManager.default
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard fileManager.fileExists(atPath: folder.isEmpty ? "." : folder, isDirectory: &isFolder),
            isFolder.boolValue
        else {
            throw CareStoreError(.invalidArgument, "the store's folder does not exist")
        }
        try checkWritable(path: path, folder: folder.isEmpty ? "." : folder)
        guard fileManager.fileExists(atPath: path) else { return .new }
        let size = (try? fileManager.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        if size == 0 { return .new }
        let prefix: [UInt8]
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            prefix = Array(try handle.read(upToCount: 100) ?? Data())
        } catch {
            throw CareStoreError(.readOnlyLocation, "the store file cannot be read")
        }
        guard prefix.count == 100, Array(prefix.prefix(16)) == header else {
            throw CareStoreError(.notADatabase, "the file is not an SQLite database")
        }
        do {
            var configuration = Configuration()
            configuration.readonly = true
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read { db throws -> Contents in
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
                if tables.isEmpty { return .new }
                guard tables.contains("grdb_migrations"), tables.contains("store") else {
                    throw CareStoreError(.notACareStore, "the database is not a CareSync device store")
                }
                if try migrator.hasBeenSuperseded(db) {
                    throw CareStoreError(
                        .newerSchema, "the store was written by a newer version of the app; update the app to open it")
                }
                return .existing(try StoreRow.fetch(db).identity)
            }
        } catch {
            throw CareStoreError.wrapping(error)
        }
    }

    /// A WAL database needs its file and its folder writable (SQLite creates the
    /// `-wal` and `-shm` files beside it). Probed by trying, which also catches
    /// read-only mounts and sandbox rules that permission bits do not show.
    private static func checkWritable(path: String, folder: String) throws(CareStoreError) {
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: path) {
            guard let handle = FileHandle(forUpdatingAtPath: path) else {
                throw CareStoreError(.readOnlyLocation, "the store file cannot be written")
            }
            try? handle.close()
        }
        var generator = SystemRandomNumberGenerator()
        let probe = URL(fileURLWithPath: folder)
            .appendingPathComponent(".caresync-write-probe-\(String(generator.next(), radix: 16))").path
        guard fileManager.createFile(atPath: probe, contents: nil) else {
            throw CareStoreError(.readOnlyLocation, "the store's folder cannot be written")
        }
        try? fileManager.removeItem(atPath: probe)
    }
}
