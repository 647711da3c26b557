import ArgumentParser
import CareAudit
import CareServer
import Foundation

/// Where an audit command reads the log: `--database` (the server's SQLite
/// file) or `--export` (an NDJSON export, offline).
struct AuditSourceOptions: ParsableArguments {
    @Option(help: "The server's SQLite database file. (env: CARESYNC_DATABASE)")
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
    func openSource() throws -> any AuditLogSource {
        if let export {
            guard FileManager.default.fileExists(atPath: export) else {
                throw AuditFailure("no export file at \(export)")
            }
            do {
                return try ExportFileSource(path: export)
            } catch let error as AuditSourceError {
                throw AuditFailure("\(export): \(error)")
            }
        }
        let path = database ?? ProcessEnvironment.values["CARESYNC_DATABASE"] ?? ServerConfiguration().databasePath
        guard FileManager.default.fileExists(atPath: path) else {
            throw AuditFailure("no database file at \(path)")
        }
        return try StorageAuditSource(databasePath: path)
    }

    /// Prints `value` as sorted-key JSON.
    func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}

/// A refusal to report: ArgumentParser prints `Error: <message>` and exits 1.
struct AuditFailure: Error, CustomStringConvertible {
    let description: String

    init(_ message: String) {
        description = message
    }
}
