/// The text of `Schema/server.postgres.sql`: every migration in order, each
/// under a header naming it. A test checks the file matches.
public enum PostgresSchemaDocument {
    public static var text: String {
        SchemaDocument.text(
            header: [
                "CareSync server, PostgreSQL schema (generated from PostgresSchema.migrations; do not edit by hand).",
                "Applied by the server at start, in a transaction under an advisory lock; each migration's",
                "identifier is recorded in schema_migrations (identifier TEXT PRIMARY KEY, applied_at TIMESTAMPTZ).",
            ],
            migrations: PostgresSchema.migrations)
    }
}
