import ArgumentParser
import CareServer
import Foundation
import Logging

/// The options every `caresync admin` command shares.
struct AdminOptions: ParsableArguments {
    @Option(
        help: """
            The server's SQLite database file or postgres:// URL. \
            (env: CARESYNC_DATABASE, default caresync-server.sqlite)
            """)
    var database: String?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    /// Opens the database (creating and migrating it if missing, as the server would).
    func openStorage() async throws -> any SyncStorage {
        let database = database ?? ProcessEnvironment.values["CARESYNC_DATABASE"] ?? ServerConfiguration().databasePath
        return try await openSyncStorage(database: database, logger: Logger(label: "caresync-admin"))
    }

    /// Prints `value` as sorted-key JSON.
    func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
