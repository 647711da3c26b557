/// A schema file's text (`Schema/server.*.sql`) from a backend's migrations:
/// a header, then every migration in order under a line naming it.
enum SchemaDocument {
    static func text(header: [String], migrations: [(identifier: String, sql: String)]) -> String {
        var text = header.map { "-- \($0)\n" }.joined()
        for migration in migrations {
            text += "\n-- migration \(migration.identifier)\n" + migration.sql + "\n"
        }
        return text
    }
}
