import ArgumentParser
import CareAudit
import CareModel
import Foundation

/// `caresync audit export`: the log or a filter of it, as NDJSON or CSV.
struct ExportCommand: AuditSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the log (or a filter of it) as NDJSON, verifiable offline, or CSV for spreadsheets.")

    @OptionGroup var source: AuditSourceOptions

    @Option(help: "ndjson or csv.")
    var format: String = "ndjson"

    @Option(help: "The file to write (standard output if absent).")
    var output: String?

    @Option(help: "Only operations the server received at or after this time (ISO 8601 date or date-time).")
    var from: String?

    @Option(help: "Only operations the server received before this time (ISO 8601 date or date-time).")
    var to: String?

    @Option(help: "Only operations written by this worker.")
    var worker: String?

    @Option(help: "Only this resident's visits and the notes, missed calls and abuse reports on them.")
    var resident: String?

    @Option(help: "Only records of this kind (visit, visit_note, missed_call, abuse_report); repeatable.")
    var kind: [String] = []

    func audit() async throws {
        guard let format = AuditExport.Format(rawValue: format) else {
            throw ValidationError("--format is ndjson or csv")
        }
        var filter = ExportFilter()
        filter.from = try from.map(AuditDate.millis)
        filter.to = try to.map(AuditDate.millis)
        if let worker {
            guard let id = WorkerID(worker) else { throw ValidationError("\(worker) is not a worker id") }
            filter.worker = id
        }
        filter.resident = resident
        if !kind.isEmpty {
            filter.kinds = try kind.map { name in
                guard RecordKind.all.contains(where: { $0.rawValue == name }) else {
                    throw ValidationError("\(name) is not a record kind")
                }
                return RecordKind(rawValue: name)
            }
        }
        // The source first: a path or database that cannot be read fails
        // before the output is touched.
        let log = try await source.openSource()
        let progress = ProgressLine("exported")
        func export(to handle: FileHandle) async throws -> Int {
            try await AuditExport.write(log, filter: filter, format: format, progress: progress.update) { bytes in
                try handle.write(contentsOf: bytes)
            }
        }
        let written: Int
        if let output {
            written = try await ExportOutputFile.write(to: output, export)
        } else {
            written = try await export(to: FileHandle.standardOutput)
        }
        progress.finish()
        if let output {
            if source.json {
                struct Summary: Encodable { var operations: Int; var output: String }
                try source.printJSON(Summary(operations: written, output: output))
            } else {
                print("exported \(written) operations to \(output)")
            }
        }
    }
}
