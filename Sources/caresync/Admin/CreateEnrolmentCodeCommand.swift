import ArgumentParser
import CareModel
import CareServer

/// `caresync admin enrolment-code WORKER`: a one-time code for one device.
struct CreateEnrolmentCodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enrolment-code",
        abstract: "Issue a one-time enrolment code for a worker's device (shown once; stored only as a hash).")

    @OptionGroup var options: AdminOptions
    @Argument(help: "The worker id.")
    var worker: String
    @Option(help: "Seconds the code stays valid.")
    var lifetime: Int64 = ServerConfiguration().enrolmentCodeLifetimeSeconds

    func validate() throws {
        guard WorkerID(worker) != nil else { throw ValidationError("malformed worker id") }
        guard lifetime > 0 else { throw ValidationError("the lifetime must be positive") }
    }

    func run() async throws {
        let storage = try await options.openStorage()
        let issued: AdminService.IssuedCode
        do {
            issued = try await AdminService(storage: storage, codeLifetimeSeconds: lifetime)
                .createEnrolmentCode(for: WorkerID(worker)!)
        } catch let error as ServerError {
            try await storage.close()
            throw AdminFailure(error.message)
        }
        try await storage.close()
        if options.json { return try options.printJSON(issued) }
        print("enrolment code for \(issued.worker): \(issued.code) (expires at \(issued.expiresAt) ms)")
    }
}
