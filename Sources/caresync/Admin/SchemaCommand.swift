import ArgumentParser
import CareServer

/// `caresync admin schema`: prints the server's SQLite schema (what
/// `Schema/server.sqlite.sql` holds).
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema", abstract: "Print the server's SQLite schema, migration by migration.")

    func run() {
        print(SQLiteSchemaDocument.text, terminator: "")
    }
}
