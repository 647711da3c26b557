import ArgumentParser
import CareServer

/// `caresync admin schema`: prints the server's SQLite schema (what
/// `Schema/server.sqlite.sql` holds), or with `--postgres` its PostgreSQL one
/// (`Schema/server.postgres.sql`).
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema", abstract: "Print the server's SQLite (or PostgreSQL) schema, migration by migration.")

    @Flag(help: "Print the PostgreSQL schema.")
    var postgres = false

    func run() {
        print(postgres ? PostgresSchemaDocument.text : SQLiteSchemaDocument.text, terminator: "")
    }
}
