import ArgumentParser
import CMallocArenas
import CareModel
import CareServer
import Foundation
import GRDB
import HummingbirdTesting
import NIOCore

/// `tools/bench server`: ingest and pull throughput of `caresync-server` over
/// HTTP on 127.0.0.1, against prepared-statement inserts of the same rows into
/// the same schema in the same run, and the server's resident memory with many
/// connections open. The server runs in a child process (this executable with
/// `--serve`) so that its memory is measured alone.
struct ServerBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server", abstract: "Sync server: ingest and pull ops/s, ratio to raw inserts, memory.")

    @Option(help: "Operations pushed per ingest scenario.")
    var operations = 20_000
    @Option(help: "Paired rounds (ingest, then raw inserts of the same rows) behind each ingest / raw ratio.")
    var rounds = 5
    @Option(help: "Connections held open for the memory figure.")
    var connections = 200
    @Flag(help: .hidden)
    var serve = false
    @Option(help: .hidden)
    var database: String?
    @Option(help: .hidden)
    var portFile: String?

    func validate() throws {
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1") }
    }

    func run() async throws {
        if serve {
            var configuration = ServerConfiguration()
            configuration.port = 0
            configuration.databasePath = database ?? "bench.sqlite"
            // Holds off the background jobs and the workflow monitors alike (their
            // intervals are separate settings), to show what they cost.
            if let seconds = ProcessInfo.processInfo.environment["CARESYNC_BENCH_JOB_INTERVAL"].flatMap(Int64.init) {
                configuration.jobIntervalSeconds = seconds
                configuration.jobWakeOperations = 0
                configuration.workflowIntervalSeconds = Int(seconds)
            }
            let portFile = portFile
            // As caresync-server runs: with its malloc arena cap (CMallocArenas).
            let arenas = CMallocArenas_startLimit()
            try await ServerRunner.run(
                configuration: configuration, logLevel: "error", mallocArenas: arenas > 0 ? Int(arenas) : nil
            ) { port in
                if let portFile { try? "\(port)".write(toFile: portFile, atomically: true, encoding: .utf8) }
            }
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("caresync-bench-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let databasePath = directory.appendingPathComponent("server.sqlite").path
        let child = try BenchServerProcess(directory: directory, databasePath: databasePath)
        defer { child.stop() }
        let harness = BenchHarness(
            port: try await child.port(), databasePath: databasePath, serverProcess: child.process.processIdentifier)

        var figures: [String: Double] = [:]
        let idleRSS = child.residentMegabytes()
        for batchSize in [100, 1_000] {
            for deviceCount in [1, 10, 50] {
                let rate = try await harness.ingest(
                    devices: deviceCount, batchSize: batchSize, totalOperations: max(operations, deviceCount * batchSize)
                ).operationsPerSecond
                figures["ingest_ops_per_s_b\(batchSize)_d\(deviceCount)"] = rate
                print("ingest  batch \(batchSize), \(deviceCount) devices: \(Int(rate)) ops/s")
            }
        }
        let followed = try await harness.reviewIndexerPositions()
        figures["review_indexer_positions_from_memory"] = followed.memory
        figures["review_indexer_positions_from_database"] = followed.database
        print("jobs    review indexer: \(Int(followed.memory)) log positions read from memory, \(Int(followed.database)) from the database")
        let pull = try await harness.pullEverything()
        figures["pull_ops_per_s"] = pull
        print("pull    pages of 1000 (auditor, everything): \(Int(pull)) ops/s")
        for batchSize in [100, 1_000] {
            // The device count of the best ingest above.
            let devices = [1, 10, 50].max { fewer, more in
                figures["ingest_ops_per_s_b\(batchSize)_d\(fewer)", default: 0] < figures["ingest_ops_per_s_b\(batchSize)_d\(more)", default: 0]
            }!
            let pairs = try await harness.pairedRounds(
                rounds, devices: devices, batchSize: batchSize, operations: operations, in: directory)
            let ratios = pairs.map(\.ratio)
            for (round, pair) in pairs.enumerated() {
                print("round   \(round + 1), batch \(batchSize), \(devices) devices: \(pair.summary)")
            }
            figures["server_cpu_us_per_op_b\(batchSize)"] = pairs.map { ($0.ingest.serverCPUPerOperation ?? 0) * 1e6 }.median
            figures["client_cpu_us_per_op_b\(batchSize)"] = pairs.map { $0.ingest.clientCPUPerOperation * 1e6 }.median
            figures["raw_cpu_us_per_op_b\(batchSize)"] = pairs.map { $0.rawCPUPerOperation * 1e6 }.median
            figures["raw_insert_ops_per_s_b\(batchSize)"] = pairs.map(\.raw).median
            figures["ingest_to_raw_ratio_b\(batchSize)"] = ratios.median
            figures["ingest_to_raw_ratio_min_b\(batchSize)"] = ratios.min()
            figures["ingest_to_raw_ratio_max_b\(batchSize)"] = ratios.max()
            print("raw     prepared inserts of the same rows (log, record index, visit access, workflow index, signatures) "
                + "into a copy of the database ingest started from, \(batchSize) ops per durable transaction: "
                + "median \(Int(pairs.map(\.raw).median)) ops/s")
            print("ratio   ingest / raw at batch \(batchSize), median of \(rounds) paired rounds: "
                + "\(String(format: "%.2f", ratios.median)) (\(String(format: "%.2f", ratios.min()!))–\(String(format: "%.2f", ratios.max()!)))")
        }
        let openClients = try await harness.openConnections(connections)
        let loadedRSS = child.residentMegabytes()
        for client in openClients { try? await client.shutdown() }
        figures["rss_mb_idle"] = idleRSS
        figures["rss_mb_connections"] = loadedRSS
        figures["connections"] = Double(connections)
        print("memory  server RSS \(String(format: "%.1f", idleRSS)) MB at start, "
            + "\(String(format: "%.1f", loadedRSS)) MB with \(connections) connections open")
        let json = try JSONSerialization.data(withJSONObject: figures.mapValues { ($0 * 100).rounded() / 100 }, options: [.sortedKeys])
        print(String(decoding: json, as: UTF8.self))
    }
}

/// The server under test, as a child process of the benchmark.
final class BenchServerProcess {
    let process: Process
    let portFile: String

    init(directory: URL, databasePath: String) throws {
        portFile = directory.appendingPathComponent("port").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["server", "--serve", "--database", databasePath, "--port-file", portFile]
        try process.run()
        self.process = process
    }

    func port() async throws -> Int {
        for _ in 0..<600 {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let port = Int(text) { return port }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ValidationError("the benchmark server did not start")
    }

    /// The child's resident set size (VmRSS), in MB.
    func residentMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return -1 }
        return kilobytes / 1024
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}
