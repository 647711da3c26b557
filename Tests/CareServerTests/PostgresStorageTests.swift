import CareModel
import CareServer
import Foundation
import Hummingbird
import PostgresNIO
import Testing

/// What only the PostgreSQL backend has: its URL, migrations shared by servers
/// that start together, durability checks, and enrolment races between servers.
@Suite("The PostgreSQL backend", .enabled(if: TestBackend.all.contains(.postgres), "CARESYNC_TEST_BACKENDS leaves PostgreSQL out"))
struct PostgresStorageTests {
    @Test("two servers starting at once on a new database migrate it once")
    func concurrentMigrations() async throws {
        let cluster = try PostgresTestCluster.fromEnvironment()
        try await cluster.withDatabase { url in
            async let one = openSyncStorage(database: url, logger: TestServer.logger)
            async let other = openSyncStorage(database: url, logger: TestServer.logger)
            let storages = try await [one, other]
            let database = String(url.split(separator: "/").last!)
            let applied = try await cluster.withConnection(database: database) { connection in
                var identifiers: [String] = []
                for try await identifier in try await connection.query(
                    "SELECT identifier FROM schema_migrations ORDER BY identifier", logger: PostgresTestCluster.logger
                ).decode(String.self) {
                    identifiers.append(identifier)
                }
                return identifiers
            }
            // Every migration, once (their identifiers are the schema document's headings).
            let migrations = PostgresSchemaDocument.text.split(separator: "\n")
                .filter { $0.hasPrefix("-- migration ") }.map { String($0.dropFirst("-- migration ".count)) }
            #expect(applied == migrations)
            #expect(try await storages[0].counts().operations == 0)
            for storage in storages { try await storage.close() }
        }
    }

    @Test("a database URL the server cannot use is refused with invalid_parameter", arguments: [
        "postgres://", "postgres:///caresync", "postgres://db.example/caresync?sslmode=sometimes",
        "postgresql://db.example/caresync?application=x",
    ])
    func invalidURL(url: String) async throws {
        let error = await #expect(throws: ServerError.self) {
            _ = try await openSyncStorage(database: url, logger: TestServer.logger)
        }
        #expect(error?.code == .invalidParameter)
        #expect(error?.field == "database")
    }

    @Test("the logged database URL hides its password; a SQLite path is logged as it is")
    func redactedURL() {
        let logged = redactedDatabase("postgres://caresync:s3cret%21@db.internal:5432/caresync?sslmode=require")
        #expect(!logged.contains("s3cret"))
        #expect(logged.contains("caresync:***@db.internal:5432/caresync"))
        #expect(redactedDatabase("/var/lib/caresync/server.sqlite") == "/var/lib/caresync/server.sqlite")
    }

    @Test("a database that acknowledges commits before they are durable is refused")
    func refusesAsynchronousCommit() async throws {
        let cluster = try PostgresTestCluster.fromEnvironment()
        try await cluster.withDatabase { url in
            let database = String(url.split(separator: "/").last!)
            try await cluster.withConnection {
                try await $0.query(
                    "ALTER DATABASE \(unescaped: database) SET synchronous_commit = off", logger: PostgresTestCluster.logger)
            }
            let error = await #expect(throws: ServerError.self) {
                _ = try await openSyncStorage(database: url, logger: TestServer.logger)
            }
            #expect(error?.code == .notReady)
        }
    }

    @Test("one enrolment code used through both servers at once enrols one device")
    func concurrentEnrolmentWithOneCode() async throws {
        try await ServerPair.run { pair in
            try await pair.first.createWorker("worker-a", roles: [.careWorker], teams: ["north"])
            let code = try await pair.second.enrolmentCode(for: "worker-a")
            async let one = pair.first.request(
                .post, "/v1/enrol",
                json: EnrolmentRequest(code: code, publicKey: TestServer.publicKey, replica: TestServer.newReplica()))
            async let other = pair.second.request(
                .post, "/v1/enrol",
                json: EnrolmentRequest(code: code, publicKey: TestServer.publicKey, replica: TestServer.newReplica()))
            let results = try await [one, other]
            #expect(results.map(\.status.code).sorted() == [201, 403])
            #expect(results.compactMap(\.errorCode) == ["invalid_enrolment_code"])
            // The enrolled device, and the servers' one shared replica.
            #expect(try await pair.first.counts().devices == 2)
        }
    }

    @Test("one replica enrolled through both servers at once is taken once")
    func concurrentEnrolmentOfOneReplica() async throws {
        try await ServerPair.run { pair in
            try await pair.first.createWorker("worker-a", roles: [.careWorker], teams: ["north"])
            let codes = [
                try await pair.first.enrolmentCode(for: "worker-a"), try await pair.second.enrolmentCode(for: "worker-a"),
            ]
            let replica = TestServer.newReplica()
            async let one = pair.first.request(
                .post, "/v1/enrol", json: EnrolmentRequest(code: codes[0], publicKey: TestServer.publicKey, replica: replica))
            async let other = pair.second.request(
                .post, "/v1/enrol", json: EnrolmentRequest(code: codes[1], publicKey: TestServer.publicKey, replica: replica))
            let results = try await [one, other]
            #expect(results.map(\.status.code).sorted() == [201, 409])
            #expect(results.compactMap(\.errorCode) == ["replica_taken"])
            let counts = try await pair.first.counts()
            // The enrolled device, and the servers' one shared replica.
            #expect(counts.devices == 2)
        }
    }
}
