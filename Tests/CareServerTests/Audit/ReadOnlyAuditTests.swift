import CareAudit
import CareModel
import CareServer
import Foundation
import GRDB
import PostgresNIO
import Testing

/// Auditors read; they never write. The audit tools open a database for
/// reading only: a wrong or empty database is refused rather than verified as
/// an empty log, an older or newer schema is refused rather than migrated,
/// and nothing the reader does can change the evidence.
@Suite("Opening a database for reading only")
struct ReadOnlyAuditTests {
    @Test("a database without the CareSync schema is refused, and left as it was", arguments: TestBackend.all)
    func notADatabase(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            if backend == .sqlite {
                // A missing file, an empty file, and another program's file.
                await Self.expectRefusal(.notACareSyncDatabase, opening: database)
                #expect(!FileManager.default.fileExists(atPath: database))
                #expect(FileManager.default.createFile(atPath: database, contents: Data()))
                await Self.expectRefusal(.notACareSyncDatabase, opening: database)
                let size = try FileManager.default.attributesOfItem(atPath: database)[.size] as? Int
                #expect(size == 0, "nothing written to the empty file")
                let text = Data("not SQLite at all, but long enough to have a header".utf8)
                #expect(FileManager.default.createFile(atPath: database, contents: text))
                await Self.expectRefusal(.notACareSyncDatabase, opening: database)
            } else {
                await Self.expectRefusal(.notACareSyncDatabase, opening: database)
                let tables = try await Self.postgres(
                    database, "SELECT COUNT(*)::bigint FROM pg_tables WHERE tablename = 'schema_migrations'")
                #expect(tables == 0, "nothing created")
            }
        }
    }

    @Test(
        "a server database opens for reading and verifies; another version's schema is refused, not migrated",
        arguments: TestBackend.all)
    func serverDatabase(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            _ = try await AuditScenario.run(on: server)
            let database = server.configuration.databasePath
            let reader = try await openSyncStorage(readingOnly: database, logger: TestServer.logger)
            let report = try await AuditVerification.verify(StorageAuditSource(storage: reader))
            #expect(report.isIntact, "\(report.findings)")
            #expect(report.operations == 10)
            try await reader.close()

            // An older server's database (the last migration not applied) and a newer one's.
            let older: String
            let newer: String
            if backend == .sqlite {
                let copies = try DatabaseCopies(of: server)
                older = try copies.copy("older") { db in
                    try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v6'")
                }
                newer = try copies.copy("newer") { db in
                    try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99')")
                }
            } else {
                older = database
                newer = database
                try await Self.postgres(database, "DELETE FROM schema_migrations WHERE identifier = 'v6'")
            }
            await Self.expectRefusal(.schemaNotCurrent, opening: older)
            if backend == .sqlite {
                let stillOlder = try DatabaseQueue(path: older)
                let v6 = try await stillOlder.read { db in
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM grdb_migrations WHERE identifier = 'v6'")
                }
                #expect(v6 == 0, "not migrated")
                try stillOlder.close()
            } else {
                let v6 = try await Self.postgres(
                    database, "SELECT COUNT(*)::bigint FROM schema_migrations WHERE identifier = 'v6'")
                #expect(v6 == 0, "not migrated")
                try await Self.postgres(database, "INSERT INTO schema_migrations (identifier) VALUES ('v6'), ('v99')")
            }
            await Self.expectRefusal(.schemaNotCurrent, opening: newer)
        }
    }

    @Test("a PostgreSQL reader's sessions are read-only: a write through it fails and changes nothing",
        .enabled(if: TestBackend.all.contains(.postgres)))
    func postgresSessionsReadOnly() async throws {
        try await TestServer.run(.postgres) { server in
            let reader = try await openSyncStorage(readingOnly: server.configuration.databasePath, logger: TestServer.logger)
            let before = try await reader.counts()
            do {
                try await reader.saveWorker(Worker(id: WorkerID("auditor-wrote")!, roles: [.careWorker], teams: []))
                Issue.record("a write through a reading-only storage succeeded")
            } catch let error as PSQLError {
                // 25006: read_only_sql_transaction, refused by the session's setting.
                #expect(error.serverInfo?[.sqlState] == "25006", "\(String(reflecting: error))")
            }
            #expect(try await reader.counts() == before)
            try await reader.close()
        }
    }

    static func expectRefusal(_ code: ServerError.Code, opening database: String) async {
        do {
            let storage = try await openSyncStorage(readingOnly: database, logger: TestServer.logger)
            try? await storage.close()
            Issue.record("\(database) opened; expected \(code)")
        } catch let error as ServerError {
            #expect(error.code == code, "\(error)")
        } catch {
            Issue.record("expected \(code), got \(error)")
        }
    }

    /// Runs `sql` on the PostgreSQL database `url` names, on a connection of
    /// its own; the first column of its first row, for a count.
    @discardableResult
    static func postgres(_ url: String, _ sql: String) async throws -> Int? {
        let name = String(try #require(URLComponents(string: url)).path.dropFirst())
        return try await PostgresTestCluster.fromEnvironment().withConnection(database: name) { connection in
            for try await count in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: TestServer.logger)
                .decode(Int.self)
            {
                return count
            }
            return nil
        }
    }
}
