import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL cluster the tests use (`CARESYNC_TEST_POSTGRES_URL`): makes a
/// database per test, and opens plain connections for tests that act on the
/// database beside the server.
struct PostgresTestCluster: Sendable {
    enum Failure: Error, CustomStringConvertible {
        case notConfigured
        case timedOut(String)
        case database(String)

        var description: String {
            if case .timedOut(let what) = self { return "timed out waiting for \(what)" }
            if case .database(let message) = self { return message }
            return "CARESYNC_TEST_POSTGRES_URL is not set: run tools/test (it starts a PostgreSQL cluster), "
                + "or set CARESYNC_TEST_BACKENDS=sqlite to run the SQLite cases only"
        }
    }

    let url: URLComponents

    static func fromEnvironment() throws -> PostgresTestCluster {
        guard let text = ProcessInfo.processInfo.environment["CARESYNC_TEST_POSTGRES_URL"],
            let url = URLComponents(string: text)
        else { throw Failure.notConfigured }
        return PostgresTestCluster(url: url)
    }

    /// The URL of `database` on this cluster.
    func databaseURL(_ database: String) -> String {
        var components = url
        components.path = "/" + database
        return components.string!
    }

    /// A new database for `body`, dropped afterwards (also when `body` throws).
    func withDatabase<Value: Sendable>(_ body: (String) async throws -> Value) async throws -> Value {
        let name = "caresync_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await withConnection { try await $0.query("CREATE DATABASE \(unescaped: name)", logger: Self.logger) }
        do {
            let value = try await body(databaseURL(name))
            try await drop(name)
            return value
        } catch {
            try? await drop(name)
            throw error
        }
    }

    private func drop(_ name: String) async throws {
        try await withConnection {
            try await $0.query("DROP DATABASE IF EXISTS \(unescaped: name) WITH (FORCE)", logger: Self.logger)
        }
    }

    /// One connection to `database` (the URL's own by default) for `body`.
    @discardableResult
    func withConnection<Value: Sendable>(
        database: String? = nil, _ body: (PostgresConnection) async throws -> Value
    ) async throws -> Value {
        let configuration = PostgresConnection.Configuration(
            host: url.host ?? "127.0.0.1", port: url.port ?? 5432, username: url.user ?? "postgres",
            password: url.password, database: database ?? String(url.path.dropFirst()), tls: .disable)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: Self.logger)
        do {
            let value = try await body(connection)
            try await connection.close()
            return value
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Waits until `count` sessions on `database` wait for an advisory lock
    /// (polls; fails after a minute as a guard against a hang).
    func waitForLockWaiters(_ count: Int, database: String) async throws {
        try await withConnection(database: database) { connection in
            for _ in 0..<3_000 {
                let rows = try await connection.query(
                    """
                    SELECT COUNT(*) FROM pg_locks
                    WHERE locktype = 'advisory' AND NOT granted
                        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                    """, logger: Self.logger)
                for try await waiting in rows.decode(Int.self) where waiting >= count { return }
                try await Task.sleep(for: .milliseconds(20))
            }
            throw Failure.timedOut("\(count) sessions waiting for the ingest lock")
        }
    }

    static let logger = Logger(label: "caresync-test-postgres")
}
