import ArgumentParser
import CareModel
import CareStore

/// `caresync device missed-call VISIT --reason REASON`.
struct MissedCallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "missed-call", abstract: "Log that a visit did not happen, with the reason.")

    @OptionGroup var options: DeviceOptions
    @Argument(help: "The visit id.")
    var visit: String
    @Option(help: "Why: \(MissedCall.reasons.joined(separator: ", ")).")
    var reason: String
    @Option(help: "Details, in words.")
    var details: String?

    func validate() throws {
        guard MissedCall.reasons.contains(reason) else { throw ValidationError("unknown reason \(reason)") }
    }

    func run() async throws {
        let visit = try DeviceFormat.recordID(visit, "visit")
        try await options.withDevice { _, store in
            let receipt = try await store.logMissedCall(visit: visit, reason: reason, details: details)
            print("missed call \(receipt.record.id) logged")
        }
    }
}
