import ArgumentParser
import CareServer
import Foundation

/// The options every `caresync admin` command shares.
struct AdminOptions: ParsableArguments {
    @Option(help: "The server's SQLite database file. (env: CARESYNC_DATABASE, default caresync-server.sqlite)")
    var database: String?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    /// Opens the database (creating and migrating it if missing, as the server would).
    func openStorage() throws -> SQLiteSyncStorage {
        let path = database ?? ProcessEnvironment.values["CARESYNC_DATABASE"] ?? ServerConfiguration().databasePath
        return try SQLiteSyncStorage(path: path)
    }

    /// Prints `value` as sorted-key JSON.
    func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
