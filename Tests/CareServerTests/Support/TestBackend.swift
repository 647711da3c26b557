import CareServer
import Foundation
import PostgresNIO
import Testing

/// The storage backends the server suite runs on: every server test takes one
/// as its argument (`@Test(arguments: TestBackend.all)`).
///
/// PostgreSQL needs `CARESYNC_TEST_POSTGRES_URL` (a superuser URL; `tools/test`
/// starts a throwaway cluster and sets it). Without it the PostgreSQL cases fail;
/// `CARESYNC_TEST_BACKENDS=sqlite` runs the SQLite cases only (and leaves out
/// the PostgreSQL-only suites), for a quick local run; CI never sets it.
enum TestBackend: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case sqlite
    case postgres

    static var all: [TestBackend] {
        guard let names = ProcessInfo.processInfo.environment["CARESYNC_TEST_BACKENDS"] else { return allCases }
        return names.split(separator: ",").compactMap { TestBackend(rawValue: String($0)) }
    }

    var testDescription: String { rawValue }

    /// Runs `body` with the `--database` value of a new, empty database, and
    /// deletes the database afterwards.
    func withDatabase<Value: Sendable>(_ body: (String) async throws -> Value) async throws -> Value {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("caresync-server-tests-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            return try await body(directory.appendingPathComponent("server.sqlite").path)
        case .postgres:
            do {
                return try await PostgresTestCluster.fromEnvironment().withDatabase(body)
            } catch let error as PSQLError {
                // postgres-nio hides the server's message unless asked for it.
                throw PostgresTestCluster.Failure.database(String(reflecting: error))
            }
        }
    }
}
