import ArgumentParser
import CareCompression
import CareModel
import CareSyncClient
import Foundation

/// `tools/bench sync`: the cost on the network of bringing back a device that
/// was offline a week (its own operations up, the team's down), over HTTP to a
/// real server on 127.0.0.1, in each wire format with and without gzip; then
/// the bytes per operation of the shared reference workload (WORKLOAD.md) as
/// CareSync would send it, beside Automerge's and Yjs's figures on that workload.
struct SyncBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Sync client: wire bytes, bytes per op and round trips after a week offline.")

    @Option(help: "Operations the returning device recorded offline.")
    var own = 300
    @Option(help: "Operations the rest of the team wrote meanwhile (pulled by the device).")
    var down = 3_000

    /// Measured on the reference workload (shared/WORKLOAD.md), compressed.
    static let automergeBytesPerOperation = 39.0
    static let yjsBytesPerOperation = 35.0

    func run() async throws {
        var report = BenchReport("sync")
        report.note("-- a device back after a week offline: \(own) own ops up, \(down) team ops down, HTTP on 127.0.0.1")
        let placeholder = URL(string: "http://127.0.0.1")!
        for format in [WireFormat.json, .columns] {
            for compression in [false, true] {
                let scenario = WeekOfflineScenario(
                    ownOperations: own, downOperations: down,
                    transport: .init(baseURL: placeholder, format: format, compression: compression))
                let figures = try await scenario.run()
                guard figures.pulled == down else {
                    throw BenchError.unexpected("pulled \(figures.pulled) operations, expected \(down)")
                }
                let key = "\(format == .json ? "json" : "columns")_\(compression ? "gzip" : "plain")"
                let totals = figures.totals
                let wire = totals.sentBytes + totals.receivedBytes
                let operations = figures.pushed + figures.pulled
                report.note(
                    "\(format == .json ? "JSON   " : "columns") \(compression ? "gzip " : "plain"): "
                        + "up \(totals.sentBytes) B (\(totals.sentUncompressedBytes) before gzip), "
                        + "down \(totals.receivedBytes) B (\(totals.receivedUncompressedBytes) after gunzip), "
                        + "\(String(format: "%.1f", Double(wire) / Double(operations))) B/op, "
                        + "\(totals.roundTrips) round trips, \(String(format: "%.2f", figures.seconds)) s")
                report.record("\(key)_bytes_up", totals.sentBytes)
                report.record("\(key)_bytes_down", totals.receivedBytes)
                report.record("\(key)_bytes_per_op", Double(wire) / Double(operations))
                report.record("\(key)_round_trips", totals.roundTrips)
                report.record("\(key)_seconds", figures.seconds)
            }
        }
        try referenceWorkload(&report)
        report.finish()
    }

    /// Each reference device's 1,000 operations as one push body, and all
    /// 50,000 as pulled in pages of 1,000 (devices interleaved), per format.
    private func referenceWorkload(_ report: inout BenchReport) throws {
        let workload = try ReferenceWorkload()
        let pushes = workload.devices.map { chained in
            let operations = chained.map(\.operation)
            return PushRequest(replica: operations[0].id.replica, operations: operations, head: chained.last?.hash)
        }
        let interleaved = (0..<ReferenceWorkload.operationsPerDevice).flatMap { index in
            workload.devices.map { $0[index].operation }
        }
        let pages = stride(from: 0, to: interleaved.count, by: 1_000).map { start in
            PullResponse(
                operations: Array(interleaved[start..<min(start + 1_000, interleaved.count)]),
                nextCursor: UInt64(start + 1_000), hasMore: start + 1_000 < interleaved.count)
        }
        let count = Double(interleaved.count)
        report.note(
            "-- reference workload (WORKLOAD.md: 50 devices × 1,000 ops on 500 visits); "
                + "Automerge \(Self.automergeBytesPerOperation) B/op, Yjs \(Self.yjsBytesPerOperation) B/op compressed")
        for format in [WireFormat.json, .columns] {
            let name = format == .json ? "json" : "columns"
            let pushed = try Self.sizes(pushes, format: format)
            let pulled = try Self.sizes(pages, format: format)
            report.note(
                "\(format == .json ? "JSON   " : "columns"): push \(String(format: "%.1f", Double(pushed.plain) / count)) B/op raw, "
                    + "\(String(format: "%.1f", Double(pushed.gzip) / count)) B/op gzip; "
                    + "pull pages \(String(format: "%.1f", Double(pulled.plain) / count)) B/op raw, "
                    + "\(String(format: "%.1f", Double(pulled.gzip) / count)) B/op gzip")
            report.record("reference_\(name)_push_raw_bytes_per_op", Double(pushed.plain) / count)
            report.record("reference_\(name)_push_gzip_bytes_per_op", Double(pushed.gzip) / count)
            report.record("reference_\(name)_pull_raw_bytes_per_op", Double(pulled.plain) / count)
            report.record("reference_\(name)_pull_gzip_bytes_per_op", Double(pulled.gzip) / count)
        }
        let columns = try Self.sizes(pushes, format: .columns)
        report.record(
            "reference_columns_gzip_to_automerge", Double(columns.gzip) / count / Self.automergeBytesPerOperation)
        report.record("reference_columns_gzip_to_yjs", Double(columns.gzip) / count / Self.yjsBytesPerOperation)
    }

    /// The total size of `messages` encoded in `format`, as they are and gzipped as the client sends them.
    private static func sizes(_ messages: [some Encodable], format: WireFormat) throws -> (plain: Int, gzip: Int) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]  // as HTTPSyncTransport encodes
        encoder.userInfo[WireFormat.userInfoKey] = format
        var plain = 0
        var gzip = 0
        for message in messages {
            let body = Array(try encoder.encode(message))
            plain += body.count
            gzip += Gzip.compress(body).count
        }
        return (plain, gzip)
    }
}
