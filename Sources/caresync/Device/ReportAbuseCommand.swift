import ArgumentParser
import CareModel
import CareStore

/// `caresync device report-abuse --kind KIND --statement TEXT`: a zero-tolerance
/// abuse report; it goes up first at the next sync, to the safeguarding lead.
struct ReportAbuseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report-abuse", abstract: "File a zero-tolerance abuse report (seen only by you and safeguarding).")

    @OptionGroup var options: DeviceOptions
    @Option(help: "What happened: \(AbuseReport.incidentKinds.joined(separator: ", ")).")
    var kind: String
    @Option(help: "Your statement (it cannot be changed later; add supplements instead).")
    var statement: String
    @Option(help: "Severity, 1 (low) to 5.")
    var severity: Int64 = 2
    @Option(help: "Who was involved: \(AbuseReport.relationships.joined(separator: ", ")).")
    var involved: String = "person_cared_for"
    @Option(help: "When it happened, ISO 8601 (default: now).")
    var occurredAt: String?
    @Option(help: "The visit it happened on, if any.")
    var visit: String?

    func validate() throws {
        guard AbuseReport.incidentKinds.contains(kind) else { throw ValidationError("unknown kind \(kind)") }
        guard AbuseReport.relationships.contains(involved) else { throw ValidationError("unknown relationship \(involved)") }
        if let occurredAt, DeviceFormat.millis(occurredAt) == nil {
            throw ValidationError("--occurred-at is not an ISO 8601 time")
        }
    }

    func run() async throws {
        var draft = AbuseReportDraft(
            incidentKind: kind, occurredAt: occurredAt.flatMap(DeviceFormat.millis) ?? DeviceFormat.now,
            involved: [.init(relationship: involved)], statement: statement, severity: severity)
        draft.visit = try visit.map { text throws(CommandFailure) in try DeviceFormat.recordID(text, "visit") }
        try await options.withDevice { _, store in
            let receipt = try await store.fileAbuseReport(draft)
            print("abuse report \(receipt.record.id) filed (local only until `caresync device sync`)")
        }
    }
}
