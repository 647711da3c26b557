import ArgumentParser
import CareServer
import Foundation
import Logging
import PostgresNIO

/// `tools/bench postgres`: ingest ops/s of `caresync-server` on PostgreSQL and
/// on SQLite in the same run, with one and with two server processes sharing
/// the database (devices spread over them). Each scenario starts on a new,
/// empty database. `tools/bench` starts a throwaway PostgreSQL cluster
/// (tools/with-postgres) unless a URL is given.
struct PostgresBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postgres", abstract: "Ingest ops/s on PostgreSQL vs SQLite, one and two server instances.")

    @Option(help: "A PostgreSQL superuser URL (default: $CARESYNC_TEST_POSTGRES_URL).")
    var postgresURL: String?
    @Option(help: "Operations pushed per scenario.")
    var operations = 20_000
    @Option(help: "Operations per push.")
    var batchSize = 100
    @Option(help: "Devices pushing at once.")
    var devices = 10

    func run() async throws {
        guard let url = postgresURL ?? ProcessInfo.processInfo.environment["CARESYNC_TEST_POSTGRES_URL"],
            let cluster = URLComponents(string: url)
        else {
            throw ValidationError("give --postgres-url or CARESYNC_TEST_POSTGRES_URL (tools/bench postgres starts a cluster)")
        }
        var report = BenchReport("postgres")
        report.note("\(devices) devices, batches of \(batchSize), \(operations) operations per scenario")
        var rates: [String: Double] = [:]
        for backend in ["sqlite", "postgres"] {
            for instances in [1, 2] {
                let rate = try await withDatabase(backend, cluster: cluster) { database, directory in
                    let servers = try (0..<instances).map { index in
                        try BenchServerProcess(
                            directory: directory.appendingPathComponent("server-\(index)"), databasePath: database)
                    }
                    defer { for server in servers { server.stop() } }
                    var ports: [Int] = []
                    for server in servers { ports.append(try await server.port()) }
                    return try await BenchHarness(ports: ports, databasePath: database).ingest(
                        devices: devices, batchSize: batchSize, totalOperations: operations
                    ).operationsPerSecond
                }
                rates["\(backend)_i\(instances)"] = rate
                report.add(
                    "ingest_ops_per_s_\(backend)_i\(instances)", rate,
                    "ingest  \(backend), \(instances) server\(instances == 1 ? "" : "s")", unit: "ops/s", digits: 0)
            }
        }
        for instances in [1, 2] {
            let ratio = (rates["postgres_i\(instances)"] ?? 0) / (rates["sqlite_i1"] ?? 1)
            report.add(
                "ratio_postgres_i\(instances)_to_sqlite_i1", ratio,
                "ratio   PostgreSQL with \(instances) server\(instances == 1 ? "" : "s") / SQLite with 1", unit: "",
                digits: 2)
        }
        report.finish()
    }

    /// Runs `body` with a new database of `backend` (a SQLite file path or a
    /// PostgreSQL URL) and a scratch directory, then deletes both.
    private func withDatabase(
        _ backend: String, cluster: URLComponents, _ body: (String, URL) async throws -> Double
    ) async throws -> Double {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("caresync-bench-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        for index in 0..<2 {
            try FileManager.default.createDirectory(
                at: directory.appendingPathComponent("server-\(index)"), withIntermediateDirectories: true)
        }
        guard backend == "postgres" else {
            return try await body(directory.appendingPathComponent("server.sqlite").path, directory)
        }
        let name = "caresync_bench_\(UInt32.random(in: 0...UInt32.max))"
        try await administer(cluster, "CREATE DATABASE \(name)")
        var url = cluster
        url.path = "/" + name
        do {
            let rate = try await body(url.string!, directory)
            try await administer(cluster, "DROP DATABASE \(name) WITH (FORCE)")
            return rate
        } catch {
            try? await administer(cluster, "DROP DATABASE \(name) WITH (FORCE)")
            throw error
        }
    }

    /// Runs one statement on the cluster's own database.
    private func administer(_ cluster: URLComponents, _ sql: String) async throws {
        let logger = Logger(label: "caresync-bench")
        let connection = try await PostgresConnection.connect(
            configuration: .init(
                host: cluster.host ?? "127.0.0.1", port: cluster.port ?? 5432, username: cluster.user ?? "postgres",
                password: cluster.password, database: String(cluster.path.dropFirst()), tls: .disable),
            id: 1, logger: logger)
        defer { Task { try? await connection.close() } }
        try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
    }
}
