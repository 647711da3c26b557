import ArgumentParser
import CareAudit
import Crypto
import Foundation

/// `caresync audit replay`: the state at a sequence number or a server time.
struct ReplayCommand: AuditSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "The canonical state as it stood at a log sequence or server time (the whole log by default).")

    @OptionGroup var source: AuditSourceOptions

    @Option(help: "Replay through this log sequence number.")
    var sequence: UInt64?

    @Option(help: "Replay what the server had received by this time (ISO 8601, e.g. 2026-01-01T12:00:00Z).")
    var at: String?

    @Option(help: "Write the canonical state (one JSON line per record) to this file.")
    var output: String?

    struct Summary: Encodable {
        var operations: Int
        var lastSequence: UInt64
        var records: Int
        var stateBytes: Int
        var stateSHA256: String
    }

    func validate() throws {
        if sequence != nil, at != nil { throw ValidationError("give --sequence or --at, not both") }
    }

    func audit() async throws {
        var point = AuditReplay.Point.end
        if let sequence { point = .sequence(sequence) }
        if let at { point = .time(try AuditDate.millis(at)) }
        let progress = ProgressLine("replayed")
        let result = try await AuditReplay.replay(try await source.openSource(), at: point, progress: progress.update)
        progress.finish()
        let bytes = result.state.canonicalBytes()
        if let output {
            try Data(bytes).write(to: URL(fileURLWithPath: output))
        }
        let summary = Summary(
            operations: result.operations, lastSequence: result.lastSequence, records: result.state.records.count,
            stateBytes: bytes.count, stateSHA256: SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined())
        if source.json {
            try source.printJSON(summary)
        } else {
            print("replayed \(summary.operations) operations through sequence \(summary.lastSequence): "
                + "\(summary.records) records, \(summary.stateBytes) bytes of canonical state")
            print("state SHA-256: \(summary.stateSHA256)")
            if let output { print("state written to \(output)") }
        }
    }
}

/// Dates on the command line.
enum AuditDate {
    /// Unix milliseconds of an ISO 8601 date-time (`2026-01-01T12:00:00Z`) or date (`2026-01-01`, midnight UTC).
    static func millis(_ text: String) throws -> Int64 {
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return Int64(date.timeIntervalSince1970 * 1_000) }
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) {
            return Int64((date.timeIntervalSince1970 * 1_000).rounded())
        }
        if let date = try? Date.ISO8601FormatStyle().year().month().day().parse(text) {
            return Int64(date.timeIntervalSince1970 * 1_000)
        }
        throw ValidationError("\(text) is not an ISO 8601 date or date-time")
    }
}
