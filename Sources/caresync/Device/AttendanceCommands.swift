import ArgumentParser
import CareModel
import CareStore

/// The options of a check-in or check-out: the visit and how attendance was verified.
struct AttendanceOptions: ParsableArguments {
    @Argument(help: "The visit id (see `caresync device visits`).")
    var visit: String
    @Option(help: "How attendance was verified: \(Visit.verificationMethods.joined(separator: ", ")).")
    var method: String = "manual"

    func validate() throws {
        guard Visit.verificationMethods.contains(method) else { throw ValidationError("unknown method \(method)") }
    }

    var evidence: AttendanceEvidence { AttendanceEvidence(method: VerificationMethod(rawValue: method)) }
}

/// `caresync device check-in VISIT`.
struct CheckInCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check-in", abstract: "Record arriving at a visit.")

    @OptionGroup var options: DeviceOptions
    @OptionGroup var attendance: AttendanceOptions

    func run() async throws {
        let visit = try DeviceFormat.recordID(attendance.visit, "visit")
        try await options.withDevice { _, store in
            try await store.checkIn(visit: visit, attendance.evidence)
            print("checked in at \(visit)")
        }
    }
}

/// `caresync device check-out VISIT`.
struct CheckOutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check-out", abstract: "Record leaving a visit.")

    @OptionGroup var options: DeviceOptions
    @OptionGroup var attendance: AttendanceOptions

    func run() async throws {
        let visit = try DeviceFormat.recordID(attendance.visit, "visit")
        try await options.withDevice { _, store in
            try await store.checkOut(visit: visit, attendance.evidence)
            print("checked out of \(visit)")
        }
    }
}
