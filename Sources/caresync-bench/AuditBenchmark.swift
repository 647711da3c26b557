import ArgumentParser
import CareAudit
import CareModel
import CareServer
import Crypto
import Foundation

/// `tools/bench audit`: verify and replay throughput of `caresync audit` on a
/// large signed log in the server's SQLite file, against a plain SHA-256 pass
/// over the same operation bytes in the same run.
struct AuditBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Auditor tools: verify and replay ops/s, verify vs a plain SHA-256 pass.")

    @Option(help: "Operations in the log.")
    var operations = 1_000_000
    @Option(help: "Devices writing them.")
    var devices = 50
    @Option(help: "Operations per signed push.")
    var batchSize = 100
    @Option(help: "Repetitions of the verify and SHA-256 timings; the median is reported.")
    var runs = 3
    @Flag(help: "Skip the replay (it decodes every operation and is the slow part).")
    var skipReplay = false

    func run() async throws {
        var report = BenchReport("audit")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("caresync-bench-audit-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("server.sqlite").path

        let generation = try await measureAsync {
            try await AuditLogWorkload.generate(path: path, operations: operations, devices: devices, batchSize: batchSize)
        }
        report.note(
            "log: \(operations) ops from \(devices) devices, signed pushes of \(batchSize), "
                + "generated straight into SQLite in \(String(format: "%.1f", generation)) s")
        let storage = try SQLiteSyncStorage(path: path)
        let source = StorageAuditSource(storage: storage)

        // From the database file: both passes read the same rows the same way.
        var bytes = 0
        let shaFromFile = try await medianAsync(runs: runs) {
            bytes = 0
            var sink: UInt8 = 0
            try await source.forEachEntry { entry in
                bytes += entry.log.body.count
                sink ^= SHA256.hash(data: entry.log.body).withUnsafeBytes { $0[0] }
            }
            if sink == 1 { print("", terminator: "") }
        }
        var verified = VerificationReport()
        let verifyFromFile = try await medianAsync(runs: runs) { verified = try await AuditVerification.verify(source) }
        guard verified.isIntact, verified.operations == operations else {
            throw ValidationError("the generated log does not verify: \(verified.findings.prefix(3))")
        }
        report.note("operation bytes: \(bytes) (\(bytes / max(operations, 1)) B/op); verify: intact, "
            + "\(verified.signaturesVerified) signatures")
        report.add("sha256_ops_per_s", Double(operations) / shaFromFile, "read + plain SHA-256 of each operation", unit: "ops/s", digits: 0)
        report.add("verify_ops_per_s", Double(operations) / verifyFromFile, "read + verify (chains, counters, signatures)", unit: "ops/s", digits: 0)
        report.add("verify_vs_sha256", shaFromFile / verifyFromFile, "verify / plain SHA-256 pass, from the file (target ≥ 0.5)", unit: "", digits: 2)

        // In memory: the verification work alone, against hashing alone.
        var entries: [AuditEntry] = []
        entries.reserveCapacity(operations)
        try await source.forEachEntry { entries.append($0) }
        let devicesList = try await source.devices()
        let signatures = try await source.signatures()
        let shaInMemory = medianSeconds(runs: runs) {
            var sink: UInt8 = 0
            for entry in entries { sink ^= SHA256.hash(data: entry.log.body).withUnsafeBytes { $0[0] } }
            if sink == 1 { print("", terminator: "") }
        }
        let verifyInMemory = medianSeconds(runs: runs) {
            var verifier = LogVerifier(devices: devicesList, signatures: signatures, wholeLog: true)
            for entry in entries { verifier.check(entry) }
            verified = verifier.finish()
        }
        report.add("verify_in_memory_ops_per_s", Double(operations) / verifyInMemory, "verify, log already in memory", unit: "ops/s", digits: 0)
        report.add("verify_vs_sha256_in_memory", shaInMemory / verifyInMemory, "verify / plain SHA-256, in memory", unit: "", digits: 2)
        entries = []

        if !skipReplay {
            var records = 0
            let replay = try await measureAsync { records = try await AuditReplay.replay(source).state.records.count }
            report.add("replay_ops_per_s", Double(operations) / replay, "replay (decode + reduce), from the file", unit: "ops/s", digits: 0)
            report.note("replayed state: \(records) records")
        }
        try await storage.close()
        report.finish()
    }
}

/// Times an async `body`, returning seconds.
func measureAsync(_ body: () async throws -> Void) async rethrows -> Double {
    let start = ContinuousClock.now
    try await body()
    return (ContinuousClock.now - start).seconds
}

/// The median of `runs` timings of an async `body`.
func medianAsync(runs: Int, _ body: () async throws -> Void) async rethrows -> Double {
    var times: [Double] = []
    for _ in 0..<runs { times.append(try await measureAsync(body)) }
    return times.median
}
