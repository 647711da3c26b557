import Foundation
import Logging
import PostgresNIO

/// Brings a database to the current schema: applies, in one transaction, every
/// migration of ``PostgresSchema`` not yet recorded in `schema_migrations`.
///
/// Several servers may start at once against one database: a transaction-scoped
/// advisory lock makes them migrate one after the other, and the later ones
/// find nothing left to do.
enum PostgresMigrator {
    /// The advisory lock key of migrations ("CSMIGRAT" in ASCII).
    static let lockKey: Int64 = 0x4353_4D49_4752_4154

    /// Run inside a transaction: the lock and the migrations commit together.
    static func migrate(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                identifier TEXT PRIMARY KEY,
                applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """, logger: logger)
        var applied: Set<String> = []
        for try await identifier in try await connection.query(
            "SELECT identifier FROM schema_migrations", logger: logger
        ).decode(String.self) {
            applied.insert(identifier)
        }
        for migration in PostgresSchema.migrations where !applied.contains(migration.identifier) {
            for statement in statements(of: migration.sql) {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            try await connection.query(
                "INSERT INTO schema_migrations (identifier) VALUES (\(migration.identifier))", logger: logger)
            logger.info("schema migrated", metadata: ["migration": "\(migration.identifier)"])
        }
    }

    /// A migration's statements, one by one (the extended protocol takes one per
    /// query), without their `--` comments. Migrations hold no `;` or `--` inside
    /// string literals.
    static func statements(of sql: String) -> [String] {
        let code = sql.split(separator: "\n").map { line in
            line.range(of: "--").map { line[..<$0.lowerBound] } ?? line
        }.joined(separator: "\n")
        return code.split(separator: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }
}
