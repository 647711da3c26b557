/// The text of `Schema/server.sqlite.sql`: every migration in order, each
/// under a header naming it. A test checks the file matches; `caresync admin
/// schema` prints it.
public enum SQLiteSchemaDocument {
    public static var text: String {
        SchemaDocument.text(
            header: [
                "CareSync server, SQLite schema (generated from SQLiteSchema.migrations; do not edit by hand).",
                "Opened with PRAGMA journal_mode = WAL and PRAGMA synchronous = FULL.",
            ],
            migrations: SQLiteSchema.migrations)
    }
}
