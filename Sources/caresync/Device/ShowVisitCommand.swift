import ArgumentParser
import CareModel
import CareStore

/// `caresync device visit VISIT`: one visit as this device holds it — plan,
/// check-ins and outs, notes, missed calls, each with its sync state.
struct ShowVisitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "visit", abstract: "Show one visit: plan, attendance, notes, missed calls.")

    @OptionGroup var options: DeviceOptions
    @Argument(help: "The visit id.")
    var visit: String

    func run() async throws {
        let id = try DeviceFormat.recordID(visit, "visit")
        try await options.withDevice { _, store in
            guard let detail = try await store.visit(id) else {
                throw CommandFailure(CareStoreError.Code.recordNotFound.rawValue, "no visit with this id is on this device")
            }
            let summary = detail.summary
            print("visit \(summary.id): \(summary.resident), team \(summary.team), \(DeviceFormat.time(summary.scheduledStart)), \(summary.status.rawValue), sync=\(summary.syncState)")
            print("  assigned: \(detail.assignedWorkers.joined(separator: ", "))")
            for record in detail.checkIns { print("  check-in  \(record.worker) at \(DeviceFormat.time(record.time)) (\(record.method))") }
            for record in detail.checkOuts { print("  check-out \(record.worker) at \(DeviceFormat.time(record.time)) (\(record.method))") }
            for note in detail.notes {
                print("  note by \(note.author): \(note.text)  sync=\(note.syncState)")
                for text in note.conflictingTexts where text != note.text { print("    also (concurrent edit): \(text)") }
                for amendment in note.amendments { print("    amended by \(amendment.author): \(amendment.text)") }
            }
            for call in detail.missedCalls { print("  missed call by \(call.author): \(call.reason)  sync=\(call.syncState)") }
            if summary.needsReview { print("  needs review: \(summary.reviewReasons.map(\.rawValue).joined(separator: ", "))") }
        }
    }
}
