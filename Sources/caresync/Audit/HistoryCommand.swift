import ArgumentParser
import CareAudit
import CareModel
import Foundation

/// `caresync audit history <record>`: every operation on one record.
struct HistoryCommand: AuditSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Every operation on a record: who, device, times, changes, concurrent writes and their merge.")

    @Argument(help: "The record's id (a UUID).")
    var record: String

    @OptionGroup var source: AuditSourceOptions

    func audit() async throws {
        guard let id = RecordID(record) else { throw ValidationError("\(record) is not a record id (a UUID)") }
        let history = try await RecordHistory.read(id, from: try await source.openSource())
        guard !history.entries.isEmpty else {
            throw CommandFailure("unknown_record", "no operation on record \(record) in the log")
        }
        if source.json {
            try source.printJSON(history)
            return
        }
        print("\(history.kind.map(\.rawValue) ?? "record") \(record): \(history.entries.count) operation(s)")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for entry in (history.entries + history.related).sorted(by: { $0.sequence < $1.sequence }) {
            let target = entry.relatedRecord.map { " of \($0.kind) \($0.id)" } ?? ""
            print("- sequence \(entry.sequence) \(entry.action)\(target) by \(entry.author) on device \(entry.device) (\(entry.id))")
            print("  device time \(Self.iso(entry.deviceTime)), received \(Self.iso(entry.receivedAt)), hlc \(entry.hlc)")
            for change in entry.changes {
                let value = (try? encoder.encode(change.value)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
                print("  \(change.kind.rawValue) \(change.field) = \(value)")
            }
            if !entry.concurrentWith.isEmpty {
                print("  concurrent with sequence(s) \(entry.concurrentWith.map(String.init).joined(separator: ", "))")
            }
        }
        for resolution in history.resolutions {
            print("field \(resolution.field) (\(resolution.rule)): concurrent writes at sequence(s) "
                + resolution.writes.map(String.init).joined(separator: ", ") + "; " + resolution.outcome)
        }
    }

    static func iso(_ millis: Int64) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(Date(timeIntervalSince1970: Double(millis) / 1_000))
    }
}
