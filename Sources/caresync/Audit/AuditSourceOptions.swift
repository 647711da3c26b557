import ArgumentParser
import CareAudit
import CareServer
import Foundation
import Logging

/// Where an audit command reads the log: `--database` (the server's SQLite
/// file or PostgreSQL URL) or `--export` (an NDJSON export, offline).
struct AuditSourceOptions: ParsableArguments {
    @Option(help: "The server's database: its SQLite file or a postgres:// URL. (env: CARESYNC_DATABASE)")
    var database: String?

    @Option(help: "An NDJSON export made by `caresync audit export` (read offline).")
    var export: String?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        if database != nil, export != nil {
            throw ValidationError("give --database or --export, not both")
        }
    }

    /// The source named by the options (the database by default).
    func openSource() async throws -> any AuditLogSource {
        if let export {
            guard FileManager.default.fileExists(atPath: export) else {
                throw CommandFailure("no_export_file", "no export file at \(export)")
            }
            do {
                return try ExportFileSource(path: export)
            } catch let error as AuditSourceError {
                throw CommandFailure("not_an_export", "\(export): \(error)")
            }
        }
        let database = database ?? ProcessEnvironment.values["CARESYNC_DATABASE"] ?? ServerConfiguration().databasePath
        // An auditor reads: nothing is created, migrated or written, and a
        // file that is not a server database is refused, not verified as empty.
        do {
            return StorageAuditSource(
                storage: try await openSyncStorage(readingOnly: database, logger: Logger(label: "caresync-audit")))
        } catch let error as ServerError {
            throw CommandFailure(error.code.rawValue, error.message)
        }
    }

    /// Prints `value` as sorted-key JSON.
    func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
